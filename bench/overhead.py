"""The fixed cost of a staff page: CPU per request in-process, and where it goes (issue 18).

Production-like settings (DEBUG off, the cache on Redis, persistent database connections) on the
PostgreSQL database in DATABASE_URL (a small seeded one is enough: `seed_demo --scale tiny`). Signs in
one account per role as bench/load/capture.py does (a database session with a verified TOTP device),
requests a few small staff pages through django.test.Client, and prints per page the median
`time.process_time()` per request (CPU, not wall time: the machine is shared).

`--breakdown` also prints where one page's CPU goes:
- each middleware's own share (a probe middleware is put between every two, so a middleware's share is
  the CPU between the probes either side of it, on the way in and on the way out; URL resolving,
  process_view, the view and its template are "inside");
- a cProfile of the page's requests: cumulative CPU of the parts that every staff page pays
  (session, auth, second factor, nav menu, templates, ...) and the top functions by own time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/overhead_bench CACHE_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/overhead.py -n 300 --breakdown conflicts
"""

import argparse
import cProfile
import gc
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Production-like settings unless the caller says otherwise (docker-compose.yml's values).
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-overhead-key-not-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/3")
os.environ.pop("DEMO_MODE", None)
os.environ.pop("CELERY_BROKER_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "misconduct.settings")
if "postgres" not in os.environ.get("DATABASE_URL", ""):
    raise SystemExit("Set DATABASE_URL to a seeded PostgreSQL database (seed_demo --scale tiny is enough).")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from bench.load.capture import role_user, sessions_for  # noqa: E402
from bench.load.pages import PAGES  # noqa: E402

HOST = "127.0.0.1"
# Small pages: their SQL is a few milliseconds, so what they cost is mostly what every page pays.
DEFAULT_PAGES = ["conflicts", "withdrawals", "fairness-imports", "review-list-panel", "retention"]

# Functions whose cumulative CPU is the fixed cost, as "file fragment:function" (cProfile's keys).
PARTS = [
    ("session load", "sessions/backends/", "load"),
    ("session save", "sessions/backends/", "save"),
    ("auth get_user", "contrib/auth/__init__.py", "get_user"),
    ("OTP device (verify_user)", "django_otp/middleware.py", "_verify_user"),
    ("roles (user_roles)", "cases/roles.py", "user_roles"),
    ("nav menu (nav_items)", "cases/nav.py", "nav_items"),
    ("reverse()", "django/urls/base.py", "reverse"),
    ("resolve()", "django/urls/base.py", "resolve"),
    ("template render (all)", "django/template/backends/django.py", "render"),
    ("context processors", "django/template/context.py", "bind_template"),
    ("CSP header", "csp/middleware.py", "process_response"),
    ("axes", "axes/middleware.py", "__call__"),
    ("auditlog", "auditlog/middleware.py", "__call__"),
    ("messages", "contrib/messages/", "_get"),
    ("SQL execute (all)", "django/db/backends/utils.py", "_execute"),
]

_marks: list[tuple[int, str, float]] = []


class Probe:
    """Put between two middleware: records the CPU clock on the way in and on the way out."""

    def __init__(self, get_response, index):
        self.get_response = get_response
        self.index = index

    def __call__(self, request):
        _marks.append((self.index, "in", time.process_time()))
        response = self.get_response(request)
        _marks.append((self.index, "out", time.process_time()))
        return response


def probe_factory(index):
    def factory(get_response):
        return Probe(get_response, index)

    return factory


def sign_in_all(roles) -> dict[str, str]:
    return {role: sessions_for(role_user(role), 1)[0] for role in roles}


def request_cpu(client, path, cookie, n) -> list[float]:
    times = []
    for _ in range(n):
        start = time.process_time()
        response = client.get(path, secure=True, HTTP_COOKIE=f"sessionid={cookie}")
        times.append((time.process_time() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}, expected 200")
    return times


def measure(pages, sessions, n, warm, rounds) -> dict[str, float]:
    """Each page's median over n requests, in `rounds` rounds; the lowest round's median counts (the
    machine is shared: the least disturbed round is the closest to the page's own cost)."""
    client = Client(HTTP_HOST=HOST)
    medians = {page.key: [] for page in pages}
    for _ in range(rounds):
        for page in pages:
            request_cpu(client, page.path, sessions[page.role], warm)
            gc.collect()
            medians[page.key].append(statistics.median(request_cpu(client, page.path, sessions[page.role], n)))
    for page in pages:
        rounds_text = " ".join(f"{m:.2f}" for m in medians[page.key])
        best = min(medians[page.key])
        print(f"  {page.key:20} {page.role:18} {best:6.2f} ms CPU  (rounds: {rounds_text})  {page.path}")
    return {key: min(values) for key, values in medians.items()}


def middleware_breakdown(page, cookie, n, warm) -> None:
    names = list(settings.MIDDLEWARE)
    sys.modules.setdefault("bench.overhead", sys.modules[__name__])  # run as a script: __main__
    probed = []
    for i, name in enumerate(names):
        probed += [f"bench.overhead.PROBE_{i}", name]
    probed.append(f"bench.overhead.PROBE_{len(names)}")
    for i in range(len(names) + 1):
        globals()[f"PROBE_{i}"] = probe_factory(i)
    settings.MIDDLEWARE = probed
    try:
        client = Client(HTTP_HOST=HOST)
        request_cpu(client, page.path, cookie, warm)
        own = {name: [] for name in names}
        inside, outside = [], []
        for _ in range(n):
            _marks.clear()
            start = time.process_time()
            client.get(page.path, secure=True, HTTP_COOKIE=f"sessionid={cookie}")
            end = time.process_time()
            at = {(i, way): t for i, way, t in _marks}
            for i, name in enumerate(names):
                own[name].append((at[(i + 1, "in")] - at[(i, "in")]) + (at[(i, "out")] - at[(i + 1, "out")]))
            last = len(names)
            inside.append(at[(last, "out")] - at[(last, "in")])
            outside.append((at[(0, "in")] - start) + (end - at[(0, "out")]))
    finally:
        settings.MIDDLEWARE = names
    print(f"\nmiddleware, own CPU per request (median of {n}), {page.key}:")
    for name in names:
        print(f"  {statistics.median(own[name]) * 1000:6.2f} ms  {name}")
    print(f"  {statistics.median(inside) * 1000:6.2f} ms  inside: URL resolve, process_view, the view, its template")
    print(f"  {statistics.median(outside) * 1000:6.2f} ms  outside: the test client and the WSGI handler")


def profile_breakdown(page, cookie, n, warm, top) -> None:
    client = Client(HTTP_HOST=HOST)
    request_cpu(client, page.path, cookie, warm)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    request_cpu(client, page.path, cookie, n)
    profiler.disable()
    stats = pstats.Stats(profiler)
    print(f"\ncProfile, cumulative CPU per request ({n} requests; profiling inflates figures ~2x), {page.key}:")
    for label, fragment, func in PARTS:
        cum = sum(
            entry[3]
            for (filename, _, name), entry in stats.stats.items()
            if name == func and fragment in filename.replace("\\", "/")
        )
        calls = sum(
            entry[1]
            for (filename, _, name), entry in stats.stats.items()
            if name == func and fragment in filename.replace("\\", "/")
        )
        print(f"  {cum * 1000 / n:6.2f} ms  {calls / n:5.1f} calls  {label}")
    print(f"\ntop {top} functions by own CPU per request:")
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    for (filename, line, name), (_, calls, tottime, cumtime, _) in rows:
        short = filename.split("site-packages/")[-1].replace(str(ROOT) + "/", "")
        print(
            f"  {tottime * 1000 / n:6.3f} own {cumtime * 1000 / n:6.2f} cum  {calls / n:6.1f} calls"
            f"  {short}:{line} {name}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "pages", nargs="*", default=DEFAULT_PAGES, help=f"keys of bench/load/pages.py ({', '.join(DEFAULT_PAGES)})"
    )
    parser.add_argument("-n", type=int, default=300, help="requests per page measured")
    parser.add_argument("--warm", type=int, default=20, help="requests per page before measuring")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over the pages; the lowest median counts")
    parser.add_argument("--breakdown", action="store_true", help="middleware shares and a cProfile of the first page")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    by_key = {page.key: page for page in PAGES}
    unknown = [key for key in args.pages if key not in by_key]
    if unknown:
        raise SystemExit(f"unknown pages {unknown}; known: {', '.join(by_key)}")
    pages = [by_key[key] for key in args.pages]
    if any(page.api and page.role == "oversight" for page in pages):
        raise SystemExit("token pages are not measured here")
    sessions = sign_in_all(sorted({page.role for page in pages}))
    print(
        f"DEBUG={settings.DEBUG} session engine {settings.SESSION_ENGINE}, cache "
        f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, CONN_MAX_AGE "
        f"{settings.DATABASES['default']['CONN_MAX_AGE']}, {args.rounds} rounds of {args.n} requests a page"
        f" after {args.warm} warm"
    )
    measure(pages, sessions, args.n, args.warm, args.rounds)
    if args.breakdown:
        page = pages[0]
        middleware_breakdown(page, sessions[page.role], args.n, args.warm)
        profile_breakdown(page, sessions[page.role], args.n, args.warm, args.top)


if __name__ == "__main__":
    main()
