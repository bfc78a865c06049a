"""DuckDB baseline for `npm run bench:parse`: what a data person would run on a GPU-Z log instead of our parser.
read_csv of the whole file as text (GPU-Z repeats its header at every logging start, so types cannot be sniffed),
header lines dropped, the timestamp read in the log's zone and every sensor cell cast to DOUBLE ('-' -> NULL),
then one aggregate over every column so nothing is skipped. DuckDB uses all cores.

    python3 bench/parse_duckdb.py <log> <IANA zone>  ->  {"rows": 180000, "seconds": 1.1}
"""
import json
import sys
import time

import duckdb


def main(path, zone):
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET TimeZone = '{zone}'")
    first = con.execute(
        'SELECT * FROM read_csv(?, all_varchar = true, header = true, encoding = ?, auto_detect = true) LIMIT 0',
        [path, 'latin-1'],
    )
    names = [d[0] for d in first.description]
    date, sensors = names[0], [n for n in names[1:] if not n.startswith('column')]
    quote = lambda n: '"' + n.replace('"', '""') + '"'
    casts = ', '.join(f'max(try_cast(trim({quote(n)}) AS DOUBLE))' for n in sensors)
    row = con.execute(
        f'''SELECT count(*), max(epoch_ms(t)), {casts} FROM (
              SELECT strptime(trim({quote(date)}), '%Y-%m-%d %H:%M:%S')::TIMESTAMPTZ AS t, *
              FROM read_csv(?, all_varchar = true, header = true, encoding = 'latin-1', null_padding = true)
              WHERE trim({quote(date)}) <> 'Date')''',
        [path],
    ).fetchone()
    print(json.dumps({'rows': row[0], 'seconds': time.perf_counter() - started}))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
