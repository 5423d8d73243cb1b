"""Load test of the public hotline: concurrent report submissions against gunicorn on PostgreSQL.

    .venv/bin/python bench/hotline_load.py [--workers 3] [--concurrency 8] [--duration 20]
        [--argon2-time 1] [--argon2-memory-kib 4096] [--threads 1]

Creates (if missing) and migrates the bench database (BENCH_DB, default bench_hotline), starts
gunicorn on 127.0.0.1 with DEBUG off, the cache on Redis (BENCH_REDIS_URL, default db 12) and the
hotline rate limits raised for the run, then runs `concurrency` client threads for `duration`
seconds. Each submission is what a browser does: GET the form (CSRF cookie and token), then POST the
report; it counts only if the receipt page comes back. Prints sustained submissions per second and
latency percentiles of the POST and of the whole GET+POST pair. The client runs on the same machine
and takes its share of the CPU.
"""

import argparse
import http.client
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
COOKIE = re.compile(r"csrftoken=([^;]+)")


def server_env(args) -> dict:
    env = dict(os.environ)
    env.pop("CELERY_BROKER_URL", None)
    env.update(
        DATABASE_URL=f"{PG}/{args.db}",
        DATABASE_CONN_MAX_AGE="60",
        CACHE_URL=args.redis,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        HOTLINE_SUBMIT_RATE_PER_IP="1000000/m",
        HOTLINE_SUBMIT_RATE_GLOBAL="1000000/m",
        HOTLINE_ARGON2_TIME_COST=str(args.argon2_time),
        HOTLINE_ARGON2_MEMORY_KIB=str(args.argon2_memory_kib),
        PRIVATE_MEDIA_ROOT=str(ROOT / "private-media-bench"),
    )
    return env


def prepare_database(args, env) -> None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.db):
        sys.exit("--db must be a plain lower-case database name")
    exists = subprocess.run(
        ["psql", f"{PG}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{args.db}'"],  # noqa: S608
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", args.db], check=True)
    python = str(ROOT / ".venv/bin/python")
    subprocess.run([python, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(["psql", f"{PG}/{args.db}", "-qc", "TRUNCATE hotline_hotlinereport CASCADE"], check=True)


def start_gunicorn(args, env) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv/bin/gunicorn"),
        "misconduct.wsgi",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status < 500:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    sys.exit("gunicorn did not start")


class Client(threading.Thread):
    def __init__(self, port, stop_at, results):
        super().__init__(daemon=True)
        self.port, self.stop_at, self.results = port, stop_at, results

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        n = 0
        while time.time() < self.stop_at:
            n += 1
            started = time.perf_counter()
            try:
                conn.request("GET", "/hotline/report/")
                form = conn.getresponse()
                page = form.read()
                cookie = COOKIE.search(form.getheader("Set-Cookie") or "").group(1)
                token = TOKEN.search(page).group(1).decode()
                body = urllib.parse.urlencode(
                    {
                        "csrfmiddlewaretoken": token,
                        "category": "personal_advantage",
                        "what_happened": f"Load test report {self.name}-{n}: an officer took money for favours.",
                        "where_happened": "High Street",
                        "relationship": "witness",
                        "anonymous": "yes",
                    }
                )
                posted = time.perf_counter()
                conn.request(
                    "POST",
                    "/hotline/report/",
                    body=body,
                    headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"},
                )
                response = conn.getresponse()
                ok = response.status == 200 and b'data-testid="receipt-code"' in response.read()
            except (OSError, http.client.HTTPException, AttributeError):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.results.append((time.time(), False, 0.0, 0.0))
                continue
            done = time.perf_counter()
            self.results.append((time.time(), ok, done - posted, done - started))


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_pids(server, db) -> dict[str, list[int]]:
    """The gunicorn workers and the PostgreSQL backends serving the bench database."""
    workers = [int(p) for p in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()]
    backends = subprocess.run(
        ["psql", f"{PG}/postgres", "-tAc", f"SELECT pid FROM pg_stat_activity WHERE datname = '{db}'"],  # noqa: S608
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {"gunicorn": workers, "postgres": [int(p) for p in backends]}


def machine_busy_seconds() -> float:
    """CPU seconds every process on the machine has used (all cores), from /proc/stat."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(pids) -> dict[str, float]:
    taken = {kind: {p: cpu_seconds(p) for p in group} for kind, group in pids.items()}
    taken["client"] = {0: sum(os.times()[:2])}
    taken["machine"] = {0: machine_busy_seconds()}
    return taken


def cpu_used(before, after) -> dict[str, float]:
    return {kind: sum(after[kind].get(p, 0) - before[kind].get(p, 0) for p in before[kind]) for kind in before}


def percentile(values, p):
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread if > 1)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--argon2-time", type=int, default=1)
    parser.add_argument("--argon2-memory-kib", type=int, default=4096)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", default=os.environ.get("BENCH_DB", "bench_hotline"))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"))
    args = parser.parse_args()

    env = server_env(args)
    prepare_database(args, env)
    server = start_gunicorn(args, env)
    try:
        results: list = []
        start = time.time()
        stop_at = start + args.warmup + args.duration
        clients = [Client(args.port, stop_at, results) for _ in range(args.concurrency)]
        for c in clients:
            c.start()
        time.sleep(args.warmup)
        pids = server_pids(server, args.db)
        before = cpu_snapshot(pids)
        for c in clients:
            c.join()
        used = cpu_used(before, cpu_snapshot(pids))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    measured = [r for r in results if r[0] >= start + args.warmup]
    good = [r for r in measured if r[1]]
    failed = len(measured) - len(good)
    stored = subprocess.run(
        ["psql", f"{PG}/{args.db}", "-tAc", "SELECT count(*) FROM hotline_hotlinereport"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    posts = [r[2] * 1000 for r in good]
    pairs = [r[3] * 1000 for r in good]
    print(
        f"cores={os.cpu_count()} gunicorn workers={args.workers} threads={args.threads} "
        f"clients={args.concurrency} argon2id t={args.argon2_time} m={args.argon2_memory_kib} KiB"
    )
    print(f"measured {args.duration:.0f} s after {args.warmup:.0f} s warm-up: {len(good)} submissions, {failed} failed")
    print(f"sustained: {len(good) / args.duration:.1f} submissions/s (reports stored in all: {stored})")
    if good:
        machine = used.pop("machine")
        others = machine - sum(used.values())
        print(
            f"machine busy {machine / args.duration:.2f} of {os.cpu_count()} cores; "
            f"other processes (not this benchmark) {others / args.duration:.2f} cores"
        )
        per = {kind: seconds * 1000 / len(good) for kind, seconds in used.items()}
        server_ms = per["gunicorn"] + per["postgres"]
        print(
            "CPU ms per submission: "
            + "  ".join(f"{kind} {ms:.1f}" for kind, ms in per.items())
            + f"  -> the server side alone: {os.cpu_count() * 1000 / server_ms:.0f}/s on {os.cpu_count()} idle cores"
        )
        print(
            f"POST latency ms: p50 {percentile(posts, 50):.1f}  p95 {percentile(posts, 95):.1f}  "
            f"p99 {percentile(posts, 99):.1f}"
        )
        print(f"GET+POST latency ms: p50 {percentile(pairs, 50):.1f}  p95 {percentile(pairs, 95):.1f}")


if __name__ == "__main__":
    main()
