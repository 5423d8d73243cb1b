"""Reads for the vetting pages, filtered by role and conflicts of interest like every other read."""

import datetime as dt
from uuid import UUID

from django.db.models import Case, CharField, QuerySet, Value, When
from django.http import Http404

from cases.models import Conviction, ConvictionCategory, Officer
from cases.roles import Role, user_roles
from cases.selectors import case_list, conflicted_officer_ids, onyx_review_list

from .models import (
    CircumstanceChange,
    ClearanceLevel,
    ClearanceStatus,
    NoticeThreshold,
    VettingClearance,
    VettingReview,
)
from .services.clearances import EXPIRY_BANDS, clearance_status_on, current_clearances, expiry_band

VETTING_READERS = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.VETTING_OFFICER}
# The Code's presumption of refusal: cautions and convictions, particularly for dishonesty, violence or the
# targeting of a vulnerable person, lead to refusal unless the person shows otherwise (Vetting Code of
# Practice 2023, a statutory code under Police Act 1996 s 39A, i.e. guidance, not regulation; its text at
# gov.uk/government/publications/police-vetting-code-of-practice was read only to para 1.5, so the rule is taken
# from the College of Policing's summary on publication ⚠ paragraph not read). The register has no
# "vulnerable victim" category: sexual offences stand in for it ⚠.
PRESUMPTION_OF_REFUSAL = {ConvictionCategory.DISHONESTY, ConvictionCategory.VIOLENCE, ConvictionCategory.SEXUAL}
# Self-reports of a change in circumstances are seen by the vetting unit only.
SELF_REPORT_READERS = {Role.VETTING_OFFICER}


def vetting_review_list(*, user) -> QuerySet[VettingReview]:
    if not user_roles(user) & VETTING_READERS:
        return VettingReview.objects.none()
    return VettingReview.objects.select_related("officer", "officer__command", "clearance", "assigned_to").exclude(
        officer_id__in=conflicted_officer_ids(user)
    )


def vetting_people(*, user) -> QuerySet[Officer]:
    """The people a vetting reader may look up: everyone but those the reader is conflicted on."""
    if not user_roles(user) & VETTING_READERS:
        return Officer.objects.none()
    return Officer.objects.select_related("command").exclude(id__in=conflicted_officer_ids(user))


def vetting_person_by_staff_number(*, user, staff_number: str) -> Officer | None:
    """The person with this staff number (any case), among those the reader may look up; None if none."""
    return vetting_people(user=user).filter(staff_number__iexact=staff_number).first()


def access_vetting_person(*, user, public_id) -> Officer:
    return _first_by_public_id(vetting_people(user=user), public_id)


def _first_by_public_id(qs, public_id):
    try:
        key = UUID(str(public_id))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None
    found = qs.filter(public_id=key).first()
    if found is None:
        raise Http404
    return found


def access_vetting_review(*, user, public_id) -> VettingReview:
    """The review, or 404 alike for missing and forbidden."""
    return _first_by_public_id(vetting_review_list(user=user).select_related("decided_by"), public_id)


def clearance_list(*, user) -> QuerySet[VettingClearance]:
    if not user_roles(user) & VETTING_READERS:
        return VettingClearance.objects.none()
    return VettingClearance.objects.select_related("officer", "officer__command").exclude(
        officer_id__in=conflicted_officer_ids(user)
    )


def clearance_expiry_list(*, user, day: dt.date) -> QuerySet[VettingClearance]:
    """Current clearances expired within the last year or due within 90 days, of people still serving,
    soonest first, each annotated with its band on `day` (`band`, see services.clearances.expiry_band)."""
    bands = [When(expires_on__lt=day, then=Value(NoticeThreshold.EXPIRED.value))]
    bands += [When(expires_on__lte=day + dt.timedelta(days=d), then=Value(t.value)) for t, d in EXPIRY_BANDS]
    return (
        current_clearances(clearance_list(user=user))
        # Of people still serving: "not one of the few who have left" (a hashed NOT IN over officer_left_ids), so
        # the list and its count do not hash every officer row to find the serving ones (issue 18).
        .exclude(officer_id__in=Officer.objects.filter(left_on__isnull=False).values("id"))
        .filter(
            status__in=[ClearanceStatus.ACTIVE, ClearanceStatus.EXPIRED],
            expires_on__gte=day - dt.timedelta(days=365),
            expires_on__lte=day + dt.timedelta(days=EXPIRY_BANDS[-1][1]),
        )
        .annotate(band=Case(*bands, default=Value(""), output_field=CharField()))
        .order_by("expires_on", "id")
    )


def officer_clearances(*, user, officer: Officer, day: dt.date) -> list[dict]:
    """Each level the person has held, newest grant first, with its status and band on `day`."""
    grouped: dict[str, list] = {}
    for c in clearance_list(user=user).filter(officer=officer).order_by("level", "-granted_on", "-id"):
        grouped.setdefault(c.level, []).append(c)
    return [
        {
            "level": ClearanceLevel(level).label,
            "current": rows[0],
            "status": ClearanceStatus(clearance_status_on(rows[0], day)).label,
            "band": _band_label(expiry_band(rows[0].expires_on, day)),
            "history": rows[1:],
        }
        for level, rows in grouped.items()
    ]


def _band_label(band: str) -> str:
    return NoticeThreshold(band).label if band else ""


def officer_vetting_reviews(*, user, officer: Officer) -> QuerySet[VettingReview]:
    return vetting_review_list(user=user).filter(officer=officer)


def review_trigger_record(*, user, review: VettingReview) -> dict:
    """What set the review off, for the decision page: a link only to a record the reader may open, the
    self-report's words only for the vetting unit."""
    kind, _, key = review.trigger_ref.partition(":")
    found = {
        "label": review.get_trigger_display(),
        "case": None,
        "self_report": None,
        "conviction": None,
        "presumption_of_refusal": False,
    }
    if not key.isdigit():
        return found
    if kind == "case":
        case = case_list(user=user).filter(pk=int(key)).first()
        if case:
            found.update(case=case, label=f"Case {case.reference}")
    elif kind == "onyxreview":
        onyx = onyx_review_list(user=user).filter(pk=int(key)).first()
        if onyx:
            found.update(label=f"Onyx review {onyx.reference}")
    elif kind == "conviction":
        conviction = Conviction.objects.filter(pk=int(key), officer_id=review.officer_id).first()
        if conviction:
            found.update(
                conviction=conviction,
                label=f"{conviction.get_category_display()}, {conviction.convicted_on:%d %b %Y}",
                presumption_of_refusal=conviction.category in PRESUMPTION_OF_REFUSAL,
            )
    elif kind == "circumstancechange" and user_roles(user) & SELF_REPORT_READERS:
        found["self_report"] = CircumstanceChange.objects.filter(pk=int(key), officer_id=review.officer_id).first()
    return found
