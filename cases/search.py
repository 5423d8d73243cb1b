"""Staff search: officers by part of a name, staff or collar number (accent- and case-insensitive on
PostgreSQL through the unaccent and pg_trgm indexes of migration 0015; a plain icontains on SQLite), and
one search box for everything a user may open, gathered from each app's registered source.

Every source reads through its app's selectors, so a result is never a record the user could not open
from its own list. Apps above cases register their sources from their own `search.py` (autodiscovered
like admin.py), so cases never imports vetting or hotline."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Func, Q, QuerySet, Value
from django.db.models.functions import Upper
from django.utils.module_loading import autodiscover_modules

MAX_QUERY = 100
PER_SOURCE = 20


class Unaccent(Func):
    """The IMMUTABLE unaccent wrapper migration 0015 creates, so the trigram indexes serve the search."""

    function = "dps_unaccent"


def _folded(expression):
    if connection.vendor == "postgresql":
        return Upper(Unaccent(expression))
    return Upper(expression)


def officer_search_filter(q: str, *, prefix: str = "") -> Q:
    """Every word of `q` in the first name, surname, staff or collar number (any part of them)."""
    condition = Q()
    for word in q.split()[:5]:
        condition &= (
            Q(_first_folded__contains=_folded(Value(word)))
            | Q(_last_folded__contains=_folded(Value(word)))
            | Q(**{f"{prefix}staff_number__icontains": word})
            | Q(**{f"{prefix}collar_number__icontains": word})
        )
    return condition


def officer_search(qs: QuerySet, q: str, *, prefix: str = "") -> QuerySet:
    """Narrow an officer queryset (or one joined to officers through `prefix`, e.g. "subject__") that a
    selector already filtered for the user."""
    q = q.strip()[:MAX_QUERY]
    if not q:
        return qs
    return qs.alias(
        _first_folded=_folded(F(f"{prefix}first_name")), _last_folded=_folded(F(f"{prefix}last_name"))
    ).filter(officer_search_filter(q, prefix=prefix))


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "Officer", "Case", "Hotline report"
    text: str
    url: str


@dataclass(frozen=True)
class SearchGroup:
    kind: str
    hits: list[SearchHit]
    more_url: str = ""  # the full filtered list, where there is one


Source = Callable[..., Iterable[SearchGroup]]
_sources: list[Source] = []
_discovered = False


def search_source(fn: Source) -> Source:
    _sources.append(fn)
    return fn


def search_everything(*, user, q: str) -> list[SearchGroup]:
    """What this user may open that matches `q`: one group per kind, each at most PER_SOURCE long."""
    global _discovered
    if not _discovered:
        autodiscover_modules("search")
        _discovered = True
    q = q.strip()[:MAX_QUERY]
    if not q:
        return []
    return [group for source in _sources for group in source(user=user, q=q) if group.hits]


@search_source
def _officers_and_cases(*, user, q):
    from urllib.parse import urlencode

    from django.urls import reverse

    from . import selectors
    from .permissions import OFFICER_READERS, roles_of
    from .roles import Role

    roles = roles_of(user)
    groups = []
    if roles & OFFICER_READERS:
        # In folded-name order, as the officer list (cases.filters.OfficerFilter): no btree walks it, so PostgreSQL
        # reads the matches through the trigram indexes, rather than walking officer_by_name from "A" (issue 18).
        officers = officer_search(selectors.officer_list(user=user), q).order_by("_last_folded", "_first_folded", "id")
        groups.append(
            SearchGroup(
                "Officers and staff",
                [
                    SearchHit(
                        "Officer",
                        f"{o.full_name} ({o.staff_number}{', collar ' + o.collar_number if o.collar_number else ''})",
                        reverse("cases:officer_detail", args=[o.public_id]),
                    )
                    for o in officers[:PER_SOURCE]
                ],
                f"{reverse('cases:officer_list')}?{urlencode({'q': q})}",
            )
        )
    # The case pages' readers (oversight bodies read cases through the API, not these pages).
    if roles & {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER}:
        cases = (
            selectors.case_list(user=user)
            .filter(reference__icontains=q)
            .select_related("subject")
            .order_by("-opened_at", "-id")
        )
        groups.append(
            SearchGroup(
                "Cases",
                [
                    SearchHit(
                        "Case",
                        f"{c.reference}: {c.subject.full_name} — {c.get_status_display()}",
                        reverse("cases:case_detail", args=[c.public_id]),
                    )
                    for c in cases[:PER_SOURCE]
                ],
                f"{reverse('cases:case_list')}?{urlencode({'q': q})}",
            )
        )
    return groups
