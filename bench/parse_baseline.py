"""Baseline for `npm run bench:parse`: a plain Python csv-module parser of a GPU-Z log, the way the Lambda we
replace did it (cp1252 text, csv.reader, strptime + zoneinfo, float() with '-' -> None).

    python3 bench/parse_baseline.py <log> <IANA zone>  ->  {"rows": 150000, "seconds": 4.2}
"""
import csv
import json
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo


def to_value(cell):
    cell = cell.strip()
    if cell == '' or cell == '-':
        return None
    try:
        return float(cell)
    except ValueError:
        return None


def main(path, zone):
    tz = ZoneInfo(zone)
    started = time.perf_counter()
    rows = 0
    skipped = 0
    width = None
    with open(path, encoding='cp1252', errors='replace', newline='') as handle:
        for record in csv.reader(handle):
            if not record:
                continue
            if record[0].strip() == 'Date':
                width = len(record)
                continue
            if width is None or len(record) != width:
                skipped += 1
                continue
            stamp = datetime.strptime(record[0].strip(), '%Y-%m-%d %H:%M:%S').replace(tzinfo=tz)
            epoch_ms = int(stamp.timestamp() * 1000)
            values = [to_value(cell) for cell in record[1:-1]]
            if epoch_ms and values is not None:
                rows += 1
    print(json.dumps({'rows': rows, 'skipped': skipped, 'seconds': time.perf_counter() - started}))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
