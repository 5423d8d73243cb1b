"""Every read a page or the API makes, already filtered by what the user may see.

Fetch-and-check functions are named access_<thing> and raise the same Http404 for "missing" and
"forbidden", so ids cannot be probed."""

import datetime as dt
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import get_objects_for_user

from cases.roles import Role

from .calendar import months_before
from .models import AccessRecord, Allegation, Case, ConflictOfInterest, Officer, OnyxReview, PanelAssignment
from .permissions import (
    AUDIT_READERS,
    CASE_READERS,
    OFFICER_READERS,
    REVIEW_READERS,
    SEES_ALL_RESTRICTED,
    roles_of,
    subject_conflict_q,
)


def conflicted_officer_ids(user) -> list[int]:
    """Ids of officers this user must never see anything about (themselves, declared conflicts).
    Two indexed look-ups, cached on the user object for the request: a list is far cheaper for the
    planner than a subquery joined against every officer."""
    cached = getattr(user, "_conflicted_officer_ids", None)
    if cached is None:
        cached = sorted(
            set(Officer.objects.filter(user=user).values_list("id", flat=True))
            | set(ConflictOfInterest.objects.filter(user=user).values_list("officer_id", flat=True))
        )
        user._conflicted_officer_ids = cached
    return cached


def granted_restricted_case_ids(user) -> list[int]:
    """Need-to-know cases this user holds a grant on. accept_global_perms=False on purpose: every DPS
    role holds the model-wide view_case permission, which must not open need-to-know cases."""
    cached = getattr(user, "_granted_case_ids", None)
    if cached is None:
        # Read guardian's grant rows directly: its generic object_pk is text, and letting the
        # database cast every case id to compare would scan the whole case table.
        content_type = ContentType.objects.get_for_model(Case)
        direct = UserObjectPermission.objects.filter(
            user=user, permission__codename="view_case", content_type=content_type
        ).values_list("object_pk", flat=True)
        via_groups = GroupObjectPermission.objects.filter(
            group__user=user, permission__codename="view_case", content_type=content_type
        ).values_list("object_pk", flat=True)
        cached = sorted({int(pk) for pk in [*direct, *via_groups] if pk.isdigit()})
        user._granted_case_ids = cached
    return cached


def officer_list(*, user) -> QuerySet[Officer]:
    if not roles_of(user) & OFFICER_READERS:
        return Officer.objects.none()
    return Officer.objects.select_related("command").exclude(id__in=conflicted_officer_ids(user))


def _cases_known(user) -> QuerySet[Case]:
    """Cases that pass the need-to-know and conflict rules for this user, whatever their role. Only
    for lists inside a page whose own object the user was already allowed to open (a review's past
    cases for its panel member); every other read goes through case_list."""
    qs = Case.objects.exclude(subject_id__in=conflicted_officer_ids(user))
    if not roles_of(user) & SEES_ALL_RESTRICTED:
        granted = granted_restricted_case_ids(user)
        qs = qs.filter(Q(restricted=False) | Q(id__in=granted)) if granted else qs.filter(restricted=False)
    return qs


def _allegations_known(user) -> QuerySet[Allegation]:
    """Allegations that pass the need-to-know and conflict rules, whatever the role (see _cases_known)."""
    conflicted = conflicted_officer_ids(user)
    qs = Allegation.objects.exclude(subject_id__in=conflicted)
    if not roles_of(user) & SEES_ALL_RESTRICTED:
        # An allegation in a need-to-know case is as restricted as the case. Asked as "no restricted case
        # has this id" (an anti-join against the few rows of the partial index case_restricted_ids), not as a
        # join of every allegation to its case only to read the flag.
        visible = ~Exists(Case.objects.filter(restricted=True, id=OuterRef("case_id")))
        granted = granted_restricted_case_ids(user)
        if granted:
            visible |= Q(case_id__in=granted)
        qs = qs.filter(visible)
    return qs


def case_list(*, user) -> QuerySet[Case]:
    if not roles_of(user) & CASE_READERS:
        return Case.objects.none()
    return _cases_known(user).select_related("subject", "subject__command", "investigator")


def allegation_list(*, user) -> QuerySet[Allegation]:
    if not roles_of(user) & CASE_READERS:
        return Allegation.objects.none()
    return _allegations_known(user).select_related("subject", "case")


def onyx_review_list(*, user) -> QuerySet[OnyxReview]:
    roles = roles_of(user)
    qs = OnyxReview.objects.select_related("subject", "subject__command", "reviewer").exclude(
        subject_id__in=conflicted_officer_ids(user)
    )
    if roles & REVIEW_READERS:
        return qs
    if Role.PANEL_REVIEWER in roles:
        # Panel members see exactly the reviews they are granted on (granted with the assignment).
        granted = get_objects_for_user(user, "cases.view_onyxreview", klass=OnyxReview, accept_global_perms=False)
        return qs.filter(id__in=granted.values("id"))
    return OnyxReview.objects.none()


def panel_queue(*, user) -> QuerySet[OnyxReview]:
    """The reviews awaiting this panel member's verdict."""
    pending = PanelAssignment.objects.filter(review=OuterRef("pk"), panel_member=user, verdict="")
    return onyx_review_list(user=user).filter(Exists(pending))


def _by_public_id(qs: QuerySet, public_id):
    try:
        key = UUID(str(public_id))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None
    obj = qs.filter(public_id=key).first()
    if obj is None:
        raise Http404
    return obj


def access_case(*, user, public_id) -> Case:
    return _by_public_id(case_list(user=user), public_id)


def access_officer(*, user, public_id) -> Officer:
    return _by_public_id(officer_list(user=user), public_id)


def access_onyx_review(*, user, public_id) -> OnyxReview:
    return _by_public_id(onyx_review_list(user=user), public_id)


def access_allegation(*, user, public_id) -> Allegation:
    return _by_public_id(allegation_list(user=user), public_id)


def officer_cases(*, user, officer: Officer) -> QuerySet[Case]:
    return case_list(user=user).filter(subject=officer)


def officer_allegations(*, user, officer: Officer) -> QuerySet[Allegation]:
    return allegation_list(user=user).filter(subject=officer)


def onyx_review_past_cases(*, user, review: OnyxReview) -> QuerySet[Case]:
    """The past cases a review considered, less those this reader may not see (need-to-know without
    a grant, a conflicted subject). The review's panel member passes the same rules, though the
    panel has no case register of its own."""
    return _cases_known(user).filter(onyx_reviews=review).order_by("opened_at", "id")


def onyx_review_past_allegations(*, user, review: OnyxReview) -> QuerySet[Allegation]:
    return _allegations_known(user).filter(onyx_reviews=review).order_by("received_on", "id")


def case_allegations(*, user, case: Case) -> QuerySet[Allegation]:
    return _allegations_known(user).filter(case=case).order_by("received_on", "id")


def access_records(*, user, object_type: str | None = None, object_id: int | None = None, reader_id=None):
    """Who looked at what: for supervisors and the commissioner only, and only rows about records the
    reader may see themselves (a row names its record: a restricted case's reference, a conflicted
    officer's staff number). One semi-join per record kind, not a check per row."""
    if not roles_of(user) & AUDIT_READERS:
        return AccessRecord.objects.none()
    from .records import audited_record_kinds

    visible = Q(pk__in=[])
    for kind in audited_record_kinds():
        if object_type and kind.audit_type != object_type:
            continue
        visible |= Q(object_type=kind.audit_type, object_id__in=kind.readable(user).values("id"))
    qs = AccessRecord.objects.select_related("user").filter(visible)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id is not None:
        qs = qs.filter(object_id=object_id)
    if reader_id is not None:
        qs = qs.filter(user_id=reader_id)
    return qs


def conflict_list(*, user):
    """Declared conflicts, for supervisors. Conflicts about the supervisor's own record stay hidden."""
    from cases.roles import Role as _Role

    if _Role.SUPERVISOR not in roles_of(user):
        return ConflictOfInterest.objects.none()
    return (
        ConflictOfInterest.objects.select_related("user", "officer", "declared_by")
        .exclude(officer_id__in=conflicted_officer_ids(user))
        .order_by("-declared_at", "-id")
    )


__all__ = [
    "conflict_list",
    "access_allegation",
    "access_case",
    "access_officer",
    "access_onyx_review",
    "access_records",
    "allegation_list",
    "case_allegations",
    "case_list",
    "officer_allegations",
    "officer_cases",
    "officer_list",
    "onyx_review_list",
    "onyx_review_past_allegations",
    "onyx_review_past_cases",
    "panel_queue",
    "subject_conflict_q",
]


def cases_due_timeliness_report(*, user, today) -> QuerySet[Case]:
    """Regulation 19: open investigations 12 months after the matter came to notice are reported to
    the local policing body, then every 6 months."""
    from .models import OPEN_CASE_STATUSES

    return (
        case_list(user=user)
        .filter(status__in=OPEN_CASE_STATUSES)
        .filter(timeliness_report_due_q(today))
        .order_by("came_to_notice_on", "id")
    )


def timeliness_report_due_q(today) -> Q:
    """A case whose regulation 19 report is due: 12 months after the matter came to notice (reg 19(1)),
    then 6 months after the last report (reg 19(2)). The status test is the caller's."""
    return Q(came_to_notice_on__lte=months_before(today, 12)) & (
        Q(last_timeliness_report_on__isnull=True) | Q(last_timeliness_report_on__lte=months_before(today, 6))
    )


def suspensions_due_review(*, user, today, within_days: int = 7) -> QuerySet:
    """Open suspensions and restricted-duty periods whose review (reg 11, by the appropriate authority)
    falls due within `within_days` or is overdue: for supervisors, less officers they are conflicted on.
    Each row carries `overdue` (review due before today)."""
    import datetime as dt

    from django.db.models import BooleanField, ExpressionWrapper

    from .models import Suspension

    if Role.SUPERVISOR not in roles_of(user):
        return Suspension.objects.none()
    return (
        Suspension.objects.filter(ended_on__isnull=True, next_review_due__lte=today + dt.timedelta(days=within_days))
        .exclude(officer_id__in=conflicted_officer_ids(user))
        .select_related("officer", "officer__command")
        .annotate(overdue=ExpressionWrapper(Q(next_review_due__lt=today), output_field=BooleanField()))
        .order_by("next_review_due", "id")
    )


def officer_suspensions(*, user, officer: Officer) -> QuerySet:
    """An officer's suspension and restricted-duty periods, newest first, for DPS case readers who may
    see the officer (the profile page has already passed access_officer)."""
    from .models import Suspension

    if not roles_of(user) & CASE_READERS:
        return Suspension.objects.none()
    return (
        Suspension.objects.filter(officer=officer)
        .exclude(officer_id__in=conflicted_officer_ids(user))
        .select_related("decided_by")
        .order_by("-started_on", "-id")
    )


def case_next_timeliness_due(case) -> dt.date:
    """The day a case's next regulation 19 report falls due: 12 months after the matter came to notice
    (reg 19(1)), then 6 months after the last report (reg 19(2))."""
    if case.last_timeliness_report_on:
        return months_before(case.last_timeliness_report_on, -6)
    return months_before(case.came_to_notice_on, -12)


def my_open_cases(*, user) -> QuerySet[Case]:
    """Open cases assigned to this user, the one longest since it came to notice first (its regulation
    19 clock runs out soonest)."""
    from .models import OPEN_CASE_STATUSES

    return (
        case_list(user=user)
        .filter(investigator=user, status__in=OPEN_CASE_STATUSES)
        .order_by("came_to_notice_on", "id")
    )


def my_onyx_reviews_to_decide(*, user) -> QuerySet[OnyxReview]:
    """Onyx reviews allocated to this user, or returned to them by the panel, still to decide."""
    from .models import OnyxStatus

    return (
        onyx_review_list(user=user)
        .filter(reviewer=user, status__in=[OnyxStatus.ALLOCATED, OnyxStatus.RETURNED])
        .order_by("created_at", "id")
    )
