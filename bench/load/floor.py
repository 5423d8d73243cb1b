"""The floor: a bare Django view that replays the exact SQL a page ran and prints the rows.

Served by gunicorn with the app's gunicorn settings (run.py):
    DJANGO_SETTINGS_MODULE=bench.load.floor_settings gunicorn --config python:misconduct.gunicorn \
        bench.load.floor:application

Every path answers the same way: the X-Bench-Page header names the captured page, X-Bench-User the
simulated user (which of the role's floor sessions the session statements touch, so that concurrent
users never update one session row, as in the real app). The statements run in their captured order
over one cursor, BEGIN and COMMIT included; a server-side cursor's DECLARE runs as its SELECT (the
app fetches all its rows). Each result's rows come back as a plain HTML table. No middleware, no
template, no ORM: what is left is Django's request handling, the database round trips and the rows.
"""

import html
import json
import re
from functools import cache

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.http import HttpResponse, HttpResponseNotFound
from django.urls import re_path

DECLARE = re.compile(r'^DECLARE "[^"]+" NO SCROLL CURSOR WITH(?:OUT)? HOLD FOR ', re.ASCII)


def prepare(statement: str) -> str:
    """The statement as the floor runs it: a server-side cursor's DECLARE becomes its SELECT."""
    return DECLARE.sub("", statement)


@cache
def scripts() -> dict:
    """Per page, its statements (one list per floor session); read once per worker."""
    with open(settings.BENCH_FLOOR_STATEMENTS) as fh:
        data = json.load(fh)
    out = {}
    for key, page in data["pages"].items():
        sql = [prepare(statement) for statement in page["sql"]]
        captured = page["session"]
        if captured is None:
            out[key] = [sql]
            continue
        sessions = data["sessions"][page["role"]]
        out[key] = [[s.replace(captured, session) for s in sql] for session in sessions]
    return out


def table(description, rows) -> str:
    head = "".join(f"<th>{html.escape(col.name)}</th>" for col in description)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>\n"


def replay(statements: list[str]) -> str:
    parts = []
    with connection.cursor() as cursor:
        try:
            for statement in statements:
                cursor.execute(statement)
                if cursor.description is not None:
                    parts.append(table(cursor.description, cursor.fetchall()))
        except Exception:
            cursor.execute("ROLLBACK")  # never leave a persistent connection inside a failed transaction
            raise
    return "".join(parts)


def page(request):
    variants = scripts().get(request.headers.get("X-Bench-Page", ""))
    if variants is None:
        return HttpResponseNotFound("no such captured page\n")
    user = int(request.headers.get("X-Bench-User", "0") or 0)
    body = replay(variants[user % len(variants)])
    return HttpResponse(f"<!doctype html><html><body>\n{body}</body></html>\n")


urlpatterns = [re_path(r"", page)]
application = get_wsgi_application()
