"""The Met's published figures (DOMAIN.md), scaled to a demo force of any size, and the small helpers every
demo part draws its choices and dates with. Deterministic: one `random.Random(seed)` drives every choice
and public ids come from the same generator, so a seed always gives the same rows."""

import datetime as dt
import random
import uuid
from dataclasses import dataclass
from fractions import Fraction

from cases.models import OnyxDecision

BATCH_SIZE = 5000
HISTORY_YEARS = 10  # ten years of allegations up to the day the seed runs
HOTLINE_DAYS = 90  # the 350 reports came in "about three months"
TREND_MONTHS = 24  # the Onyx decisions of the programme, spread over the last two years

# People in each scale. `tiny` keeps the proportions and exists for fast tests.
SCALES = {"tiny": 500, "small": 2_000, "met": 50_000}

# The Met's published figures (DOMAIN.md). Every count in the demo is one of these, scaled.
MET_EMPLOYEES = 50_000
MET_OFFICERS = 34_000
MET_RESTRICTED_DUTIES = 701
MET_ONYX_DECISIONS = {
    OnyxDecision.NO_FURTHER_ACTION: 246,
    OnyxDecision.REASSESS: 689,
    OnyxDecision.RISK_MANAGEMENT: 196,
}
MET_ONYX_CASES = 1_633  # past cases about the 1,131 people reviewed
# 161 officers with convictions: 76 serious traffic, 49 dishonesty or violence (8 while serving),
# 3 sexual, the rest drugs, criminal damage, public order.
MET_CONVICTION_GROUPS = {
    "serious_traffic": 76,
    "dishonesty_or_violence": 41,
    "dishonesty_or_violence_while_serving": 8,
    "sexual": 3,
    "drugs_damage_public_order": 33,
}
MET_PND_CHECKS = 10_000
MET_PND_RESULTS = {"potential_misconduct": 38, "criminal_association": 55, "no_trace": 10_000 - 38 - 55}
MET_HOTLINE_REPORTS = 350
MET_ALLEGATIONS = 500_000  # "on the order of": ten years of complaints and conduct matters
MET_DPS_STAFF = 150
MET_SUSPENDED = 150
MET_LEAVERS = 1_500
MET_VETTING_REVIEWS_OTHER = 40  # self-reports and other adverse information, beyond the triggered ones

DEMO_PASSWORD = "dps-demo-only-password"  # noqa: S105 - printed for the demo; never created with DEBUG off
STAFF_USER_PREFIXES = ("demo-", "dps-staff-", "panel-member-")


def apportion(total: int, weights: list[int]) -> list[int]:
    """Split `total` in proportion to `weights` with the largest-remainder method: the parts are
    integers, sum exactly to `total`, and ties go to the earlier weight."""
    whole = sum(weights)
    quotas = [Fraction(total * w, whole) for w in weights]
    parts = [int(q) for q in quotas]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def scaled(figure: int, people: int) -> int:
    """A published Met figure scaled to a force of `people`, rounded half up."""
    return int(Fraction(figure * people, MET_EMPLOYEES) + Fraction(1, 2))


@dataclass(frozen=True)
class DemoFigures:
    """Every count the demo produces at one scale: the Met's figures, scaled."""

    people: int
    officers: int
    staff: int
    restricted: int
    suspended: int
    leavers: int
    onyx: dict
    onyx_cases: int
    convictions: dict
    pnd_checks: int
    pnd_results: dict
    hotline_reports: int
    allegations: int
    dps_staff: int

    @classmethod
    def for_people(cls, people: int) -> "DemoFigures":
        officers, staff = apportion(people, [MET_OFFICERS, MET_EMPLOYEES - MET_OFFICERS])
        onyx_total = scaled(sum(MET_ONYX_DECISIONS.values()), people)
        convictions_total = scaled(sum(MET_CONVICTION_GROUPS.values()), people)
        pnd_total = scaled(MET_PND_CHECKS, people)
        return cls(
            people=people,
            officers=officers,
            staff=staff,
            restricted=scaled(MET_RESTRICTED_DUTIES, people),
            suspended=scaled(MET_SUSPENDED, people),
            leavers=scaled(MET_LEAVERS, people),
            onyx=dict(zip(MET_ONYX_DECISIONS, apportion(onyx_total, list(MET_ONYX_DECISIONS.values())), strict=False)),
            onyx_cases=scaled(MET_ONYX_CASES, people),
            convictions=dict(
                zip(
                    MET_CONVICTION_GROUPS,
                    apportion(convictions_total, list(MET_CONVICTION_GROUPS.values())),
                    strict=False,
                )
            ),
            pnd_checks=pnd_total,
            pnd_results=dict(zip(MET_PND_RESULTS, apportion(pnd_total, list(MET_PND_RESULTS.values())), strict=False)),
            hotline_reports=scaled(MET_HOTLINE_REPORTS, people),
            allegations=scaled(MET_ALLEGATIONS, people),
            dps_staff=max(4, scaled(MET_DPS_STAFF, people)),
        )


# --- the shape of the force -------------------------------------------------------------------


def pick(rng: random.Random, mix):
    values, weights = zip(*mix, strict=False)
    return rng.choices(values, weights=weights)[0]


def public_id(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def at(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 18), rng.randint(0, 59)), tzinfo=dt.UTC)


def years_before(day: dt.date, years: float) -> dt.date:
    return day - dt.timedelta(days=int(years * 365.25))
