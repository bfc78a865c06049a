"""Runs the analytics recipes of docs/analytics.md on the real engines and prints the results as JSON.

Used by the `analytics` tests (src/**/*.analytics.test.ts) through the venv that setup.mjs prepares:

  engines.py rows ROOT                         every row of an export folder (DuckDB), one JSON object a line
  engines.py recipe NAME --replace '{"a":"b"}' [--s3-endpoint http://127.0.0.1:5000]
                                               the doc's recipe NAME with text replaced, its result as JSON

Recipes are the fenced blocks of docs/analytics.md whose first line is `-- recipe: NAME` (SQL, DuckDB) or
`# recipe: NAME` (Python, pyspark): the code that runs is the code a reader copies.
"""
import argparse
import contextlib
import datetime
import decimal
import json
import os
import re
import sys
import sysconfig

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "analytics.md")


def recipe(name):
    text = open(DOC, encoding="utf-8").read()
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S):
        first = block.split("\n", 1)[0].strip()
        if first in (f"-- recipe: {name}", f"# recipe: {name}"):
            return block
    sys.exit(f"docs/analytics.md has no recipe {name!r}")


def plain(value):
    if isinstance(value, datetime.datetime):
        # Naive values (pyspark) are UTC: the tests run Python with TZ=UTC and the session zone UTC.
        aware = value if value.tzinfo else value.replace(tzinfo=datetime.timezone.utc)
        return aware.astimezone(datetime.timezone.utc).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def duckdb_connection():
    import duckdb

    # The httpfs extension comes from the duckdb-ext-httpfs wheel (no download at run time).
    extensions = os.path.join(sysconfig.get_paths()["purelib"], "duckdb_ext", "extensions")
    return duckdb.connect(config={"extension_directory": extensions, "autoinstall_known_extensions": False})


def run_duckdb(sql, s3_endpoint):
    con = duckdb_connection()
    if s3_endpoint:
        host = re.sub(r"^https?://", "", s3_endpoint)
        moto_secret = (
            "CREATE SECRET gpuz (TYPE s3, KEY_ID 'testing', SECRET 'testing', REGION 'us-east-1', "
            f"ENDPOINT '{host}', URL_STYLE 'path', USE_SSL false);"
        )
        sql = re.sub(r"CREATE SECRET gpuz \([^)]*\);", moto_secret, sql)
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, map(plain, row))) for row in cursor.fetchall()]


def run_spark(code, result_name):
    scope = {}
    # The recipe's show() output goes to stderr: stdout carries only the JSON result.
    with contextlib.redirect_stdout(sys.stderr):
        exec(compile(code, "docs/analytics.md", "exec"), scope)
    frame = scope[result_name]
    rows = [{k: plain(v) for k, v in row.asDict().items()} for row in frame.collect()]
    scope["spark"].stop()
    return rows


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    rows = sub.add_parser("rows")
    rows.add_argument("root")
    run = sub.add_parser("recipe")
    run.add_argument("name")
    run.add_argument("--replace", default="{}")
    run.add_argument("--s3-endpoint")
    run.add_argument("--result", default="hottest")
    args = parser.parse_args()

    if args.command == "rows":
        con = duckdb_connection()
        cursor = con.execute(
            "SELECT epoch_ms(time) AS t_ms, strftime(timezone(time_zone, time), '%Y-%m-%d %H:%M:%S') AS local, "
            "* EXCLUDE (time) FROM read_parquet(?, hive_partitioning = true, union_by_name = true) "
            "ORDER BY host, time",
            [os.path.join(args.root, "**", "*.parquet")],
        )
        columns = [d[0] for d in cursor.description]
        for row in cursor.fetchall():
            print(json.dumps({k: plain(v) for k, v in zip(columns, row) if v is not None}, ensure_ascii=False))
        return

    code = recipe(args.name)
    for old, new in json.loads(args.replace).items():
        code = code.replace(old, new)
    if args.name.startswith("duckdb"):
        result = run_duckdb(code, args.s3_endpoint)
    else:
        result = run_spark(code, args.result)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
