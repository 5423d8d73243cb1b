"""CPU time of each staff list page and API list in-process, and where it goes (issue 18).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lists_dev DEBUG=0 SECRET_KEY=bench \
      ALLOWED_HOSTS=testserver,127.0.0.1 SECURE_SSL_REDIRECT=0 .venv/bin/python bench/list_render.py

The pages, roles and objects are the load harness's (bench/load/pages.py; the accounts and sessions as
bench/load/capture.py makes them: the busiest investigator, an oversight API token, ...). Each page is
requested through Django's test client (middleware, view, ORM, templates or serializers; no network),
warmed twice, then timed --repeat times with `time.process_time()`: the CPU this process spends per
request, which is what the app's workers spend (PostgreSQL's own CPU is in its process and not counted).
CPU time, not wall time, so other work on the machine does not move the figures much.

--profile adds a cProfile run of --repeat more requests per page and prints, per request, the
cumulative CPU of the layers (they overlap: a template that iterates a lazy queryset counts the ORM
inside the template too, so "ORM" is also reported on its own) and the heaviest functions by own time.
--only KEY (repeatable) restricts to pages whose key starts with KEY; --all adds the detail pages.

It writes sessions and the access records each read makes, so run it on a database of your own (a
seeded demo, `manage.py seed_demo --scale small`, or a copy of bench_met), never on a shared one.
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

from bench.load.capture import objects, oversight_token, role_user, sessions_for  # noqa: E402
from bench.load.pages import OVERSIGHT, PAGES, ROLES  # noqa: E402

# Detail pages (not lists): measured only with --all.
DETAIL = {
    "case-detail",
    "officer-profile",
    "officer-flags",
    "officer-clearances",
    "review-detail",
    "vetting-review",
    "triage-report",
}

# Layers: (label, file suffix, function name); cumulative time, so nested calls count once.
LAYERS = [
    ("request (middleware + view)", "django/core/handlers/base.py", "get_response"),
    ("view", "django/core/handlers/base.py", "_get_response"),
    ("templates", "django/template/backends/django.py", "render"),
    ("ORM: queries run", "django/db/models/sql/compiler.py", "execute_sql"),
    ("ORM: rows to objects", "django/db/models/query.py", "__iter__"),
    ("serializers", "rest_framework/serializers.py", "data"),
    ("filters (django-filter)", "django_filters/filterset.py", "qs"),
    ("forms/widgets render", "django/forms/renderers.py", "render"),
]


def layer_times(stats: pstats.Stats, requests: int) -> dict[str, float]:
    out = {}
    for label, suffix, name in LAYERS:
        total = 0.0
        for (filename, _line, func), (_cc, _nc, _tt, ct, callers) in stats.stats.items():
            if func != name or not filename.endswith(suffix):
                continue
            # Count only the outermost calls: those whose caller is not the same function.
            outer = sum(v[3] for k, v in callers.items() if not (k[0] == filename and k[2] == func))
            total += outer if callers else ct
        out[label] = total * 1000 / requests
    return out


def top_functions(stats: pstats.Stats, requests: int, n: int) -> list[tuple[float, str]]:
    rows = []
    for (filename, line, func), (_cc, _nc, tt, _ct, _callers) in stats.stats.items():
        short = filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        rows.append((tt * 1000 / requests, f"{short}:{line} {func}"))
    rows.sort(reverse=True)
    return rows[:n]


def clients() -> dict[str, tuple[Client, dict]]:
    out = {}
    for role in ROLES:
        if role == OVERSIGHT:
            out[role] = (Client(HTTP_HOST="127.0.0.1"), {"HTTP_AUTHORIZATION": f"Token {oversight_token()}"})
        else:
            session = sessions_for(role_user(role), 1)[0]
            out[role] = (Client(HTTP_HOST="127.0.0.1"), {"HTTP_COOKIE": f"sessionid={session}"})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="add a cProfile breakdown per page")
    parser.add_argument("--top", type=int, default=12, help="functions shown per page with --profile")
    parser.add_argument("--only", action="append", default=[], help="page keys starting with this")
    parser.add_argument("--callers", default="", help="with --profile: print the callers of functions matching this")
    parser.add_argument("--all", action="store_true", help="the detail pages too")
    args = parser.parse_args()
    by_role = clients()
    picks = objects()
    pages = [p for p in PAGES if (args.all or p.key not in DETAIL)]
    if args.only:
        pages = [p for p in pages if any(p.key.startswith(o) for o in args.only)]
    print(f"{connection.settings_dict['NAME']}: {len(pages)} pages, {args.repeat} requests each")
    print(f"{'page':24} {'role':16} {'queries':>7} {'KiB':>6} {'CPU ms/req median':>17} {'min':>6}")
    results = []
    for page in pages:
        client, headers = by_role[page.role]
        path = page.path.format(**picks)
        for _ in range(2):
            response = client.get(path, secure=True, **headers)
            assert response.status_code == 200, (page.key, path, response.status_code)
        cpu = []
        for _ in range(args.repeat):
            start = time.process_time()
            response = client.get(path, secure=True, **headers)
            cpu.append((time.process_time() - start) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            client.get(path, secure=True, **headers)
        median = statistics.median(cpu)
        results.append((page.key, median))
        print(
            f"{page.key:24} {page.role:16} {len(ctx):7d} {len(response.content) / 1024:6.1f} {median:17.1f} "
            f"{min(cpu):6.1f}",
            flush=True,
        )
        if args.profile:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for _ in range(args.repeat):
                client.get(path, secure=True, **headers)
            profiler.disable()
            stats = pstats.Stats(profiler)
            layers = layer_times(stats, args.repeat)
            print(
                "    layers (cProfile ms/req, cumulative, overlapping): "
                + ", ".join(f"{k} {v:.1f}" for k, v in layers.items() if v >= 0.05)
            )
            for ms, where in top_functions(stats, args.repeat, args.top):
                print(f"      {ms:6.2f}  {where}")
            if args.callers:
                stats.sort_stats("cumulative").print_callers(args.callers, 8)
    print(f"{'total (sum of medians)':41} {sum(m for _, m in results):27.1f}")


if __name__ == "__main__":
    main()
