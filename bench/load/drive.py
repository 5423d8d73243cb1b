"""Locust slices against the real app and the floor, alternating, with the servers' CPU per slice.

Imported by run.py (importing locust monkey-patches the process for gevent). A slice runs locust's
local runner for one server: at 1 user, one pass of the mix with think time, the CPU of each request
read just before the next one starts (requests are sequential, so the difference between two
readings is one request's work, app and PostgreSQL apart); at N users, a fixed time, closed loop,
the CPU of the slice divided by the requests sent. After each slice the harness waits until the
server's processes are idle (requests cut off by the end of the slice still finish on the server),
so the next slice, on the other server, starts on a quiet machine and each server's CPU is its own.
"""

import logging
import os
import resource
import time
from collections import defaultdict
from dataclasses import dataclass, field

import gevent
from locust import between, constant
from locust.env import Environment
from locust.log import setup_logging

from bench.load.locustfile import CONTROL, StaffUser
from bench.load.procstat import Tracker, busy_ticks

setup_logging("WARNING")
logging.getLogger("locust").setLevel(logging.WARNING)


@dataclass
class Series:
    """What one server did in one phase."""

    times: dict = field(default_factory=lambda: defaultdict(list))  # page -> response ms
    errors: dict = field(default_factory=lambda: defaultdict(int))
    error_kinds: dict = field(default_factory=lambda: defaultdict(int))
    app_ns: dict = field(default_factory=lambda: defaultdict(list))  # page -> per-request CPU (1 user)
    pg_ns: dict = field(default_factory=lambda: defaultdict(list))
    seconds: float = 0.0
    started: int = 0
    slice_app_ns: int = 0
    slice_pg_ns: int = 0
    slices: int = 0


@dataclass
class Phase:
    name: str
    users: int
    think: tuple | None
    servers: dict = field(default_factory=lambda: {"real": Series(), "floor": Series()})
    client_cpu_s: float = 0.0
    machine_busy_cores: float = 0.0
    wall_s: float = 0.0
    load_before: tuple = ()
    load_after: tuple = ()


class Driver:
    def __init__(self, hosts: dict[str, str], masters: dict[str, int], dbname: str):
        self.hosts = hosts
        self.tracker = Tracker(masters, dbname)
        self.tracker.sample()
        self._sampler = gevent.spawn(self._sample_forever)

    def _sample_forever(self):
        while True:
            self.tracker.sample()
            gevent.sleep(0.05)

    def close(self):
        self._sampler.kill()

    def quiet(self, server: str, timeout: float = 10.0) -> dict:
        """Wait until the server's workers and PostgreSQL use under 1 ms of CPU in 100 ms."""
        deadline = time.monotonic() + timeout
        previous = self.tracker.totals()
        while True:
            gevent.sleep(0.1)
            now = self.tracker.totals()
            if now[server] - previous[server] + now["pg"] - previous["pg"] < 1_000_000:
                return now
            if time.monotonic() > deadline:
                return now
            previous = now

    def run_slice(self, phase: Phase | None, server: str, users: int, seconds: float | None) -> None:
        """One slice; phase None is a warm-up (nothing recorded). seconds None: one pass per user."""
        series = phase.servers[server] if phase else None
        CONTROL.reset()
        CONTROL.server = server
        CONTROL.one_pass = seconds is None
        StaffUser.wait_time = between(*phase.think) if phase and phase.think else constant(0)
        last = {}
        if series is not None and users == 1:

            def before(page_key):
                now = self.tracker.totals()
                if last:
                    attribute(now)
                last.update(now, page=page_key)

            def attribute(now):
                series.app_ns[last["page"]].append(now[server] - last[server])
                series.pg_ns[last["page"]].append(now["pg"] - last["pg"])

            CONTROL.before_request = before
        else:
            CONTROL.before_request = None
        env = Environment(user_classes=[StaffUser], host=self.hosts[server])
        if series is not None:

            def on_request(name, response_time, exception, **_):
                series.times[name].append(response_time)
                if exception is not None:
                    series.errors[name] += 1
                    series.error_kinds[f"{name}: {str(exception)[:80]}"] += 1

            env.events.request.add_listener(on_request)
        start_cpu = self.quiet(server)
        start = time.monotonic()
        runner = env.create_local_runner()
        runner.start(users, spawn_rate=users)
        if seconds is None:
            while CONTROL.finished_users < users:
                gevent.sleep(0.01)
        else:
            gevent.sleep(seconds)
        elapsed = time.monotonic() - start
        runner.stop()
        runner.quit()
        end_cpu = self.quiet(server)
        if series is None:
            return
        if users == 1 and last:
            attribute(end_cpu)
        series.seconds += elapsed
        series.started += CONTROL.started
        series.slice_app_ns += end_cpu[server] - start_cpu[server]
        series.slice_pg_ns += end_cpu["pg"] - start_cpu["pg"]
        series.slices += 1

    def phase(self, name: str, users: int, budget: float, slice_seconds: float | None, think=None) -> Phase:
        """Alternate real and floor (ABBA: real, floor, floor, real, ...) until the budget is spent."""
        phase = Phase(name=name, users=users, think=think, load_before=os.getloadavg())
        CONTROL.positions.clear()
        order = ["real", "floor", "floor", "real"]
        client_start = resource.getrusage(resource.RUSAGE_SELF)
        busy_start, total_start = busy_ticks()
        start = time.monotonic()
        i = 0
        while i < 2 or i % 2 or time.monotonic() - start < budget:
            self.run_slice(phase, order[i % 4], users, slice_seconds)
            i += 1
            print(f"    {name}: slice {i} ({order[(i - 1) % 4]}) at {time.monotonic() - start:5.0f} s", flush=True)
        client_end = resource.getrusage(resource.RUSAGE_SELF)
        busy_end, total_end = busy_ticks()
        phase.wall_s = time.monotonic() - start
        phase.client_cpu_s = sum(getattr(client_end, f) - getattr(client_start, f) for f in ("ru_utime", "ru_stime"))
        cores = os.cpu_count() or 1
        phase.machine_busy_cores = cores * (busy_end - busy_start) / max(1, total_end - total_start)
        phase.load_after = os.getloadavg()
        return phase
