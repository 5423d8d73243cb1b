"""The officer profile's single timeline, newest first.

Each app contributes the records it owns by registering a source here from its own `timeline.py`
(autodiscovered like admin.py), so cases never imports vetting or hotline. A source gets the user
and the officer and returns entries it has already filtered by what that user may see."""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

PER_SOURCE = 50


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


def officer_timeline(*, user, officer) -> list[TimelineEntry]:
    global _discovered
    if not _discovered:
        autodiscover_modules("timeline")
        _discovered = True
    entries = [entry for source in _sources for entry in source(user=user, officer=officer)]
    return sorted(entries, key=lambda e: e.when, reverse=True)


@timeline_source
def _casework(*, user, officer):
    from django.urls import reverse

    from . import selectors
    from .models import OfficerEvent
    from .permissions import CASE_READERS, roles_of

    if not roles_of(user) & CASE_READERS:
        return []
    entries = []
    allegations = selectors.officer_allegations(user=user, officer=officer).select_related(None)
    for a in allegations.only("received_on", "category", "source", "status")[:PER_SOURCE]:
        entries.append(
            TimelineEntry(
                as_moment(a.received_on),
                "Allegation",
                f"{a.get_category_display()} ({a.get_source_display()}): {a.get_status_display()}",
            )
        )
    cases = selectors.officer_cases(user=user, officer=officer).select_related(None)
    for c in cases.only("public_id", "reference", "status", "opened_at")[:PER_SOURCE]:
        entries.append(
            TimelineEntry(
                c.opened_at,
                "Case",
                f"{c.reference}: {c.get_status_display()}",
                reverse("cases:case_detail", args=[c.public_id]),
            )
        )
    for c in officer.convictions.all()[:PER_SOURCE]:
        entries.append(
            TimelineEntry(
                as_moment(c.convicted_on),
                "Conviction",
                f"{c.get_category_display()}{' (while serving)' if c.while_serving else ''}: "
                f"{c.get_review_status_display()}",
            )
        )
    reviews = selectors.onyx_review_list(user=user).filter(subject=officer).select_related(None)
    for r in reviews.only("public_id", "reference", "decision", "status", "decided_at", "created_at")[:PER_SOURCE]:
        entries.append(
            TimelineEntry(
                r.decided_at or r.created_at,
                "Onyx review",
                f"{r.reference}: {r.get_decision_display() or r.get_status_display()}",
                reverse("cases:review_detail", args=[r.public_id]),
            )
        )
    for e in OfficerEvent.objects.filter(officer=officer)[:PER_SOURCE]:
        entries.append(
            TimelineEntry(
                e.at,
                "Status",
                f"{e.get_kind_display()}: {e.from_value} → {e.to_value}{' — ' + e.reason if e.reason else ''}",
            )
        )
    return entries
