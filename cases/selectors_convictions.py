"""Reads for the convictions and cautions register: the rows a reader may see (no one they are conflicted
on), and the published breakdown of those rows in one aggregate query."""

from django.db.models import Count, Q, QuerySet

from .models import Conviction, ConvictionCategory
from .roles import Role, user_roles
from .selectors import conflicted_officer_ids

CONVICTION_READERS = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.VETTING_OFFICER}
C = ConvictionCategory
# The published breakdown (DOMAIN.md: 161 officers with convictions, 76 serious traffic, 49 dishonesty or
# violence, 8 of them while serving, 3 sexual, the rest drugs, criminal damage, public order), each group the
# register's categories.
CONVICTION_GROUPS = {
    "traffic": ("Traffic", [C.SERIOUS_TRAFFIC]),
    "dishonesty_or_violence": ("Dishonesty or violence", [C.DISHONESTY, C.VIOLENCE]),
    "sexual": ("Sexual", [C.SEXUAL]),
    "drugs": ("Drugs", [C.DRUGS]),
    "other": ("Other", [C.CRIMINAL_DAMAGE, C.PUBLIC_ORDER]),
}


def conviction_register(*, user) -> QuerySet[Conviction]:
    if not user_roles(user) & CONVICTION_READERS:
        return Conviction.objects.none()
    return (
        Conviction.objects.select_related("officer", "officer__command")
        .exclude(officer_id__in=conflicted_officer_ids(user))
        .order_by("-convicted_on", "-id")
    )


def conviction_breakdown(qs: QuerySet[Conviction]) -> dict:
    """The published breakdown of `qs`, in one query: each group, while serving or before joining."""
    counts = {"total": Count("id")}
    for key, (_, categories) in CONVICTION_GROUPS.items():
        counts[key] = Count("id", filter=Q(category__in=categories))
        counts[f"{key}__serving"] = Count("id", filter=Q(category__in=categories, while_serving=True))
    figures = qs.order_by().aggregate(**counts)
    rows = [
        {
            "key": key,
            "label": label,
            "total": figures[key],
            "serving": figures[f"{key}__serving"],
            "before": figures[key] - figures[f"{key}__serving"],
        }
        for key, (label, _) in CONVICTION_GROUPS.items()
    ]
    serving = sum(r["serving"] for r in rows)
    return {"rows": rows, "total": figures["total"], "serving": serving, "before": figures["total"] - serving}
