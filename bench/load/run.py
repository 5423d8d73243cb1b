"""The load harness, one command (issue 18): the real app and its floor under gunicorn, driven by locust.

    .venv/bin/pip install -e ".[bench]"
    .venv/bin/python bench/load/run.py                      # about 9 minutes; --help for the knobs

1. Database: a copy of the seeded Met-scale `bench_met` (default `bench_load_met`, made from it with
   CREATE DATABASE ... TEMPLATE when missing, or again with --fresh), migrated with this checkout's
   code; bench_met itself is never written to.
2. capture.py (in its own process, the app's settings): sessions per role, objects, each page once
   warm and once inside CaptureQueriesContext: the statements the floor replays.
3. Two gunicorn servers with the production settings (misconduct/gunicorn.py, WEB_CONCURRENCY sync
   workers as in docker-compose.yml, DEBUG=0, persistent connections of 60 s, the cache and broker on
   Redis): the app, and the floor (floor.py, floor_settings.py).
4. Phase 1: 1 user with think time, one pass of the mix per slice; phase 2: --users users, closed
   loop, --slice seconds per slice; in both, slices alternate real and floor (real, floor, floor,
   real, ...) so that both see the same machine; each slice starts on an idle server.
5. The tables (report.py) on stdout and in <out>/results.md; raw figures in <out>/raw.json.
"""

import argparse
import json
import os
import platform
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import report  # noqa: E402
from bench.load.drive import Driver  # noqa: E402  (imports locust: gevent's monkey patching)
from bench.load.locustfile import CONTROL  # noqa: E402

PYTHON = sys.executable
PROTECTED = {"bench_met"}  # the seeded source: never migrated, never written


def arguments():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default=os.environ.get("BENCH_LOAD_DB", "postgres://postgres@127.0.0.1:5432/bench_load_met"))
    parser.add_argument("--template", default="bench_met", help="seeded database the copy is made from")
    parser.add_argument("--fresh", action="store_true", help="drop the copy and make it again from --template")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/11", help="the served app's cache and broker")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (docker-compose.yml: 3)")
    parser.add_argument("--users", type=int, default=20, help="phase 2's closed-loop users")
    parser.add_argument("--think", default="0.05:0.15", help="phase 1's think time range, seconds")
    parser.add_argument("--one-user-seconds", type=float, default=300, help="phase 1's budget (both servers)")
    parser.add_argument("--many-users-seconds", type=float, default=120, help="phase 2's budget (both servers)")
    parser.add_argument("--slice", type=float, default=10, help="phase 2's slice length, seconds")
    out = Path(tempfile.gettempdir()) / time.strftime("bench-load-%Y%m%d-%H%M%S")
    parser.add_argument("--out", type=Path, default=out, help="logs, captured statements, results.md, raw.json")
    return parser.parse_args()


def database(url: str, template: str, fresh: bool) -> str:
    name = urlparse(url).path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name) or not re.fullmatch(r"[a-z0-9_]+", template):
        raise SystemExit("database names: lower-case letters, digits and _ only")
    if name in PROTECTED or name == template:
        raise SystemExit(f"refusing to load-test {name}: point --db at a copy")
    admin = urlunparse(urlparse(url)._replace(path="/postgres"))

    def psql(sql: str) -> subprocess.CompletedProcess:
        return subprocess.run(["psql", admin, "-v", "ON_ERROR_STOP=1", "-tAc", sql], capture_output=True, text=True)

    if fresh:
        psql(f'DROP DATABASE IF EXISTS "{name}"')
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")  # noqa: S608 (name checked above)
    if exists.stdout.strip() != "1":
        for _ in range(30):  # CREATE ... TEMPLATE fails while anyone is connected to the template
            made = psql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            if made.returncode == 0:
                break
            time.sleep(2)
        else:
            raise SystemExit(f"could not copy {template}: {made.stderr.strip()}")
        print(f"made {name} from {template}")
    return name


def app_env(args, db_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DEMO_MODE", "SECURE_SSL_REDIRECT")}
    env.update(
        DEBUG="0",
        DATABASE_URL=db_url,
        DATABASE_CONN_MAX_AGE="60",
        CACHE_URL=args.redis,
        CELERY_BROKER_URL=args.redis,
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-load-secret-key-not-for-production-0123456789abcdef"),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        WEB_CONCURRENCY=str(args.workers),
        # One oversight client sends everything the phase asks; its per-client limit (600/min) would
        # answer 429 and measure the throttle. The throttle still runs, with a limit out of reach.
        API_RATE="100000000/m",
        PYTHONUNBUFFERED="1",
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(name: str, env: dict, app: str, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [PYTHON, "-m", "gunicorn", "--config", "python:misconduct.gunicorn", "--bind", f"127.0.0.1:{port}", app]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    host = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                print(f"{name}: gunicorn pid {proc.pid} on {host}")
                return proc, host
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"{name} server exited, see {log}") from None
            time.sleep(0.1)
    raise SystemExit(f"{name} server did not start, see {log}")


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem = int(next(line.split()[1] for line in meminfo if line.startswith("MemTotal"))) // 2**20
    pg = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version"],
                        capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores ({cpu}), {mem} GiB, {platform.platform()}, Python {platform.python_version()}, " \
           f"PostgreSQL {pg}"


def main() -> None:
    args = arguments()
    args.out.mkdir(parents=True, exist_ok=True)
    name = database(args.db, args.template, args.fresh)
    env = app_env(args, args.db)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"out: {args.out}\nmigrating {name} and collecting static files ...", flush=True)
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    print("capturing each page's statements ...", flush=True)
    subprocess.run([PYTHON, "bench/load/capture.py", "--out", str(args.out), "--sessions", str(args.users)],
                   cwd=ROOT, env=env, check=True)
    targets = json.loads((args.out / "targets.json").read_text())
    CONTROL.load(targets)
    floor_env = dict(env, DJANGO_SETTINGS_MODULE="bench.load.floor_settings",
                     BENCH_FLOOR_STATEMENTS=str(args.out / "statements.json"))
    real, real_host = serve("real", env, "misconduct.wsgi:application", args.out / "gunicorn-real.log")
    floor, floor_host = serve("floor", floor_env, "bench.load.floor:application", args.out / "gunicorn-floor.log")
    driver = Driver({"real": real_host, "floor": floor_host}, {"real": real.pid, "floor": floor.pid}, name)
    try:
        print("warming both servers (one pass each, not recorded) ...", flush=True)
        for server in ("real", "floor"):
            driver.run_slice(None, server, 1, None)
        think = tuple(float(x) for x in args.think.split(":"))
        one = driver.phase("1 user", 1, args.one_user_seconds, None, think=think)
        many = driver.phase(f"{args.users} users", args.users, args.many_users_seconds, args.slice)
    finally:
        driver.close()
        for proc in (real, floor):
            proc.terminate()
        for proc in (real, floor):
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    pages = targets["pages"]
    text = "\n\n".join(
        [
            f"Run {started}, `{' '.join(sys.argv)}`, database {name} ({args.workers} sync workers per server). "
            f"Machine: {machine()}.",
            report.table_one_user(one, pages),
            report.table_many_users(many, pages),
            report.verdict(one, many, pages),
        ]
    )
    (args.out / "results.md").write_text(text + "\n")
    raw = {phase.name: {s: {"times": dict(v.times), "errors": dict(v.errors), "seconds": v.seconds,
                            "app_ns": dict(v.app_ns), "pg_ns": dict(v.pg_ns), "started": v.started}
                        for s, v in phase.servers.items()} for phase in (one, many)}
    (args.out / "raw.json").write_text(json.dumps({"targets": pages, "phases": raw}))
    print("\n" + text + f"\n\n(written to {args.out / 'results.md'})")


if __name__ == "__main__":
    main()
