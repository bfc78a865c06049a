"""Runs one command as a whole process and reports its wall time, CPU time (user + system of every thread, start-up
included) and peak RSS (the bench's stopwatch, the same for every contender whatever its language).

    python3 bench/measure.py node bin/gpuz-cloud.mjs parse big.txt
      -> {"seconds": 0.74, "cpuSeconds": 0.81, "rssMb": 75.1, "code": 0, "stdout": "<the last 4000 characters it printed>"}
"""
import json
import resource
import subprocess
import sys
import time


def main(argv):
    started = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the one child waited for (and what it waited for)
    print(json.dumps({
        'seconds': seconds,
        'cpuSeconds': usage.ru_utime + usage.ru_stime,
        'rssMb': usage.ru_maxrss / 1024,  # Linux: kilobytes
        'code': done.returncode,
        'stdout': done.stdout.decode('utf-8', 'replace')[-4000:],
        'stderr': done.stderr.decode('utf-8', 'replace')[-2000:],
    }))


if __name__ == '__main__':
    main(sys.argv[1:])
