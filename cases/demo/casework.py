"""Ten years of allegations up to the day the seed runs, grouped into cases about one subject each, each
case taken as far as it has got (progress) and decided through the engine's own rules (decisions)."""

import datetime as dt

from cases.models import (
    Allegation,
    AllegationCategory,
    AllegationSource,
    Case,
    EmploymentStatus,
    Finding,
    Officer,
    Outcome,
    PersonKind,
    ReferenceCounter,
)

from .decisions import decide
from .figures import BATCH_SIZE, day_between, pick, public_id
from .progress import progress
from .registry import DemoSeed, demo_part
from .shape import ALLEGATION_MIX, ALLEGATION_RATE_BY_ETHNICITY, CASE_SIZES, NARRATIVES, PLACES, SOURCE_MIX, WITNESSES


@demo_part(order=20)
def allegations_and_cases(seed: DemoSeed) -> None:
    """Ten years of allegations, grouped into cases about one subject each. Written in slices,
    cases first (their ids come back) and then their allegations."""
    rng, f = seed.rng, seed.figures
    # In proportion to the time each person served in the ten years, so that the force's monthly count
    # stays level rather than crowding into the months of the newest joiners.
    weights = [
        ALLEGATION_RATE_BY_ETHNICITY[p.ethnicity]
        * (1.0 if p.kind == PersonKind.OFFICER else 0.25)
        * rng.lognormvariate(0, 0.8)
        * max(30, ((p.left_on or seed.today) - max(p.joined_on, seed.history_start)).days)
        for p in seed.officers
    ]
    onyx_index = {person: n for n, person in enumerate(seed.onyx_people)}
    # The Onyx subjects' past cases (1,633 cases about 1,131 people, scaled), each of one or two
    # sexual-offence or domestic-abuse allegations; the rest of the allegations fall elsewhere.
    onyx_case_counts = [1] * len(seed.onyx_people)
    for n in rng.choices(range(len(seed.onyx_people)), k=max(0, f.onyx_cases - len(seed.onyx_people))):
        onyx_case_counts[n] += 1
    vaw = [AllegationCategory.SEXUAL_OFFENCE, AllegationCategory.DOMESTIC_ABUSE]
    onyx_cases = [
        [[rng.choice(vaw) for _ in range(rng.choice([1, 1, 1, 2]))] for _ in range(count)] for count in onyx_case_counts
    ]
    in_onyx_cases = sum(len(categories) for cases in onyx_cases for categories in cases)
    counts = [0] * len(seed.officers)
    for i in rng.choices(range(len(seed.officers)), weights=weights, k=max(0, f.allegations - in_onyx_cases)):
        counts[i] += 1
    seed.onyx_links = [([], []) for _ in seed.onyx_people]  # (allegation ids, case ids) per review
    seed.case_numbers = {}
    pending, settled = [], []
    for i, person in enumerate(seed.officers):
        start = max(person.joined_on, seed.history_start)
        end = person.left_on or seed.today
        mine = []
        if i in onyx_index:
            n = onyx_index[i]
            for categories in onyx_cases[n]:
                mine.append(case(seed, person, start, end, categories, onyx=n))
        remaining = counts[i]
        while remaining:
            size = min(remaining, pick(rng, CASE_SIZES))
            remaining -= size
            categories = [pick(rng, ALLEGATION_MIX) for _ in range(size)]
            mine.append(case(seed, person, start, end, categories, onyx=None))
        changed, unwritten = decide(seed, person, mine, write=lambda cases: write_cases(seed, cases))
        if changed:
            settled.append(person)
        pending.extend(unwritten)
        if len(pending) >= BATCH_SIZE:
            write_cases(seed, pending)
            pending = []
    write_cases(seed, pending)
    # Dismissed by a case (and only then): the person's status follows the outcome, as officer_status_change
    # does. The dismissals add to the leavers, so as many resigned leavers stay serving instead.
    settled += _leavers_kept_near_the_target(seed)
    Officer.objects.bulk_update(settled, ["status", "left_on"], batch_size=BATCH_SIZE)
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(prefix=prefix, last_number=n) for prefix, n in sorted(seed.case_numbers.items())]
    )
    seed.log(f"  cases: {sum(seed.case_numbers.values()):,}; allegations: {Allegation.objects.count():,}")
    _complaints_summary(seed)


def _leavers_kept_near_the_target(seed: DemoSeed) -> list:
    """Dismissals made by cases are leavers too: that many of the people who resigned or retired stay
    serving instead (their cases, all from before the day they would have left, go on), so the leavers
    stay near the Met's 1,500 (scaled)."""
    over = sum(1 for p in seed.officers if p.left_on) - seed.figures.leavers
    if over <= 0:
        return []
    kept = [p for p in seed.officers if p.status in (EmploymentStatus.RESIGNED, EmploymentStatus.RETIRED)][:over]
    for person in kept:
        person.status, person.left_on = EmploymentStatus.SERVING, None
    return kept


def _complaints_summary(seed: DemoSeed) -> None:
    """How the public complaints ended: most never become misconduct cases."""
    complaints = Allegation.objects.filter(source=AllegationSource.PUBLIC_COMPLAINT)
    total = complaints.count()
    if not total:
        return
    at_assessment = complaints.filter(case__outcome=Outcome.REFLECTIVE_PRACTICE).count()
    no_case = complaints.filter(case__finding=Finding.NO_CASE_TO_ANSWER).count()
    proceedings = complaints.filter(case__finding=Finding.CASE_TO_ANSWER).count()
    seed.summary.append(
        f"Public complaints: {total:,} allegations; {at_assessment / total:.0%} closed at the severity assessment "
        f"(reflective practice), {no_case / total:.0%} no case to answer, {proceedings / total:.0%} went to "
        f"misconduct proceedings, the rest still being assessed or investigated."
    )


def case(seed: DemoSeed, person, start, end, categories, onyx):
    rng = seed.rng
    noticed = day_between(rng, start, end)
    allegations = []
    for category in categories:
        received = _no_later_than(seed.today, noticed, rng.choice([0, 0, 0, rng.randint(1, 60)]))
        incident = received - dt.timedelta(days=rng.randint(0, 90))
        allegations.append(
            Allegation(
                public_id=public_id(rng),
                subject=person,
                category=category,
                source=pick(rng, SOURCE_MIX),
                complainant_ref=f"C{rng.getrandbits(40):010x}",
                received_on=received,
                incident_on=incident if rng.random() < 0.9 else None,
                narrative=NARRATIVES[category].format(who=rng.choice(WITNESSES), where=rng.choice(PLACES)),
            )
        )
    opened_at = seed.at(_no_later_than(seed.today, noticed, rng.randint(0, 14)))
    year = opened_at.year
    prefix = f"DPS-{year}"
    seed.case_numbers[prefix] = seed.case_numbers.get(prefix, 0) + 1
    case = Case(
        public_id=public_id(rng),
        reference=f"{prefix}-{seed.case_numbers[prefix]:06d}",
        subject=person,
        came_to_notice_on=noticed,
        opened_at=opened_at,
        restricted=(
            rng.random() < 0.5 if AllegationCategory.CORRUPT_ASSOCIATION in categories else rng.random() < 0.01
        ),
    )
    progress(seed, case, allegations)
    case._allegations = allegations
    case._onyx = onyx
    return case


def write_cases(seed: DemoSeed, cases: list) -> None:
    if not cases:
        return
    Case.objects.bulk_create(cases, batch_size=BATCH_SIZE)
    allegations = []
    for case in cases:
        for a in case._allegations:
            a.case_id = case.pk
            allegations.append(a)
    Allegation.objects.bulk_create(allegations, batch_size=BATCH_SIZE)
    for case in cases:
        if case._onyx is not None:
            allegation_ids, case_ids = seed.onyx_links[case._onyx]
            allegation_ids.extend(a.pk for a in case._allegations)
            case_ids.append(case.pk)
    if len(cases) >= BATCH_SIZE:
        seed.log(f"  ... {len(cases):,} cases with {len(allegations):,} allegations written")


def _no_later_than(today, day, days: int):
    """`days` after `day`, or `day` itself where that would be after today (no pile-up on today)."""
    later = day + dt.timedelta(days=days)
    return later if later <= today else day
