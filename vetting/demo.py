"""Vetting's part of the demo force (registered with the seed in cases.demo): renewal periods, clearances,
PND checks (some of whose hits become allegations) and vetting reviews, all dated back from today."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cases.demo import DemoLogins, DemoSeed, demo_login_part, demo_part, scaled
from cases.demo.figures import MET_VETTING_REVIEWS_OTHER, day_between, pick, public_id, years_before
from cases.demo.names import FIRST_NAMES, LAST_NAMES
from cases.models import Allegation, AllegationSource, EmploymentStatus, OnyxDecision, Rank, Sex
from cases.roles import Role

from .models import (
    CircumstanceChange,
    CircumstanceKind,
    PNDCheck,
    RenewalPeriod,
    RevettingDraw,
    VettingClearance,
    VettingReview,
    VettingReviewEvent,
)
from .services import clearance_notices_create, revetting_draw, vetting_review_move

# National security vetting is held by those who need it: counter terrorism and protection.
NATIONAL_SECURITY_COMMANDS = {"CT": "dv", "RS": "sc", "PD": "sc", "SO": "sc", "AV": "ctc", "MI": "sc"}
LAPSED_DAYS = 30  # a clearance granted up to a month before its period ran out has lapsed by today
PND_DAYS = 75  # the checks of the last ten weeks or so
MET_VETTING_OFFICERS = 30  # the vetting unit's officers who work the reviews (not logins)
DEMO_OFFICER_REVIEWS = 10  # open reviews the demo vetting officer takes on, the newest first
DEMO_OFFICER_DECIDES = 2  # of which the demo vetting officer has decided a couple already


@demo_part(order=49)
def vetting_officers(seed: DemoSeed) -> None:
    """The vetting unit's officers who work the demo's reviews: users with the vetting officer role and no
    usable password (not logins)."""
    rng = seed.rng
    User = get_user_model()
    group = Group.objects.get_or_create(name=Role.VETTING_OFFICER.label)[0]
    users = []
    for i in range(1, max(3, scaled(MET_VETTING_OFFICERS, seed.figures.people)) + 1):
        sex = rng.choice([Sex.MALE, Sex.FEMALE])
        user = User(
            username=f"dps-staff-vetting-{i:02d}",
            first_name=rng.choice(FIRST_NAMES[sex]),
            last_name=rng.choice(LAST_NAMES),
            email=f"dps-staff-vetting-{i:02d}@dps.example",
        )
        user.set_unusable_password()
        users.append(user)
    seed.vetting_officers = seed.bulk(User, users, "vetting officers (no logins)")
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=group.pk) for u in seed.vetting_officers]
    )


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
            # A leaver's clearance was granted while they served and ended when they left (PVR reg 6: clearance
            # ends when the officer ceases to be one ⚠ secondary, docs/vetting-rules.md): its last day is the
            # leaving day, or its renewal date if that came first. Withdrawn for the dismissed, else expired.
            end = person.left_on - dt.timedelta(days=1) if person.left_on else seed.today
            earliest = years_before(end, years) - dt.timedelta(days=LAPSED_DAYS)
            granted = day_between(rng, min(max(person.joined_on, earliest), end), end)
            expires = years_before(granted, -years)
            if person.left_on:
                expires = min(expires, person.left_on)
                status = "withdrawn" if person.status == EmploymentStatus.DISMISSED else "expired"
            elif expires < seed.today:  # valid to the end of its expiry date (clearance_status_on)
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


# What each trigger's review says it was opened for (as the services that open them write it).
REASONS = {
    "risk_management": "Onyx review: formal risk management",
    "pnd_hit": "Police National Database result",
    "conviction": "Caution or conviction recorded",
    "self_report": "Self-reported: {kind}",
}
RATIONALES = {
    "maintained": "The information does not bear on the person's suitability: no ongoing risk identified.",
    "maintained_conditions": "Risk can be managed: clearance kept with the conditions stated, reviewed in 6 months.",
    "suspended": "Clearance suspended pending the outcome of the misconduct investigation.",
    "withdrawn": "The adverse information shows an unacceptable risk; representations considered and not accepted.",
}
SELF_REPORTS = [
    (CircumstanceKind.PARTNER, "New partner moved in; partner's brother has a recent conviction for supply."),
    (CircumstanceKind.FINANCES, "County court judgment for unpaid debt; repayment plan agreed with the creditor."),
    (CircumstanceKind.CRIMINAL, "Arrested after a dispute with a neighbour; released under investigation."),
    (CircumstanceKind.CO_RESIDENTS, "Adult son returned home after a custodial sentence."),
    (CircumstanceKind.ASSOCIATES, "A close friend has been charged with fraud offences."),
    (CircumstanceKind.NAME_OR_ADDRESS, "Married and changed surname; moved address within the force area."),
]


@demo_part(order=52)
def reviews(seed: DemoSeed) -> None:
    """Vetting reviews: every risk-management decision opens one (as the live service does), every PND
    hit and conviction while serving, and a few self-reports, each behind its person's own report of the
    change (Police (Vetting) Regulations 2025 reg 5). Under review means assigned to a vetting officer; a
    decision records its maker and reasons (reg 7), as vetting_review_move writes them."""
    rng = seed.rng
    checks, clearance_of, officers = seed.pnd_checks, seed.clearance_of, seed.vetting_officers
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
    triggers += _self_reports(seed)
    reviews, kinds = [], dict(CircumstanceKind.choices)
    for n, (person, trigger, ref, opened_at) in enumerate(triggers):
        status = pick(rng, [("open", 35), ("in_progress", 40), ("decided", 25)])
        if trigger == "self_report" and n == len(triggers) - 1:
            status = "open"  # the newest self-report is waiting for a vetting officer
        elif n == 0:
            status = "decided"  # and the first review has long been decided
        outcome, conditions, decided_at, rationale, assignee = "", "", None, "", None
        if status != "open":
            assignee = rng.choice(officers)
        if status == "decided":
            outcome = pick(
                rng, [("maintained", 40), ("maintained_conditions", 30), ("suspended", 15), ("withdrawn", 15)]
            )
            conditions = (
                "No access to vulnerable victims; supervision review in 6 months."
                if outcome == "maintained_conditions"
                else ""
            )
            rationale = RATIONALES[outcome]
            decided_at = min(seed.as_of, opened_at + dt.timedelta(days=rng.randint(7, 60)))
        kind = seed.self_report_kinds.get(ref, "")
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
                reason=REASONS[trigger].format(kind=kinds.get(kind, "")),
                assigned_to=assignee,
                decided_by=assignee if status == "decided" else None,
                rationale=rationale,
                opened_at=opened_at,
                decided_at=decided_at,
            )
        )
    reviews = seed.bulk(VettingReview, reviews, "vetting reviews")
    VettingReviewEvent.objects.bulk_create([e for r in reviews for e in _events(seed, r)], batch_size=5000)


def _self_reports(seed: DemoSeed) -> list:
    """Serving people's own reports of a change in their circumstances in the last six months, each taken by a
    vetting officer (the person told the unit by phone: the demo's people have no logins)."""
    rng, f = seed.rng, seed.figures
    others = [p for p in seed.officers if not p.left_on]
    since = seed.today - dt.timedelta(days=180)
    people = rng.sample(others, max(2, scaled(MET_VETTING_REVIEWS_OTHER, f.people)))
    rows = []
    for person in people:
        kind, details = rng.choice(SELF_REPORTS)
        reported_at = seed.at(day_between(rng, since, seed.today))
        rows.append(
            CircumstanceChange(
                officer=person,
                reported_by=rng.choice(seed.vetting_officers),
                kind=kind,
                occurred_on=reported_at.date() - dt.timedelta(days=rng.randint(1, 14)),
                details=f"{details} Reported to the vetting unit by phone.",
                reported_at=reported_at,
                once_token=f"demo-{rng.getrandbits(64):016x}",
            )
        )
    rows = sorted(
        seed.bulk(CircumstanceChange, rows, "self-reported changes of circumstances"), key=lambda r: r.reported_at
    )
    seed.self_report_kinds = {f"circumstancechange:{r.pk}": r.kind for r in rows}
    return [(r.officer, "self_report", f"circumstancechange:{r.pk}", r.reported_at) for r in rows]


def _events(seed: DemoSeed, review: VettingReview) -> list:
    """The review's history, as vetting_review_open and vetting_review_move write it."""
    events = [VettingReviewEvent(review=review, at=review.opened_at, from_status="", to_status="open")]
    if review.assigned_to:
        assigned_at = review.opened_at + (((review.decided_at or seed.as_of) - review.opened_at) / 3)
        events.append(
            VettingReviewEvent(
                review=review,
                actor=review.assigned_to,
                at=assigned_at,
                from_status="open",
                to_status="in_progress",
                detail={"assigned_to": review.assigned_to.pk},
            )
        )
    if review.decided_at:
        events.append(
            VettingReviewEvent(
                review=review,
                actor=review.decided_by,
                at=review.decided_at,
                from_status="in_progress",
                to_status="decided",
                detail={"outcome": review.outcome},
            )
        )
    return events


@demo_part(order=53)
def revetting_and_notices(seed: DemoSeed) -> None:
    """Last month's randomised re-vetting draw (APP Vetting 2024), through the service, dated the first of that
    month; and the expiry and appraisal notices due today, through the service the daily task calls."""
    period = (seed.today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    draw = revetting_draw(period=period, seed=seed.rng.getrandbits(62), by=seed.rng.choice(seed.vetting_officers))
    drawn_at = seed.at(period)
    RevettingDraw.objects.filter(pk=draw.pk).update(drawn_at=drawn_at)
    drawn = VettingReview.objects.filter(trigger="random_revetting", trigger_ref__startswith=f"draw:{draw.pk}:")
    drawn.update(opened_at=drawn_at)
    VettingReviewEvent.objects.filter(review__in=drawn).update(at=drawn_at)
    notices = clearance_notices_create(day=seed.today)
    seed.log(
        f"  re-vetting draw {period:%B %Y}: {len(draw.clearance_ids)} of {draw.population}; notices: {len(notices)}"
    )


@demo_login_part(order=50)
def vetting_officer_work(state: DemoLogins) -> None:
    """The demo vetting officer takes on the newest open reviews (a self-report among them), through the
    service a vetting officer uses, and has decided a couple."""
    me = state.users[f"demo-{Role.VETTING_OFFICER.value}"]
    waiting = VettingReview.objects.filter(status="open").order_by("-opened_at", "-id")
    # Half the open ones at most: the rest stay open, for any vetting officer to take.
    share = min(DEMO_OFFICER_REVIEWS, max(1, waiting.count() // 2))
    taken = list(waiting.filter(trigger="self_report")[:1])
    taken += list(waiting.exclude(trigger="self_report")[: share - len(taken)])
    for review in taken:
        vetting_review_move(review=review, to_status="in_progress", by=me)
    # Decided: a couple of the others, never the self-report, and only where some stay under review.
    decided = taken[1:][-DEMO_OFFICER_DECIDES:] if len(taken) > DEMO_OFFICER_DECIDES + 2 else []
    for review in decided:
        vetting_review_move(
            review=review, to_status="decided", by=me, outcome="maintained", rationale=RATIONALES["maintained"]
        )
    mine = VettingReview.objects.filter(assigned_to=me, status="in_progress").count()
    state.summary.append(f"  {me.username}: {mine} vetting reviews under review, more open to take")
