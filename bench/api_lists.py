"""Server time of the API's cases and officers lists at page size 100 on the Met-scale data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_met DEBUG=0 SECRET_KEY=bench \
      ALLOWED_HOSTS=testserver SECURE_SSL_REDIRECT=0 .venv/bin/python bench/api_lists.py

Read-only on the database: everything the run needs (a signed-in supervisor, an oversight client's
token) and everything the requests write (sessions, the access records of each list read) is made
inside one transaction that is rolled back at the end. Each list is requested in-process through
Django's test client (middleware, authentication, throttle, selectors, filters, serializer, ETag),
warmed once, then timed over --repeat requests; prints median and p95 ms and the SQL query count.
Target: under 100 ms (issue 15).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "misconduct.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from cases.models import Case, Officer  # noqa: E402
from cases.roles import Role  # noqa: E402
from cases.services.api_clients import api_client_create  # noqa: E402

TARGET_MS = 100


def staff_client(role: str) -> Client:
    user = get_user_model().objects.create_user(username=f"bench-api-{role}", password=None)
    user.groups.add(Group.objects.get(name=Role(role).label))
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def oversight_headers() -> dict:
    admin = get_user_model().objects.create_user(username="bench-api-admin", password=None, is_superuser=True)
    _, token = api_client_create(name="bench oversight", role=Role.OVERSIGHT, by=admin)
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


def measure(client: Client, url: str, repeat: int, **headers) -> tuple[float, float, int, int]:
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code, response.content[:200])
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, **headers)
        times.append((time.perf_counter() - start) * 1000)
    rows = len(response.json()["results"])
    p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
    return statistics.median(times), p95, len(ctx), rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"{Officer.objects.count()} officers and staff, {Case.objects.count()} cases")
    failed = False
    with transaction.atomic():
        supervisor = staff_client(Role.SUPERVISOR)
        oversight = oversight_headers()
        runs = [
            ("cases, supervisor", supervisor, "/api/v1/cases/?page_size=100", {}),
            ("cases, oldest first, supervisor", supervisor, "/api/v1/cases/?page_size=100&sort=oldest", {}),
            ("cases, status filter, supervisor", supervisor, "/api/v1/cases/?page_size=100&status=closed", {}),
            ("cases, oversight token", Client(), "/api/v1/cases/?page_size=100", oversight),
            ("officers, supervisor", supervisor, "/api/v1/officers/?page_size=100", {}),
            ("officers, status filter, supervisor", supervisor, "/api/v1/officers/?page_size=100&status=serving", {}),
        ]
        print(f"{'list':40} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'rows':>5}")
        for label, client, url, headers in runs:
            median, p95, queries, rows = measure(client, url, args.repeat, **headers)
            failed |= median > TARGET_MS
            print(f"{label:40} {median:10.1f} {p95:8.1f} {queries:8d} {rows:5d}")
        transaction.set_rollback(True)  # leave the benchmark database as it was
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
