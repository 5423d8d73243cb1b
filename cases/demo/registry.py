"""The demo seed's registry. Each app registers its own parts of the demo force in a `demo.py` module
(autodiscovered, like `risk_rules.py` with the risk engine), so cases writes no row of the apps built on
it and names none of them:

    @demo_part(order=70)
    def reports(seed: DemoSeed) -> None: ...

`seed_demo` runs the data parts in order inside one transaction, then (with DEBUG on) the login parts,
and prints what each login note adds. A part reads what earlier parts left on the seed (`seed.officers`,
`seed.onyx_reviews`, ...) and may leave more for later ones."""

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from cases.calendar import months_before, today
from cases.models import Officer

from .figures import BATCH_SIZE, HISTORY_YEARS, STAFF_USER_PREFIXES, DemoFigures

Log = Callable[[str], None]


class DemoSeed:
    """What the parts share: one random generator, the figures at this scale, the day the seed runs (every
    demo date counts back from it) and a summary printed at the end."""

    def __init__(self, *, people: int, seed: int, log: Log, on=None):
        self.rng = random.Random(seed)
        self.figures = DemoFigures.for_people(people)
        self.log = log
        self.today = on or today()
        # The latest moment a demo row may carry: this hour (a whole hour, so two seeds in the same hour
        # give the same rows).
        now = timezone.now().astimezone(dt.UTC)
        end_of_today = dt.datetime.combine(self.today, dt.time(23, 0), tzinfo=dt.UTC)
        self.as_of = min(now, end_of_today).replace(minute=0, second=0, microsecond=0)
        self.history_start = months_before(self.today, 12 * HISTORY_YEARS)
        self.summary: list[str] = []

    def at(self, day: dt.date) -> dt.datetime:
        """A working-hours moment on that day, never after `as_of`."""
        moment = dt.datetime.combine(day, dt.time(self.rng.randint(8, 18), self.rng.randint(0, 59)), tzinfo=dt.UTC)
        return moment if moment <= self.as_of else self.as_of - dt.timedelta(minutes=moment.minute + 1)

    def bulk(self, model, rows, what: str):
        created = model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.log(f"  {what}: {len(created):,}")
        return created


class DemoLogins:
    """What the login parts share: the demo logins by username (made by the first part) and the day."""

    def __init__(self, *, log: Log, on=None):
        self.log = log
        self.today = on or today()
        self.users: dict = {}
        self.summary: list[str] = []


@dataclass(frozen=True)
class DemoPart:
    name: str
    order: int
    build: Callable
    app_label: str


_parts: dict[str, DemoPart] = {}
_login_parts: dict[str, DemoPart] = {}
_login_notes: list[Callable] = []


def _register(registry: dict, order: int) -> Callable:
    def decorator(build: Callable) -> Callable:
        app = apps.get_containing_app_config(build.__module__)
        name = f"{build.__module__}.{build.__name__}"
        registry[name] = DemoPart(name=name, order=order, build=build, app_label=app.label if app else "")
        return build

    return decorator


def demo_part(*, order: int) -> Callable:
    """Decorator: a part of the demo data, run in `order` (lower first) with the DemoSeed."""
    return _register(_parts, order)


def demo_login_part(*, order: int) -> Callable:
    """Decorator: a part of the demo logins' work, run in `order` with the DemoLogins (DEBUG only)."""
    return _register(_login_parts, order)


def demo_login_note(note: Callable) -> Callable:
    """Decorator: note(usernames) -> lines printed under the demo logins (e.g. how to sign in)."""
    if note not in _login_notes:
        _login_notes.append(note)
    return note


def autodiscover() -> None:
    autodiscover_modules("demo")


def registered_parts() -> list[DemoPart]:
    autodiscover()
    return sorted(_parts.values(), key=lambda p: (p.order, p.name))


def registered_login_parts() -> list[DemoPart]:
    autodiscover()
    return sorted(_login_parts.values(), key=lambda p: (p.order, p.name))


def login_notes(usernames: list[str]) -> list[str]:
    autodiscover()
    return [line for note in _login_notes for line in note(usernames)]


# --- running the seed -------------------------------------------------------------------------------


def demo_force_exists() -> bool:
    return Officer.objects.exists()


def demo_force_create(*, people: int, seed: int, log: Log) -> DemoSeed:
    """Build the whole demo force in one transaction: all of it or nothing."""
    state = DemoSeed(people=people, seed=seed, log=log)
    f = state.figures
    log(f"Building a force of {f.people:,} people ({f.officers:,} officers, {f.staff:,} staff) as of {state.today}.")
    with transaction.atomic():
        for part in registered_parts():
            part.build(state)
    return state


def demo_logins_create(*, log: Log) -> list[str]:
    """The demo logins and the work waiting for each (DEBUG only)."""
    state = DemoLogins(log=log)
    with transaction.atomic():
        for part in registered_login_parts():
            part.build(state)
    log(f"Demo logins: {', '.join(state.users)}")
    for line in state.summary:
        log(line)
    return list(state.users)


def _domain_models():
    # cases and its own sub-apps (the risk engine's flags), and every app that seeds demo rows.
    labels = {c.label for c in apps.get_app_configs() if c.name == "cases" or c.name.startswith("cases.")}
    labels |= {p.app_label for p in registered_parts() if p.app_label}
    return [m for label in sorted(labels) for m in apps.get_app_config(label).get_models(include_auto_created=True)]


def demo_force_reset(*, log: Log) -> None:
    """Delete every row of the apps that seed demo data, and the demo's own users. On PostgreSQL one
    TRUNCATE ... CASCADE (which also restarts the id sequences, so a seed gives the same ids again)."""
    existing = set(connection.introspection.table_names())
    tables = [m._meta.db_table for m in _domain_models() if m._meta.db_table in existing]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Run the deferred foreign-key checks now: TRUNCATE refuses a table with pending
                # trigger events (rows written earlier in the same transaction, as in tests).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
                cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        else:
            _delete_all(tables)
        User = get_user_model()
        users = User.objects.none()
        for prefix in STAFF_USER_PREFIXES:
            users |= User.objects.filter(username__startswith=prefix)
        users.delete()
    log(f"Deleted the domain rows of {len(tables)} tables and the demo users.")


def _delete_all(tables: list[str]) -> None:
    # SQLite has no TRUNCATE. Django declares SQLite foreign keys DEFERRABLE INITIALLY DEFERRED,
    # so inside the transaction the order of the DELETEs is free; the AUTOINCREMENT counters are
    # cleared so ids start again at 1. Table names come from the app registry, not from input.
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
        placeholders = ", ".join(["%s"] * len(tables))
        cursor.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({placeholders})", tables)  # noqa: S608
