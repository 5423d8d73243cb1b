"""Set-up step of the load harness (run by run.py, in its own process, under the app's settings).

1. Signs in one seeded account per role the way the login would leave it: a database session holding
   the user id, the ModelBackend path, the password hash's HMAC and the confirmed TOTP device's id
   (what django_otp's middleware reads as "verified"). `--sessions` sessions per role for locust, so
   that no two simulated people share a session row (every request saves its session), and as many
   again for the floor. The oversight body's system gets a token from an API client, as in production.
2. Picks the objects as bench/pages.py does (the officer with the most allegations, ...).
3. Requests every page of pages.py once in-process to warm caches, then once more inside
   CaptureQueriesContext, as the same user, with the floor's first session: the statements, exactly
   as psycopg sent them (client-side binding), BEGIN/COMMIT included, are the floor's script.

Writes targets.json (what locust requests, with which credentials) and statements.json (the floor's).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "misconduct.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from bench.load.pages import OVERSIGHT, PAGES, ROLES  # noqa: E402
from cases.models import ApiClient, Case, Officer, OnyxReview  # noqa: E402
from cases.roles import Role  # noqa: E402
from cases.services.api_clients import api_client_create, api_client_rotate  # noqa: E402
from hotline.models import HotlineReport  # noqa: E402
from vetting.models import VettingReview  # noqa: E402

HOST = "127.0.0.1"
CLIENT_NAME = "load harness oversight"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def role_user(role: str):
    """The seeded account that does this role's work: the investigator with the most cases and the
    panel member with the most assignments (their own lists are their heaviest), else the first."""
    users = get_user_model().objects.filter(groups__name=Role(role).label, is_active=True)
    if role == Role.INVESTIGATOR:
        users = users.annotate(n=Count("cases")).order_by("-n", "id")
    elif role == Role.PANEL_REVIEWER:
        users = users.annotate(n=Count("panel_assignments")).order_by("-n", "id")
    else:
        users = users.order_by("id")
    user = users.first()
    if user is None:
        raise SystemExit(f"no active account holds the role {role}: seed the database first")
    return user


def sessions_for(user, count: int) -> list[str]:
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="load harness", defaults={"confirmed": True})
    keys = []
    for _ in range(count):
        session = SessionStore()
        session[SESSION_KEY] = user._meta.pk.value_to_string(user)
        session[BACKEND_SESSION_KEY] = MODEL_BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        keys.append(session.session_key)
    return keys


def oversight_token() -> str:
    admin, created = get_user_model().objects.get_or_create(
        username="load-harness-admin", defaults={"is_superuser": True, "is_active": True}
    )
    if created:
        admin.set_unusable_password()
        admin.save()
    client = ApiClient.objects.filter(name=CLIENT_NAME).first()
    if client is None:
        _, token = api_client_create(name=CLIENT_NAME, role=Role.OVERSIGHT, by=admin)
    else:
        _, token = api_client_rotate(client_id=client.id, by=admin)
    return token


def objects() -> dict[str, str]:
    busy = Officer.objects.annotate(n=Count("allegations")).order_by("-n", "id").first()
    heavy_case = Case.objects.annotate(n=Count("allegations")).order_by("-n", "id").first()
    collar = Officer.objects.exclude(collar_number=None).order_by("id").values_list("collar_number", flat=True)[500]
    return {
        "officer": str(busy.public_id),
        "case": str(heavy_case.public_id),
        "collar": collar,
        "review": str(OnyxReview.objects.exclude(decided_at=None).order_by("id").first().public_id),
        "vetting_review": str(VettingReview.objects.order_by("id").first().public_id),
        "report": str(HotlineReport.objects.order_by("id").first().public_id),
    }


def capture(page, path: str, headers: dict) -> dict:
    client = Client(HTTP_HOST=HOST)
    for _ in range(2):  # warm: caches filled, first-request work done
        response = client.get(path, secure=True, **headers)
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        response = client.get(path, secure=True, **headers)
        elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{page.key} {path}: {response.status_code} for {page.role}, expected 200")
    return {
        "sql": [query["sql"] for query in ctx.captured_queries],
        "bytes": len(response.content),
        "in_process_ms": round(elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sessions", type=int, default=20, help="sessions per role (one per simulated user)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    users = {role: role_user(role) for role in ROLES if role != OVERSIGHT}
    credentials = {}
    for role, user in users.items():
        credentials[role] = {
            "user": user.username,
            "load": sessions_for(user, args.sessions),
            "floor": sessions_for(user, args.sessions),
        }
    token = oversight_token()
    credentials[OVERSIGHT] = {"user": CLIENT_NAME, "token": token}
    picks = objects()
    pages, statements = [], {}
    for page in PAGES:
        path = page.path.format(**picks)
        if page.role == OVERSIGHT:
            headers, session = {"HTTP_AUTHORIZATION": f"Token {token}"}, None
        else:
            session = credentials[page.role]["floor"][0]
            headers = {"HTTP_COOKIE": f"sessionid={session}"}
        captured = capture(page, path, headers)
        statements[page.key] = {"role": page.role, "session": session, "sql": captured["sql"]}
        pages.append(
            {
                "key": page.key,
                "label": page.label,
                "role": page.role,
                "path": path,
                "weight": page.weight,
                "api": page.api,
                "queries": len(captured["sql"]),
                "bytes": captured["bytes"],
                "in_process_ms": captured["in_process_ms"],
            }
        )
        print(f"  {page.key:22} {len(captured['sql']):3d} queries {captured['in_process_ms']:8.1f} ms  {path}")
    floor_sessions = {role: c["floor"] for role, c in credentials.items() if "floor" in c}
    settings_db = connection.settings_dict["NAME"]
    (args.out / "targets.json").write_text(
        json.dumps({"db": settings_db, "objects": picks, "pages": pages, "credentials": credentials}, indent=1)
    )
    (args.out / "statements.json").write_text(json.dumps({"pages": statements, "sessions": floor_sessions}))


if __name__ == "__main__":
    main()
