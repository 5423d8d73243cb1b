"""Vetting's part of the demo force (registered with the seed in cases.demo): renewal periods, clearances,
PND checks (some of whose hits become allegations) and vetting reviews, all dated back from today."""

import datetime as dt

from cases.demo import DemoSeed, demo_part, scaled
from cases.demo.figures import MET_VETTING_REVIEWS_OTHER, day_between, pick, public_id, years_before
from cases.models import Allegation, AllegationSource, EmploymentStatus, OnyxDecision, Rank

from .models import PNDCheck, RenewalPeriod, VettingClearance, VettingReview

# National security vetting is held by those who need it: counter terrorism and protection.
NATIONAL_SECURITY_COMMANDS = {"CT": "dv", "RS": "sc", "PD": "sc", "SO": "sc", "AV": "ctc", "MI": "sc"}
LAPSED_DAYS = 30  # a clearance granted up to a month before its period ran out has lapsed by today
PND_DAYS = 75  # the checks of the last ten weeks or so


@demo_part(order=50)
def clearances(seed: DemoSeed) -> None:
    """Everyone's vetting clearance, granted within its renewal period before today (so a few are due in
    the next 30, 60, 90 days and a few lapsed in the last month); national security vetting where the
    command needs it."""
    rng = seed.rng
    periods = {
        "rv": (10, False),
        "mv": (7, False),
        "nppv1": (3, False),
        "nppv2a": (3, False),
        "nppv2f": (5, False),
        "nppv3": (5, False),
        "ctc": (10, False),
        "sc": (10, False),
        "dv": (7, True),
    }
    RenewalPeriod.objects.bulk_create(
        [RenewalPeriod(level=level, years=y, annual_appraisal=a) for level, (y, a) in periods.items()],
        ignore_conflicts=True,
    )
    senior = {Rank.INSPECTOR, Rank.CHIEF_INSPECTOR, Rank.SUPERINTENDENT, Rank.CHIEF_SUPERINTENDENT}
    senior |= {Rank.COMMANDER, Rank.DEPUTY_ASSISTANT_COMMISSIONER, Rank.ASSISTANT_COMMISSIONER}
    senior |= {Rank.STAFF_BAND_A, Rank.STAFF_BAND_B}
    clearances = []
    clearance_of = {}
    for person in seed.officers:
        levels = ["mv" if person.rank in senior or rng.random() < 0.1 else "rv"]
        extra = NATIONAL_SECURITY_COMMANDS.get(person.command.code)
        if extra and rng.random() < 0.7:
            levels.append(extra)
        for level in levels:
            years = periods[level][0]
            earliest = years_before(seed.today, years) - dt.timedelta(days=LAPSED_DAYS)
            granted = day_between(rng, max(person.joined_on, earliest), seed.today)
            expires = years_before(granted, -years)
            if person.left_on:
                status = "withdrawn" if person.status == EmploymentStatus.DISMISSED else "expired"
            elif expires <= seed.today:
                status = "expired"
            else:
                status = pick(rng, [("active", 990), ("suspended", 5), ("withdrawn", 2), ("pending", 3)])
            clearance = VettingClearance(
                officer=person, level=level, status=status, granted_on=granted, expires_on=expires
            )
            clearances.append(clearance)
            clearance_of.setdefault(person.pk, clearance)
    seed.bulk(VettingClearance, clearances, "vetting clearances")
    seed.clearance_of = clearance_of


@demo_part(order=51)
def pnd_checks(seed: DemoSeed) -> None:
    """The PND checks of serving people (Met: 10,000 in the period, 38 potential misconduct, 55 criminal
    association). A potential-misconduct hit is where some allegations come from: the check finds it, and
    the allegation received after it says so (source PND check)."""
    rng, f = seed.rng, seed.figures
    checked = rng.sample([p for p in seed.officers if not p.left_on], f.pnd_checks)
    results = [r for r, n in f.pnd_results.items() for _ in range(n)]
    rng.shuffle(results)
    checks = [
        PNDCheck(
            officer=person,
            checked_on=day_between(rng, seed.today - dt.timedelta(days=PND_DAYS), seed.today),
            result=result,
            notes="" if result == "no_trace" else "Referred to the vetting unit for review.",
        )
        for person, result in zip(checked, results, strict=False)
    ]
    _hits_become_allegations(seed, checks)
    seed.pnd_checks = seed.bulk(PNDCheck, checks, "PND checks")


def _hits_become_allegations(seed: DemoSeed, checks: list) -> None:
    rng = seed.rng
    checked = {c.officer.pk for c in checks}
    recent = list(
        Allegation.objects.filter(
            received_on__gt=seed.today - dt.timedelta(days=PND_DAYS - 10),
            source__in=[AllegationSource.COLLEAGUE_REPORT, AllegationSource.SELF_REFERRAL],
            subject__left_on__isnull=True,
        )
        .exclude(subject_id__in=checked)
        .select_related("subject")
        .order_by("id")
    )
    by_subject = {}
    for allegation in recent:
        by_subject.setdefault(allegation.subject_id, allegation)
    candidates = list(by_subject.values())
    hits = [c for c in checks if c.result == "potential_misconduct"]
    chosen = rng.sample(candidates, min(len(candidates), len(hits)))
    for check, allegation in zip(hits, chosen, strict=False):
        check.officer = allegation.subject
        check.checked_on = allegation.received_on - dt.timedelta(days=rng.randint(1, 7))
        check.notes = "Potential misconduct: referred to the DPS, who recorded the allegation."
        allegation.source = AllegationSource.PND_CHECK
    Allegation.objects.bulk_update(chosen, ["source"])
    seed.summary.append(f"PND hits that became allegations: {len(chosen)}.")


@demo_part(order=52)
def reviews(seed: DemoSeed) -> None:
    """Vetting reviews: every risk-management decision opens one (as the live service does), every PND
    hit and conviction while serving, and a few self-reports."""
    rng, f = seed.rng, seed.figures
    checks, clearance_of = seed.pnd_checks, seed.clearance_of
    triggers = [
        (r.subject, "risk_management", f"onyxreview:{r.pk}", r.decided_at)
        for r in seed.onyx_reviews
        if r.decision == OnyxDecision.RISK_MANAGEMENT
    ]
    triggers += [
        (c.officer, "pnd_hit", f"pndcheck:{c.pk}", seed.at(c.checked_on)) for c in checks if c.result != "no_trace"
    ]
    triggers += [
        (
            c.officer,
            "conviction",
            f"conviction:{c.pk}",
            seed.at(seed.today - dt.timedelta(days=rng.randint(10, 120))),
        )
        for c in seed.convictions_made
        if c.while_serving
    ]
    others = [p for p in seed.officers if not p.left_on]
    since = seed.today - dt.timedelta(days=180)
    for person in rng.sample(others, scaled(MET_VETTING_REVIEWS_OTHER, f.people)):
        triggers.append((person, "self_report", "", seed.at(day_between(rng, since, seed.today))))
    reviews = []
    for person, trigger, ref, opened_at in triggers:
        status = pick(rng, [("open", 35), ("in_progress", 40), ("decided", 25)])
        outcome, conditions, decided_at = "", "", None
        if status == "decided":
            outcome = pick(
                rng, [("maintained", 40), ("maintained_conditions", 30), ("suspended", 15), ("withdrawn", 15)]
            )
            conditions = (
                "No access to vulnerable victims; supervision review in 6 months."
                if outcome == "maintained_conditions"
                else ""
            )
            decided_at = min(seed.as_of, opened_at + dt.timedelta(days=rng.randint(7, 60)))
        reviews.append(
            VettingReview(
                public_id=public_id(rng),
                officer=person,
                clearance=clearance_of.get(person.pk),
                trigger=trigger,
                trigger_ref=ref,
                status=status,
                outcome=outcome,
                conditions=conditions,
                opened_at=opened_at,
                decided_at=decided_at,
            )
        )
    seed.bulk(VettingReview, reviews, "vetting reviews")
