"""Convictions and the misconduct they lead to.

Since 28 May 2025 "conduct which has resulted in conviction of an indictable-only offence is to be taken to
constitute" gross misconduct "for the purposes of these Regulations" (Police (Conduct) Regulations 2020, reg 2(1)
"gross misconduct", words added by SI 2025/558 reg 6(2)(c)); "indictable-only" means, for an offence in England and
Wales, one "triable only on indictment if committed by an adult" (reg 2(2A), inserted by SI 2025/558 reg 6(3)).
A conviction is referred to misconduct as an allegation linked to it (conviction_refer); the severity assessment of
a case holding such an allegation can then be nothing but gross misconduct (severity_floor, severity_check, called
from the casework service's severity assessment, re-assessment and referral to reflective practice)."""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from cases.roles import Role, has_role

from .. import events
from ..models import (
    Allegation,
    AllegationCategory,
    AllegationSource,
    Case,
    Conviction,
    ConvictionCategory,
    ConvictionKind,
    ConvictionReviewStatus,
    ModeOfTrial,
    Officer,
    OfficerEvent,
    OfficerEventKind,
    PersonKind,
    Severity,
)
from .access import DomainError, investigator_conflicted
from .conviction_policy import conviction_policy_stamp
from .submissions import submission_claim

# SI 2025/558 reg 1(1): in force on 28 May 2025. Its reg 64(1) keeps the Part 3 amendments (reg 6 among them) from
# "a pre-commencement allegation" (⚠ its definition was not read: taken as one that came to notice before that day).
SI_2025_558_IN_FORCE = dt.date(2025, 5, 28)

CRS = ConvictionReviewStatus
# The conviction review as a workflow: the one move written so far, referral to misconduct.
CONVICTION_TRANSITIONS = {"refer": ({CRS.PENDING, CRS.UNDER_REVIEW}, CRS.REFERRED)}

ALLEGATION_CATEGORY_OF_CONVICTION = {
    ConvictionCategory.SERIOUS_TRAFFIC: AllegationCategory.OTHER,
    ConvictionCategory.DISHONESTY: AllegationCategory.DISHONESTY,
    ConvictionCategory.VIOLENCE: AllegationCategory.VIOLENCE,
    ConvictionCategory.SEXUAL: AllegationCategory.SEXUAL_OFFENCE,
    ConvictionCategory.DRUGS: AllegationCategory.DRUGS,
    ConvictionCategory.CRIMINAL_DAMAGE: AllegationCategory.OTHER,
    ConvictionCategory.PUBLIC_ORDER: AllegationCategory.OTHER,
}


def deemed_gross_misconduct_allegations():
    """The allegations that are gross misconduct by reg 2(1) as amended: linked to an indictable-only conviction,
    come to notice on or after 28 May 2025 (SI 2025/558 reg 64(1) ⚠), about a police officer (the Conduct
    Regulations apply to officers and special constables, reg 4(1); police staff follow the staff procedure)."""
    return Allegation.objects.filter(
        conviction__mode_of_trial=ModeOfTrial.INDICTABLE_ONLY,
        received_on__gte=SI_2025_558_IN_FORCE,
        subject__kind=PersonKind.OFFICER,
    )


def severity_floor(case: Case) -> str | None:
    """The least severity the case may be assessed at: gross misconduct where one of its allegations arises from an
    indictable-only conviction (reg 2(1) "gross misconduct" as amended by SI 2025/558 reg 6(2)(c)); otherwise none."""
    deemed = deemed_gross_misconduct_allegations().filter(case_id=case.pk).exists()
    return Severity.GROSS_MISCONDUCT if deemed else None


def cases_assessed_below_conviction_floor():
    """Set-based, for the conduct checker: every case holding such an allegation assessed as anything but gross
    misconduct (practice requiring improvement or misconduct)."""
    deemed = deemed_gross_misconduct_allegations().filter(case_id=OuterRef("pk"))
    return Case.objects.filter(severity__in=[Severity.NEITHER, Severity.MISCONDUCT]).filter(Exists(deemed))


# The conduct checker's rule (cases/conduct_check.py RULES): key, title, citation, offenders.
CONVICTION_FLOOR_RULE = (
    "conviction_gross_misconduct",
    "Case from an indictable-only conviction assessed as less than gross misconduct",
    "reg 2(1) 'gross misconduct', (2A), as amended by SI 2025/558 reg 6(2)(c), (3); reg 64(1) ⚠",
    cases_assessed_below_conviction_floor,
)


def severity_check(case: Case, severity: str) -> None:
    """Refuse a severity below the case's floor (see severity_floor)."""
    if severity_floor(case) == Severity.GROSS_MISCONDUCT and severity != Severity.GROSS_MISCONDUCT:
        raise DomainError(
            "A conviction for an indictable-only offence is gross misconduct (Police (Conduct) Regulations 2020, "
            "reg 2(1) as amended by SI 2025/558 reg 6(2)(c)): assess this case as gross misconduct.",
            field="severity",
        )


def conviction_refer(
    *,
    conviction: Conviction,
    by,
    received_on: dt.date | None = None,
    narrative: str = "",
    mode_of_trial: str = "",
    once_token: str = "",
) -> Allegation:
    """Refer a conviction to misconduct: an allegation about the convicted person, from the conviction and linked to
    it, which the appropriate authority then assesses (an indictable-only one as gross misconduct). By DPS staff not
    conflicted on the person; the conviction's mode of trial must be known (given here if not yet recorded); the
    allegation comes to notice on a day not before the conviction nor in the future. The conviction row is locked
    and its review moves along CONVICTION_TRANSITIONS with an event on the person's history; a repeat of the same
    form (same `once_token`) returns the first allegation."""
    if not has_role(by, Role.INVESTIGATOR, Role.SUPERVISOR):
        raise DomainError("Only DPS investigators and supervisors refer a conviction to misconduct.")
    if investigator_conflicted(user=by, officer_id=conviction.officer_id):
        raise DomainError("You are conflicted on this person.")
    if mode_of_trial and mode_of_trial not in ModeOfTrial.values:
        raise DomainError("Choose how the offence is triable.", field="mode_of_trial")
    today = timezone.localdate()
    received_on = received_on or today
    from_statuses, to_status = CONVICTION_TRANSITIONS["refer"]
    with transaction.atomic():
        claim = submission_claim(token=once_token, by=by, purpose="conviction_refer")
        if claim.replayed:
            return Allegation.objects.get(pk=claim.replayed_id)
        conviction = Conviction.objects.select_for_update().select_related("officer").get(pk=conviction.pk)
        if conviction.review_status not in from_statuses:
            raise DomainError(f"This conviction is {conviction.get_review_status_display().lower()}.")
        if conviction.mode_of_trial and mode_of_trial and mode_of_trial != conviction.mode_of_trial:
            raise DomainError("The conviction's mode of trial is already recorded.", field="mode_of_trial")
        mode_of_trial = conviction.mode_of_trial or mode_of_trial
        if not mode_of_trial:
            raise DomainError("Record how the offence is triable: it decides whether it is gross misconduct.")
        if received_on > today:
            raise DomainError("This date is in the future.", field="received_on")
        if received_on < conviction.convicted_on:
            raise DomainError("A conviction cannot come to notice before it was made.", field="received_on")
        offence_on = conviction.offence_on if conviction.offence_on and conviction.offence_on <= received_on else None
        allegation = Allegation.objects.create(
            subject_id=conviction.officer_id,
            category=ALLEGATION_CATEGORY_OF_CONVICTION[conviction.category],
            source=AllegationSource.CONVICTION,
            received_on=received_on,
            incident_on=offence_on,
            narrative=(narrative or "").strip()
            or f"{conviction.get_category_display()} conviction on {conviction.convicted_on:%d %b %Y}"
            f" ({ModeOfTrial(mode_of_trial).label.lower()}). {conviction.disposal}".strip(),
            conviction=conviction,
            created_by=by,
            updated_by=by,
        )
        previous = conviction.review_status
        conviction.review_status, conviction.mode_of_trial, conviction.updated_by = to_status, mode_of_trial, by
        conviction.save(update_fields=["review_status", "mode_of_trial", "updated_by", "updated_at"])
        OfficerEvent.objects.create(
            officer_id=conviction.officer_id,
            kind=OfficerEventKind.CONVICTION_REFERRED,
            actor=by,
            from_value=previous,
            to_value=to_status,
            reason=f"{conviction} referred to misconduct as allegation {allegation.public_id}.",
        )
        claim.done(allegation.pk)
    return allegation


def conviction_record(
    *,
    officer: Officer,
    category: str,
    convicted_on: dt.date,
    by,
    offence_on: dt.date | None = None,
    while_serving: bool = False,
    disposal: str = "",
    mode_of_trial: str = "",
    kind: str = ConvictionKind.CONVICTION,
    as_minor: bool = False,
) -> Conviction:
    """Record a caution or conviction; the apps above hear of it (vetting reviews every new one: Vetting
    Code of Practice 2023 and APP, reviews on new adverse information) through `conviction_recorded`. The
    review policy's recommendation is stored on it (conviction_policy); it does not decide whether a review
    opens."""
    if kind not in ConvictionKind.values:
        raise DomainError("Choose caution or conviction.", field="kind")
    if category not in ConvictionCategory.values:
        raise DomainError("Choose the offence category from the list.", field="category")
    if mode_of_trial and mode_of_trial not in ModeOfTrial.values:
        raise DomainError("Choose how the offence is tried from the list.", field="mode_of_trial")
    with transaction.atomic():
        conviction = Conviction.objects.create(
            officer=officer,
            category=category,
            convicted_on=convicted_on,
            offence_on=offence_on,
            while_serving=while_serving,
            disposal=disposal,
            mode_of_trial=mode_of_trial,
            kind=kind,
            as_minor=as_minor,
            created_by=by,
            updated_by=by,
        )
        conviction_policy_stamp(conviction)
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
