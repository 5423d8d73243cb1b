"""The simulated staff, for locust: one user class that walks the weighted mix of pages.py.

One pass of the mix holds each page `weight` times in a fixed shuffled order; user i starts at its
own offset in it, so 20 users request different pages at once and each page's share of the load is
its weight. Each request goes as the page's role: that role's session i (a cookie, as a browser
sends it) or the oversight client's token, and `X-Forwarded-Proto: https` as the TLS proxy in front
of production sets it. Redirects are not followed: anything but 200 is an error (an expired session
would answer 302 to the sign-in page). The real app ignores the X-Bench-* headers; the floor reads
them (which page, which user's floor session).

run.py drives this class in-process through locust's library API (CONTROL holds the run's state);
on its own it also runs with the locust command against a server run.py's capture set up:

    BENCH_TARGETS=/tmp/bench-load-.../targets.json .venv/bin/locust -f bench/load/locustfile.py \
        --headless -u 20 -r 20 -t 30s --host http://127.0.0.1:8000
"""

import itertools
import json
import os
import random
from dataclasses import dataclass, field

from locust import FastHttpUser, constant, task
from locust.exception import StopUser


@dataclass
class Control:
    pages: list = field(default_factory=list)  # from targets.json
    credentials: dict = field(default_factory=dict)
    sequence: list = field(default_factory=list)  # one pass of the mix
    one_pass: bool = False  # stop each user after one pass (run.py's 1-user slices)
    before_request = None  # callable(page_key), run.py's CPU attribution at 1 user
    server: str = ""  # which server this slice drives (positions are kept per server)
    positions: dict = field(default_factory=dict)  # (server, user index) -> next place in the mix
    started: int = 0  # requests sent (the server did the work even if a slice ends before the answer)
    finished_users: int = 0
    users: itertools.count = field(default_factory=itertools.count)

    def load(self, targets: dict, seed: int = 18) -> None:
        self.pages = targets["pages"]
        self.credentials = targets["credentials"]
        sequence = [page for page in self.pages for _ in range(page["weight"])]
        random.Random(seed).shuffle(sequence)
        self.sequence = sequence

    def reset(self) -> None:
        self.started = 0
        self.finished_users = 0
        self.users = itertools.count()


CONTROL = Control()
if os.environ.get("BENCH_TARGETS"):
    with open(os.environ["BENCH_TARGETS"]) as fh:
        CONTROL.load(json.load(fh))


class StaffUser(FastHttpUser):
    wait_time = constant(0)  # closed loop; run.py sets think time for the 1-user slices
    host = "http://127.0.0.1:8000"

    def on_start(self):
        self.index = next(CONTROL.users)
        # Spread the users over the pass, and carry on where this user stopped in the last slice on the
        # same server, so that slice after slice both servers walk the same whole mix.
        self.key = (CONTROL.server, self.index)
        start = CONTROL.positions.get(self.key, (self.index * 7919) % len(CONTROL.sequence))
        self.left = len(CONTROL.sequence) if CONTROL.one_pass else None
        CONTROL.positions[self.key] = start

    def next_page(self) -> dict | None:
        if self.left is not None:
            if self.left == 0:
                return None
            self.left -= 1
        position = CONTROL.positions[self.key]
        CONTROL.positions[self.key] = position + 1
        return CONTROL.sequence[position % len(CONTROL.sequence)]

    def headers(self, page: dict) -> dict:
        credentials = CONTROL.credentials[page["role"]]
        headers = {"X-Forwarded-Proto": "https", "X-Bench-Page": page["key"], "X-Bench-User": str(self.index)}
        if "token" in credentials:
            headers["Authorization"] = f"Token {credentials['token']}"
        else:
            sessions = credentials["load"]
            headers["Cookie"] = f"sessionid={sessions[self.index % len(sessions)]}"
        return headers

    @task
    def request_next(self):
        page = self.next_page()
        if page is None:
            CONTROL.finished_users += 1
            raise StopUser()
        if CONTROL.before_request is not None:
            CONTROL.before_request(page["key"])
        CONTROL.started += 1
        with self.client.get(
            page["path"], headers=self.headers(page), name=page["key"], allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
        self.client.cookiejar.clear()  # the Cookie header above is the only session sent
