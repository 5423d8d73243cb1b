"""Police National Database checks."""

import datetime as dt

from django.db import transaction

from cases.models import Officer
from cases.services import DomainError

from ..models import PNDCheck, PNDResult, ReviewTrigger
from .reviews import vetting_review_open

HITS = {PNDResult.POTENTIAL_MISCONDUCT, PNDResult.CRIMINAL_ASSOCIATION}


def pnd_check_record(*, officer: Officer, checked_on: dt.date, result: str, by, notes: str = "") -> PNDCheck:
    """Record one PND check (one per person per day, the constraint). A hit opens a vetting review, once
    per check (APP Vetting 6.5: PND checks; a review on new adverse information)."""
    if result not in PNDResult.values:
        raise DomainError("Choose the PND result from the list.", field="result")
    with transaction.atomic():
        check, _ = PNDCheck.objects.get_or_create(
            officer=officer,
            checked_on=checked_on,
            defaults={"result": result, "notes": notes, "created_by": by, "updated_by": by},
        )
        if check.result in HITS:
            vetting_review_open(
                officer_id=officer.pk,
                trigger=ReviewTrigger.PND_HIT,
                trigger_ref=f"pndcheck:{check.pk}",
                reason=f"PND check: {check.get_result_display()}",
                by=by,
            )
    return check
