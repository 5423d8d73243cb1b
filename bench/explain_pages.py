"""Where a page's database time goes: every statement a page runs, timed and explained.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/COPY_OF_BENCH_MET DEBUG=0 SECRET_KEY=bench \
        ALLOWED_HOSTS=testserver,127.0.0.1 SECURE_SSL_REDIRECT=0 \
        .venv/bin/python -W ignore bench/explain_pages.py [--only KEY ...] [--repeat 5] [--plans 5]

Requests each page of the load harness (bench/load/pages.py, the same users, objects and paths as
bench/load/capture.py) once to warm, then once inside CaptureQueriesContext; then replays each captured
statement `--repeat` times on a raw cursor (rows fetched) inside a transaction rolled back at the end,
and prints per page the sum of the statements' median times (the page's SQL) and its slowest statements,
with `EXPLAIN (ANALYZE, BUFFERS)` of those taking `--plans` ms or more. It writes (sessions, access
records, TOTP devices for the harness's users), so run it on a copy of bench_met, never on bench_met.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.load import capture  # noqa: E402 - sets Django up
from bench.load.floor import prepare  # noqa: E402
from bench.load.pages import OVERSIGHT, PAGES  # noqa: E402

SKIP = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def statements_of(page, path: str, headers: dict) -> list[str]:
    from django.test import Client

    client = Client(HTTP_HOST=capture.HOST)
    for _ in range(2):
        client.get(path, secure=True, **headers)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, secure=True, **headers)
    if response.status_code != 200:
        raise SystemExit(f"{page.key} {path}: {response.status_code}")
    return [prepare(q["sql"]) for q in ctx.captured_queries if not q["sql"].startswith(SKIP)]


def timed(cursor, sql: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        cursor.execute(sql)
        if cursor.description is not None:
            cursor.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=[], help="page keys (bench/load/pages.py)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--plans", type=float, default=5.0, help="explain statements of at least this many ms")
    parser.add_argument("--top", type=int, default=4, help="slowest statements listed per page")
    args = parser.parse_args()
    pages = [p for p in PAGES if not args.only or p.key in args.only]
    picks = capture.objects()
    token = None
    sessions = {}
    for page in pages:
        path = page.path.format(**picks)
        if page.role == OVERSIGHT:
            token = token or capture.oversight_token()
            headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
        else:
            if page.role not in sessions:
                sessions[page.role] = capture.sessions_for(capture.role_user(page.role), 1)[0]
            headers = {"HTTP_COOKIE": f"sessionid={sessions[page.role]}"}
        sql = statements_of(page, path, headers)
        results = []
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in sql:
                results.append((timed(cursor, statement, args.repeat), statement))
            plans = {}
            for ms, statement in sorted(results, reverse=True)[: args.top]:
                if ms >= args.plans and statement.lstrip().upper().startswith(("SELECT", "WITH")):
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
                    plans[statement] = "\n".join("      " + row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)
        total = sum(ms for ms, _ in results)
        print(f"{page.key:20} {total:8.1f} ms SQL over {len(sql)} statements  {path}")
        for ms, statement in sorted(results, reverse=True)[: args.top]:
            print(f"    {ms:7.1f} ms  {statement[:300]}")
            if statement in plans:
                print(plans[statement])
        sys.stdout.flush()


if __name__ == "__main__":
    main()
