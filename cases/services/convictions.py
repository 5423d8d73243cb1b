"""Recording a caution or conviction held by a member of the force."""

import datetime as dt

from django.db import transaction

from .. import events
from ..models import Conviction, ConvictionCategory, Officer
from .access import DomainError


def conviction_record(
    *,
    officer: Officer,
    category: str,
    convicted_on: dt.date,
    by,
    offence_on: dt.date | None = None,
    while_serving: bool = False,
    disposal: str = "",
) -> Conviction:
    """Record a caution or conviction; the apps above hear of it (vetting reviews every new one: Vetting
    Code of Practice 2023 and APP, reviews on new adverse information) through `conviction_recorded`."""
    if category not in ConvictionCategory.values:
        raise DomainError("Choose the offence category from the list.", field="category")
    with transaction.atomic():
        conviction = Conviction.objects.create(
            officer=officer,
            category=category,
            convicted_on=convicted_on,
            offence_on=offence_on,
            while_serving=while_serving,
            disposal=disposal,
            created_by=by,
            updated_by=by,
        )
        conviction_published(conviction=conviction, by=by)
    return conviction


def conviction_published(*, conviction: Conviction, by) -> None:
    """Tell the apps above of a conviction written by another door (the admin)."""
    events.publish_on_commit(
        events.conviction_recorded,
        conviction_id=conviction.pk,
        officer_id=conviction.officer_id,
        actor_id=getattr(by, "pk", None),
    )
