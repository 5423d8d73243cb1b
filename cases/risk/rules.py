"""The cases app's risk rules. Each runs a few set-based queries over the whole table (or the
officers given) and returns {officer_id: Hit} with the ids of the records behind each reason.

Windows are "the M months to as_of": received after the same day M months earlier, up to and
including as_of."""

from collections import defaultdict

from django.db import connection
from django.db.models import Count, F, FilteredRelation, Q, Value, Window
from django.db.models.functions import Coalesce, Concat, CumeDist, NullIf

from cases.models import (
    DECIDED_STATUSES,
    LEFT_STATUSES,
    VIOLENCE_AGAINST_WOMEN_CATEGORIES,
    Allegation,
    AllegationCategory,
    Conviction,
    ConvictionCategory,
    Officer,
    OnyxDecision,
    OnyxReview,
    OnyxStatus,
)

from .engine import (
    Hit,
    Number,
    OneOf,
    Reason,
    RecordIds,
    SomeOf,
    Watch,
    Whole,
    group_pairs,
    months_before,
    register,
    restrict,
    threshold_level,
)
from .models import FlagLevel, RuleSeverity

ALLEGATION = "cases.allegation"
ALLEGATION_WATCH = Watch("cases.Allegation", lambda row: row.subject_id)
MONTHS = Whole(1, 120)  # up to ten years back
COUNT = Whole(1, 1000)
LEVEL = OneOf(tuple(FlagLevel.values))


def _allegations_between(start, as_of, officer_ids):
    window = Allegation.objects.filter(received_on__gt=start, received_on__lte=as_of).order_by()
    return restrict(window, officer_ids, "subject_id")


@register(
    code="allegations_in_window",
    description="N or more allegations received in the last M months (Warning at N, Critical at a higher N).",
    severity=RuleSeverity.MEDIUM,
    defaults={"months": 12, "warning": 3, "critical": 5},
    limits={"months": MONTHS, "warning": COUNT, "critical": COUNT},
    ordered=[("warning", "critical")],
    watches=[ALLEGATION_WATCH],
)
def allegations_in_window(*, params, as_of, officer_ids):
    start = months_before(as_of, params["months"])
    # One pass over the window: each officer with enough allegations, with their ids.
    over = (
        _allegations_between(start, as_of, officer_ids)
        .values("subject_id")
        .annotate(n=Count("id"), ids=RecordIds("id"))
        .filter(n__gte=params["warning"])
        .values_list("subject_id", "ids")
    )
    hits = {}
    for officer_id, ids in over:
        level = threshold_level(len(ids), warning=params["warning"], critical=params["critical"])
        text = f"{len(ids)} allegations received in the last {params['months']} months"
        hits[officer_id] = Hit(level, (Reason(text, ALLEGATION, tuple(ids)),))
    return hits


@register(
    code="sexual_or_domestic_abuse_allegation",
    description="Any allegation of a sexual offence or domestic abuse received in the last 10 years.",
    severity=RuleSeverity.HIGH,
    defaults={"years": 10, "categories": [c.value for c in VIOLENCE_AGAINST_WOMEN_CATEGORIES], "level": "critical"},
    limits={"years": Whole(1, 50), "categories": SomeOf(tuple(AllegationCategory.values)), "level": LEVEL},
    watches=[ALLEGATION_WATCH],
)
def sexual_or_domestic_abuse_allegation(*, params, as_of, officer_ids):
    start = months_before(as_of, 12 * params["years"])
    pairs = (
        _allegations_between(start, as_of, officer_ids)
        .filter(category__in=params["categories"])
        .values_list("subject_id", "id")
    )
    text = f"Allegation of a sexual offence or domestic abuse in the last {params['years']} years"
    return {
        officer_id: Hit(params["level"], (Reason(text, ALLEGATION, tuple(ids)),))
        for officer_id, ids in group_pairs(pairs).items()
    }


@register(
    code="conviction",
    description="A criminal conviction; Critical for dishonesty, violence or sexual offences "
    "(the 2023 Vetting Code presumes refusal for those).",
    severity=RuleSeverity.HIGH,
    defaults={"critical_categories": ["dishonesty", "violence", "sexual"]},
    limits={"critical_categories": SomeOf(tuple(ConvictionCategory.values), at_least=0)},
    watches=[Watch("cases.Conviction", lambda row: row.officer_id)],
)
def conviction(*, params, as_of, officer_ids):
    rows = restrict(Conviction.objects.filter(convicted_on__lte=as_of).order_by(), officer_ids, "officer_id")
    by_officer: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for officer_id, record_id, category in rows.values_list("officer_id", "id", "category"):
        by_officer[officer_id].append((record_id, category))
    hits = {}
    critical = set(params["critical_categories"])
    for officer_id, records in by_officer.items():
        level = FlagLevel.CRITICAL if any(cat in critical for _, cat in records) else FlagLevel.WARNING
        categories = ", ".join(sorted({cat for _, cat in records}))
        reason = Reason(f"Convicted ({categories})", "cases.conviction", tuple(i for i, _ in records))
        hits[officer_id] = Hit(level, (reason,))
    return hits


def _onyx_officer(review):
    # Only a decision (or its return by the panel) can change this rule's result.
    return review.subject_id if (review.decision or review.status == OnyxStatus.RETURNED) else None


@register(
    code="onyx_risk_management",
    description="An Onyx review decided on formal risk management (decided, with the panel or concluded).",
    severity=RuleSeverity.HIGH,
    defaults={"level": "warning"},
    limits={"level": LEVEL},
    watches=[Watch("cases.OnyxReview", _onyx_officer)],
)
def onyx_risk_management(*, params, as_of, officer_ids):
    rows = OnyxReview.objects.filter(
        decision=OnyxDecision.RISK_MANAGEMENT, status__in=DECIDED_STATUSES, decided_at__date__lte=as_of
    ).order_by()
    pairs = restrict(rows, officer_ids, "subject_id").values_list("subject_id", "id")
    text = "Onyx review decided on formal risk management"
    return {
        officer_id: Hit(params["level"], (Reason(text, "cases.onyxreview", tuple(ids)),))
        for officer_id, ids in group_pairs(pairs).items()
    }


@register(
    code="repeat_category",
    description="Allegations of the same category from different complainants (or sources, when the "
    "complainant is not known) in the last M months.",
    severity=RuleSeverity.MEDIUM,
    defaults={"months": 36, "warning": 2, "critical": 3},
    limits={"months": MONTHS, "warning": Whole(2, 100), "critical": Whole(2, 100)},
    ordered=[("warning", "critical")],
    watches=[ALLEGATION_WATCH],
)
def repeat_category(*, params, as_of, officer_ids):
    start = months_before(as_of, params["months"])
    window = _allegations_between(start, as_of, officer_ids)
    # A complainant is told apart by their reference, or by the source when the reference is unknown.
    complainant = Coalesce(NullIf("complainant_ref", Value("")), Concat(Value("source:"), "source"))
    # One pass over the window: each (officer, category) with enough complainants, with its records' ids.
    repeated = (
        window.values("subject_id", "category")
        .annotate(complainants=Count(complainant, distinct=True), ids=RecordIds("id"))
        .filter(complainants__gte=params["warning"])
        .values_list("subject_id", "category", "complainants", "ids")
    )
    found: dict[int, list[Reason]] = defaultdict(list)
    critical = set()
    # In (officer, category) order, so each officer's reasons come by category; no two rows share both.
    for officer_id, category, distinct, ids in sorted(repeated):
        if threshold_level(distinct, warning=params["warning"], critical=params["critical"]) == FlagLevel.CRITICAL:
            critical.add(officer_id)
        text = f"{category}: allegations from {distinct} different complainants or sources in {params['months']} months"
        found[officer_id].append(Reason(text, ALLEGATION, tuple(ids)))
    return {
        officer_id: Hit(FlagLevel.CRITICAL if officer_id in critical else FlagLevel.WARNING, tuple(reasons))
        for officer_id, reasons in found.items()
    }


PEER_PARTITIONS = {"command": "command_id", "rank": "rank"}
# Up to this many officers asked about (the one-officer recompute after each change), each one's place is found by
# counting the peers with at least as many allegations, and only until they are too many for the top band; above
# it (a bulk import's officers, the whole force) the peer groups are ranked once with CUME_DIST.
PEERS_COUNTED_UP_TO = 10


@register(
    code="peer_percentile",
    description="In the top N percent of their command (or rank) for allegations in the last M months, "
    "ranked in SQL with CUME_DIST over the peer group.",
    severity=RuleSeverity.LOW,
    defaults={"months": 12, "partition": "command", "warning_percent": 5, "critical_percent": 1, "min_allegations": 2},
    limits={
        "months": MONTHS,
        "partition": OneOf(("command", "rank")),
        "warning_percent": Number(0.1, 100),
        "critical_percent": Number(0, 100),
        "min_allegations": COUNT,
    },
    ordered=[("critical_percent", "warning_percent")],
    watches=[ALLEGATION_WATCH],
)
def peer_percentile(*, params, as_of, officer_ids):
    start = months_before(as_of, params["months"])
    if officer_ids is not None and len(officer_ids) <= PEERS_COUNTED_UP_TO and connection.vendor == "postgresql":
        top = _peer_places_counted(params=params, start=start, as_of=as_of, officer_ids=officer_ids)
    else:
        top = _peer_places_ranked(params=params, start=start, as_of=as_of, officer_ids=officer_ids)
    hits = {}
    for officer_id, (n, share, ids) in top.items():
        critical = share <= params["critical_percent"] / 100
        text = (
            f"{n} allegations in the last {params['months']} months: top {share * 100:.1f}% "
            f"of their {params['partition']}"
        )
        level = FlagLevel.CRITICAL if critical else FlagLevel.WARNING
        hits[officer_id] = Hit(level, (Reason(text, ALLEGATION, tuple(ids)),))
    return hits


def _peer_places_ranked(*, params, start, as_of, officer_ids) -> dict[int, tuple[int, float, list[int]]]:
    """{officer_id: (allegations in the window, CUME_DIST among peers, their ids)} of the officers in the top band,
    each peer group ranked whole: CUME_DIST over the count, most first, is the share of peers with at least as
    many allegations (the officer included)."""
    partition = PEER_PARTITIONS[params["partition"]]
    peers = Officer.objects.exclude(status__in=LEFT_STATUSES).order_by()
    if officer_ids is not None:
        # The whole peer group of each officer asked about: a percentile needs its peers.
        peers = peers.filter(**{f"{partition}__in": Officer.objects.filter(id__in=officer_ids).values(partition)})
    # The window goes in the join's ON clause, so only the window's rows are joined (index on subject, date).
    in_window = FilteredRelation(
        "allegations", condition=Q(allegations__received_on__gt=start, allegations__received_on__lte=as_of)
    )
    ranked = (
        peers.annotate(in_window=in_window)
        # Counting a column of the (subject, received_on) index, not the id, lets PostgreSQL answer the join from
        # the index alone (no visit to the allegation rows).
        .annotate(n=Count("in_window__received_on"))
        .annotate(share=Window(CumeDist(), partition_by=F(partition), order_by=F("n").desc()))
        .filter(share__lte=params["warning_percent"] / 100)
        .values_list("id", "n", "share")
    )
    top = {
        officer_id: (n, share)
        for officer_id, n, share in ranked
        if n >= params["min_allegations"] and (officer_ids is None or officer_id in officer_ids)
    }
    if not top:
        return {}
    pairs = _allegations_between(start, as_of, list(top)).values_list("subject_id", "id")
    return {officer_id: (*top[officer_id], ids) for officer_id, ids in group_pairs(pairs).items()}


# One statement for a few officers (PostgreSQL): each asked officer's own allegations in the window (none further
# when fewer than min_allegations), the size of their peer group, and the number of peers with at least as many
# allegations, counted only up to the first number that puts the officer outside the top band (a LIMIT the subquery
# stops at: an officer with 2 allegations in a command of 2,000 reads a few hundred peers, not all of them). The
# share is that count over the group's size, the figure CUME_DIST gives (both divide as float8), so the flags are
# the ranked path's to the digit.
_PEER_PLACES_SQL = """
WITH asked AS (
    SELECT o.id, o.{part} AS part, count(*) AS n, array_agg(a.id) AS ids
    FROM {officer} o
    JOIN {allegation} a ON a.subject_id = o.id AND a.received_on > %(start)s AND a.received_on <= %(as_of)s
    WHERE o.id = ANY(%(ids)s::bigint[]) AND o.status <> ALL(%(left)s::text[])
    GROUP BY o.id
    HAVING count(*) >= %(least)s
), sized AS (
    SELECT asked.*,
           (SELECT count(*) FROM {officer} p WHERE p.{part} = asked.part AND p.status <> ALL(%(left)s::text[])) AS peers
    FROM asked
)
SELECT id, n, peers, ids, (
    SELECT count(*) FROM (
        SELECT FROM {officer} p
        WHERE p.{part} = sized.part AND p.status <> ALL(%(left)s::text[])
          AND (SELECT count(*) FROM {allegation} a
               WHERE a.subject_id = p.id AND a.received_on > %(start)s AND a.received_on <= %(as_of)s) >= sized.n
        LIMIT floor(sized.peers * %(warning)s / 100.0)::bigint + 2
    ) at_least_as_many
) AS placed
FROM sized
"""


def _peer_places_counted(*, params, start, as_of, officer_ids) -> dict[int, tuple[int, float, list[int]]]:
    """The same as _peer_places_ranked for a few officers, without ranking their peer groups."""
    officer_table, allegation_table = Officer._meta.db_table, Allegation._meta.db_table
    part = Officer._meta.get_field(PEER_PARTITIONS[params["partition"]]).column
    sql = _PEER_PLACES_SQL.format(part=part, officer=officer_table, allegation=allegation_table)
    args = {
        "start": start,
        "as_of": as_of,
        "ids": list(officer_ids),
        "left": [s.value for s in LEFT_STATUSES],
        "least": params["min_allegations"],
        "warning": params["warning_percent"],
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        rows = cursor.fetchall()
    top = {}
    for officer_id, n, peers, ids, placed in rows:
        # The LIMIT's count is exact below it; at it, the officer is more than one peer past the band.
        share = placed / peers
        if share <= params["warning_percent"] / 100:
            top[officer_id] = (n, share, ids)
    return top
