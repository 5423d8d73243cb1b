"""The officer profile's single timeline, newest first.

Each app contributes the records it owns by registering a source here from its own `timeline.py`
(autodiscovered like admin.py), so cases never imports vetting or hotline. A source gets the user,
the officer and `limit`, and returns at most `limit` entries of each kind it owns, the newest ones
(every query ordered newest first), already filtered by what that user may see. The newest `limit`
entries of the whole timeline are then among them, so one merge gives any page of it with a fixed
number of queries, however long the history."""

import datetime as dt
from collections import namedtuple
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connections, models
from django.db.models import F, Value
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

PER_SOURCE = 50
# The profile shows the newest entries; the rest are a page away (`officer_timeline_page`).
PROFILE_ENTRIES = 25
PAGE_ENTRIES = 50
# Deeper than this the timeline page answers 404: each source would read PAGE_ENTRIES × page rows.
MAX_PAGES = 20


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    kind: str
    text: str
    url: str = ""


Source = Callable[..., Iterable[TimelineEntry]]
_sources: list[Source] = []
_discovered = False


def timeline_source(fn: Source) -> Source:
    _sources.append(fn)
    return fn


def as_moment(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


def _when(entry: TimelineEntry) -> dt.datetime:
    return entry.when


def officer_timeline(*, user, officer, limit: int = PER_SOURCE, allegations=None, cases=None) -> list[TimelineEntry]:
    """The newest `limit` entries of the officer's timeline this user may see, newest first.

    `allegations` and `cases`, when given, are the rows the profile already read for its own lists
    (`casework_allegation_rows`, `casework_case_rows`, with at least `limit` rows asked for): the
    timeline reuses them instead of reading the same rows again."""
    global _discovered
    if not _discovered:
        autodiscover_modules("timeline")
        _discovered = True
    # cases' own entries first (as when they were the first registered source: ties keep this order).
    entries = _casework(user=user, officer=officer, limit=limit, allegations=allegations, cases=cases)
    entries += [entry for source in _sources for entry in source(user=user, officer=officer, limit=limit)]
    entries.sort(key=_when, reverse=True)
    return entries[:limit]


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    number: int
    has_older: bool

    @property
    def older_number(self) -> int:
        return self.number + 1

    @property
    def newer_number(self) -> int:
        return self.number - 1


def officer_timeline_page(*, user, officer, number, size: int = PAGE_ENTRIES) -> TimelinePage:
    """Page `number` (from 1) of the timeline: one more entry than the page is read to know whether
    older ones exist. A page past MAX_PAGES, or not a number, is 404 (as Django's paginator does)."""
    try:
        number = int(number or 1)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 1 <= number <= MAX_PAGES:
        raise Http404
    entries = officer_timeline(user=user, officer=officer, limit=number * size + 1)
    start = (number - 1) * size
    if number > 1 and len(entries) <= start:
        raise Http404
    return TimelinePage(entries[start : start + size], number, len(entries) > start + size)


# The columns a source's kinds of row share in one compound query: a kind fills the slots it needs.
_SLOT_FIELDS = {
    "at": models.DateTimeField,
    "at2": models.DateTimeField,
    "on": models.DateField,
    "on2": models.DateField,
    "pid": models.UUIDField,
    "t1": models.TextField,
    "t2": models.TextField,
    "t3": models.TextField,
    "t4": models.TextField,
    "flag": models.BooleanField,
}
Row = namedtuple("Row", ["id", *_SLOT_FIELDS])


def newest_rows(limit: int, *kinds) -> list[list[Row]]:
    """The newest `limit` rows of each kind, read in one query (UNION ALL, the order and limit inside
    each branch) instead of one query per kind: each query costs far more to build and run through the
    ORM than its few rows cost the database. A kind is (queryset ordered newest first, {slot: field or
    expression}); its rows come back as `Row`s (the unused slots None), newest first, a list per kind.
    On a database that cannot order and limit inside a compound query (SQLite) each kind is read alone."""
    branches = []
    for number, (queryset, slots) in enumerate(kinds):
        columns = {"tl_kind": Value(number), "tl_id": F("id")}
        for slot, field in _SLOT_FIELDS.items():
            source = slots.get(slot)
            columns[f"tl_{slot}"] = (
                Cast(Value(None), output_field=field())
                if source is None
                else F(source)
                if isinstance(source, str)
                else source
            )
        branches.append(queryset.annotate(**columns).values_list(*columns)[:limit])
    if len(branches) > 1 and connections[branches[0].db].features.supports_slicing_ordering_in_compound:
        rows = list(branches[0].union(*branches[1:], all=True))
    else:
        rows = [row for branch in branches for row in branch]
    per_kind: list[list[Row]] = [[] for _ in kinds]
    for number, *values in rows:
        per_kind[number].append(Row(*values))
    # A compound query's rows come in no promised order: each kind's newest first again (by the date
    # its branch is ordered by, then id, as every source orders).
    for kind_rows in per_kind:
        kind_rows.sort(key=_newest, reverse=True)
    return per_kind


def _newest(row: Row):
    return (row.at if row.at is not None else row.on, row.id)


def _labels(choices) -> dict:
    return dict(choices)


# Columns of the rows shared with the profile's lists (the profile shows the public id, the case link).
ALLEGATION_ROW = ("public_id", "received_on", "category", "source", "status", "case_id")
CASE_ROW = ("public_id", "reference", "status", "opened_at")


def casework_allegation_rows(*, user, officer, limit: int) -> list[tuple]:
    """The newest `limit` allegations about the officer this user may see, as ALLEGATION_ROW tuples."""
    from . import selectors

    allegations = selectors.officer_allegations(user=user, officer=officer).select_related(None)
    return list(allegations.values_list(*ALLEGATION_ROW)[:limit])


def casework_case_rows(*, user, officer, limit: int) -> list[tuple]:
    """The newest `limit` cases about the officer this user may see, as CASE_ROW tuples."""
    from . import selectors

    cases = selectors.officer_cases(user=user, officer=officer).select_related(None)
    return list(cases.values_list(*CASE_ROW)[:limit])


def _casework(*, user, officer, limit=PER_SOURCE, allegations=None, cases=None):
    from django.db.models.functions import Coalesce
    from django.urls import reverse

    from . import selectors
    from .models import (
        AllegationCategory,
        AllegationSource,
        AllegationStatus,
        CaseStatus,
        ConvictionCategory,
        ConvictionReviewStatus,
        OfficerEvent,
        OfficerEventKind,
        OnyxDecision,
        OnyxStatus,
    )
    from .permissions import CASE_READERS, roles_of

    if not roles_of(user) & CASE_READERS:
        return []
    # Plain tuples and label look-ups: a model instance and get_FOO_display per row cost more than
    # the rows' SQL on a long history.
    category, source, status = (
        _labels(AllegationCategory.choices),
        _labels(AllegationSource.choices),
        _labels(AllegationStatus.choices),
    )
    if allegations is None:
        allegations = casework_allegation_rows(user=user, officer=officer, limit=limit)
    entries = [
        TimelineEntry(as_moment(received), "Allegation", f"{category[c]} ({source[s]}): {status[st]}")
        for _pid, received, c, s, st, _case in allegations[:limit]
    ]
    case_status = _labels(CaseStatus.choices)
    if cases is None:
        cases = casework_case_rows(user=user, officer=officer, limit=limit)
    case_url = reverse("cases:case_detail", args=[_NIL])
    entries += [
        TimelineEntry(opened, "Case", f"{ref}: {case_status[st]}", case_url.replace(_NIL, str(pid)))
        for pid, ref, st, opened in cases[:limit]
    ]
    conviction_category, review_status = _labels(ConvictionCategory.choices), _labels(ConvictionReviewStatus.choices)
    decision, onyx_status = _labels(OnyxDecision.choices), _labels(OnyxStatus.choices)
    event_kind = _labels(OfficerEventKind.choices)
    reviews = (
        selectors.onyx_review_list(user=user)
        .filter(subject=officer)
        .select_related(None)
        .annotate(moment=Coalesce("decided_at", "created_at"))
        .order_by("-moment", "-id")
    )
    convictions, reviews, events = newest_rows(
        limit,
        (
            officer.convictions.order_by("-convicted_on", "-id"),
            {"on": "convicted_on", "t1": "category", "flag": "while_serving", "t2": "review_status"},
        ),
        (reviews, {"at": "moment", "pid": "public_id", "t1": "reference", "t2": "decision", "t3": "status"}),
        (
            OfficerEvent.objects.filter(officer=officer).order_by("-at", "-id"),
            {"at": "at", "t1": "kind", "t2": "from_value", "t3": "to_value", "t4": "reason"},
        ),
    )
    entries += [
        TimelineEntry(
            as_moment(r.on),
            "Conviction",
            f"{conviction_category[r.t1]}{' (while serving)' if r.flag else ''}: {review_status[r.t2]}",
        )
        for r in convictions
    ]
    review_url = reverse("cases:review_detail", args=[_NIL])
    entries += [
        TimelineEntry(
            r.at,
            "Onyx review",
            f"{r.t1}: {decision.get(r.t2) or onyx_status[r.t3]}",
            review_url.replace(_NIL, str(r.pid)),
        )
        for r in reviews
    ]
    entries += [
        TimelineEntry(r.at, "Status", f"{event_kind[r.t1]}: {r.t2} → {r.t3}{' — ' + r.t4 if r.t4 else ''}")
        for r in events
    ]
    return entries


# Links are reversed once per source and the id swapped in: reverse() per row was a visible cost.
_NIL = "00000000-0000-0000-0000-000000000000"
