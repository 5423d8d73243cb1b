"""CPU time of the heavy detail pages, and where it goes (issue 18, item 4).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/detail_met DEBUG=0 SECRET_KEY=bench \
      ALLOWED_HOSTS=testserver,127.0.0.1 SECURE_SSL_REDIRECT=0 .venv/bin/python -W ignore \
      bench/detail_render.py --repeat 30 --profile 10

Run on a migrated copy of bench_met (`CREATE DATABASE x TEMPLATE bench_met`), never on bench_met: the
run writes sessions, TOTP devices and the access records its page reads write. Users and objects are
the load harness's (bench/load/capture.py): one seeded account per role (the busiest investigator, the
first supervisor, ...), the officer with the most allegations, the case with the most allegations,
the first decided Onyx review, the first hotline report.

Each page is requested in-process through Django's test client (middleware, view, ORM, template) as
that user, warmed twice, then timed --repeat times. The figure is **CPU milliseconds per request of
this process** (`time.process_time`): the time the database spends answering is not in it, and it
moves far less than wall time when other processes share the cores. Median and minimum are printed;
the minimum is the steadiest figure on a loaded machine.

--profile N runs N more requests of each page under cProfile and splits the profiled time by where
each function lives (its own time, not cumulative): templates (django/template, the template tags),
ORM (django/db: building queries, compiling SQL, making rows), driver (psycopg), and the rest (Python:
the view, selectors, middleware, sessions). cProfile inflates small calls, so the split is a share,
not milliseconds; `--top K` prints the K functions with the most cumulative time under the view.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "misconduct.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.load.capture import objects, role_user, sessions_for  # noqa: E402
from bench.load.pages import PAGES  # noqa: E402

DETAIL_PAGES = ["officer-profile", "officer-flags", "review-detail", "triage-report", "my-work", "case-detail"]
BUCKETS = (
    ("templates", ("django/template/", "templatetags", "django/forms/renderers", "django/forms/boundfield")),
    ("ORM", ("django/db/",)),
    ("driver", ("psycopg",)),
)


def bucket_of(filename: str) -> str:
    for name, parts in BUCKETS:
        if any(part in filename for part in parts):
            return name
    return "Python"


def client_for(role: str, cache: dict) -> Client:
    if role not in cache:
        (session,) = sessions_for(role_user(role), 1)
        cache[role] = Client(HTTP_HOST="127.0.0.1", HTTP_COOKIE=f"sessionid={session}")
    return cache[role]


def cpu_ms(client: Client, path: str) -> tuple[float, int, bytes]:
    with CaptureQueriesContext(connection) as ctx:
        start = time.process_time()
        response = client.get(path, secure=True)
        spent = (time.process_time() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return spent, len(ctx), response.content


def profile(client: Client, path: str, n: int) -> pstats.Stats:
    profiler = cProfile.Profile(time.process_time)  # CPU time: waiting for the database is not in it
    for _ in range(n):
        profiler.enable()
        client.get(path, secure=True)
        profiler.disable()
    return pstats.Stats(profiler)


def _key(fn) -> tuple[str, int, str]:
    code = fn.__code__
    return code.co_filename, code.co_firstlineno, code.co_name


def _parts() -> dict[str, list[tuple[str, int, str]]]:
    """Functions whose cumulative time names a part of the request."""
    from django.db.backends import utils
    from django.db.models.sql import compiler
    from django.template.backends import django as django_backend

    return {
        # The page's template, includes and the queries its lazy querysets run while rendering.
        "template": [_key(django_backend.Template.render)],
        # Building SQL from querysets (the compilers' as_sql, nested subqueries included).
        "SQL build": [
            _key(cls.as_sql)
            for cls in (
                compiler.SQLCompiler,
                compiler.SQLInsertCompiler,
                compiler.SQLUpdateCompiler,
                compiler.SQLDeleteCompiler,
                compiler.SQLAggregateCompiler,
            )
        ],
        # Sending statements and reading rows (psycopg's CPU, Django's cursor wrappers).
        "execute": [_key(utils.CursorWrapper._execute), _key(utils.CursorWrapper._executemany)],
    }


def split(stats: pstats.Stats) -> tuple[float, dict[str, float], dict[str, float]]:
    """Total profiled CPU, the cumulative share of each part, and the own-time share of each bucket."""
    own: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        key = bucket_of(filename)
        own[key] = own.get(key, 0.0) + tottime
    total = sum(own.values()) or 1.0
    parts = {name: sum(stats.stats[k][3] for k in keys if k in stats.stats) / total for name, keys in _parts().items()}
    return total, parts, {key: value / total for key, value in own.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", type=int, default=0, help="requests per page under cProfile (0: none)")
    parser.add_argument("--top", type=int, default=0, help="print the top K functions by cumulative time")
    parser.add_argument("--only", default="", help="only the pages whose key contains this")
    parser.add_argument("--save", type=Path, help="write each page's HTML here (to compare before and after)")
    args = parser.parse_args()
    picks = objects()
    clients: dict = {}
    print(f"{connection.settings_dict['NAME']}; {args.repeat} requests per page; CPU ms of this process")
    print(f"{'page':16} {'role':17} {'queries':>7} {'KB':>5} {'median':>7} {'min':>6}   share of profiled CPU")
    for page in (p for p in PAGES if p.key in DETAIL_PAGES):
        if args.only and args.only not in page.key:
            continue
        client, path = client_for(page.role, clients), page.path.format(**picks)
        for _ in range(2):
            cpu_ms(client, path)
        runs = [cpu_ms(client, path) for _ in range(args.repeat)]
        times = [t for t, _q, _b in runs]
        _t, queries, html = runs[-1]
        size = len(html)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{page.key}.html").write_bytes(html)
        line = (
            f"{page.key:16} {page.role:17} {queries:7d} {size / 1024:5.0f} {statistics.median(times):7.1f}"
            f" {min(times):6.1f}"
        )
        if args.profile:
            stats = profile(client, path, args.profile)
            _total, parts, own = split(stats)
            line += "   " + ", ".join(f"{k} {v:.0%}" for k, v in parts.items())
            line += " | own time: " + ", ".join(f"{k} {v:.0%}" for k, v in sorted(own.items(), key=lambda kv: -kv[1]))
        print(line, flush=True)
        if args.profile and args.top:
            stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
