"""Reads for the PND screening pages (vetting officers): the imports, the summary of checks and hits, and
the hits' reviews, which are the vetting team's triage items (one per hit, opened by the import)."""

from uuid import UUID

from django.db.models import CharField, Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.http import Http404

from cases.models import Officer
from cases.roles import Role, user_roles
from cases.selectors import conflicted_officer_ids

from .models import PNDCheck, PNDImport, PNDResult, ReviewTrigger, VettingReview
from .services.pnd import HITS

PND_READERS = {Role.VETTING_OFFICER}


def _may_read(user) -> bool:
    return bool(user_roles(user) & PND_READERS)


def pnd_import_list(*, user) -> QuerySet[PNDImport]:
    if not _may_read(user):
        return PNDImport.objects.none()
    return PNDImport.objects.select_related("created_by")


def access_pnd_import(*, user, public_id) -> PNDImport:
    """The import, or the same 404 for missing and forbidden."""
    try:
        key = UUID(str(public_id))
    except (TypeError, ValueError, AttributeError):
        raise Http404 from None
    found = pnd_import_list(user=user).filter(public_id=key).first()
    if found is None:
        raise Http404
    return found


def pnd_summary(*, user) -> dict:
    """The screening's figures in two queries: checks and hits by result, and progress through the people
    serving (how many have been checked at least once, of how many)."""
    if not _may_read(user):
        return {"checks": 0, "by_result": [], "hits": 0, "checked": 0, "workforce": 0}
    # "Checked" is the distinct people over the 10,000 checks, less the few who have left (a hashed NOT IN over
    # the officer_left_ids index), rather than a probe of the checks for each of the 48,500 people serving.
    left = Officer.objects.filter(left_on__isnull=False).values("id")
    counts = PNDCheck.objects.aggregate(
        checks=Count("id"),
        checked=Count("officer_id", distinct=True, filter=~Q(officer_id__in=left)),
        **{r.value: Count("id", filter=Q(result=r.value)) for r in PNDResult},
    )
    by_result = [{"result": r, "label": r.label, "count": counts[r.value], "hit": r in HITS} for r in PNDResult]
    return {
        "checks": counts["checks"],
        "by_result": by_result,
        "hits": sum(row["count"] for row in by_result if row["hit"]),
        "checked": counts["checked"],
        "workforce": Officer.objects.filter(left_on__isnull=True).count(),  # from officer_serving_ids alone
    }


def pnd_hit_list(*, user) -> QuerySet[PNDCheck]:
    """The hits a vetting officer may see (none about someone they are conflicted on), newest first, each
    with the review it opened (`review_public_id`, `review_status`): `trigger_ref` is "pndcheck:<id>"."""
    if not _may_read(user):
        return PNDCheck.objects.none()
    review = VettingReview.objects.filter(
        officer_id=OuterRef("officer_id"),
        trigger=ReviewTrigger.PND_HIT,
        trigger_ref=Concat(Value("pndcheck:"), Cast(OuterRef("pk"), CharField())),
    )
    return (
        PNDCheck.objects.filter(result__in=list(HITS))
        .exclude(officer_id__in=conflicted_officer_ids(user))
        .select_related("officer", "officer__command")
        .annotate(
            review_public_id=Subquery(review.values("public_id")[:1]),
            review_status=Subquery(review.values("status")[:1]),
        )
        .order_by("-checked_on", "-id")
    )
