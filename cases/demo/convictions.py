"""Officers' criminal convictions in the demo (Met figures), how each offence is triable, and the handful
referred to misconduct as allegations linked to them (as cases.services.conviction_refer does)."""

import datetime as dt
import random
import zlib

from cases.models import (
    Allegation,
    AllegationSource,
    Conviction,
    ConvictionCategory,
    ConvictionKind,
    ConvictionReviewStatus,
    ModeOfTrial,
    PersonKind,
    Severity,
)
from cases.services.conviction_policy import conviction_policy_apply
from cases.services.convictions import SI_2025_558_IN_FORCE

from .figures import day_between, pick
from .registry import DemoSeed, demo_part

C, M = ConvictionCategory, ModeOfTrial
# How the offences of each category are triable (England and Wales): most serious traffic offences are summary
# only (drink driving) or either way (dangerous driving); drugs possession, theft, fraud and assault occasioning
# actual bodily harm either way; a few violent and sexual offences (robbery, wounding with intent, rape)
# indictable only. "" is a conviction recorded before the mode of trial was kept.
MODE_OF_TRIAL_MIX = {
    C.SERIOUS_TRAFFIC: [(M.SUMMARY, 60), (M.EITHER_WAY, 32), ("", 8)],
    C.DRUGS: [(M.EITHER_WAY, 80), (M.SUMMARY, 12), ("", 8)],
    C.CRIMINAL_DAMAGE: [(M.EITHER_WAY, 55), (M.SUMMARY, 37), ("", 8)],
    C.PUBLIC_ORDER: [(M.SUMMARY, 65), (M.EITHER_WAY, 27), ("", 8)],
    C.DISHONESTY: [(M.EITHER_WAY, 85), (M.INDICTABLE_ONLY, 5), ("", 10)],
    C.VIOLENCE: [(M.EITHER_WAY, 55), (M.SUMMARY, 22), (M.INDICTABLE_ONLY, 13), ("", 10)],
    C.SEXUAL: [(M.EITHER_WAY, 50), (M.INDICTABLE_ONLY, 50)],
}
# Cautions (simple or conditional) are common for first offences of drugs possession, criminal damage, public
# order and low-level theft, rare for driving offences (which go to court or a fixed penalty) and for sexual or
# serious violent offences; per cent of each category's rows.
CAUTION_SHARE = {
    C.SERIOUS_TRAFFIC: 0,
    C.DRUGS: 45,
    C.CRIMINAL_DAMAGE: 40,
    C.PUBLIC_ORDER: 35,
    C.DISHONESTY: 25,
    C.VIOLENCE: 15,
    C.SEXUAL: 0,
}
MINOR_SHARE = 12  # per cent of offences before joining committed under 18 (none while serving)
REFERRED_SHARE = 10  # one conviction in ten is referred to misconduct (at least two where any can be)
# An allegation the engine deems gross misconduct may only sit in a case assessed so, or not yet assessed
# (cases.services.convictions severity_floor: reg 2(1) "gross misconduct" as amended by SI 2025/558 reg 6(2)(c)).
FLOOR_SAFE = {"", Severity.GROSS_MISCONDUCT}


@demo_part(order=40)
def convictions(seed: DemoSeed) -> None:
    """161 officers with convictions (Met figures, scaled), 8 of them while serving."""
    rng, f = seed.rng, seed.figures
    officers = [p for p in seed.officers if p.kind == PersonKind.OFFICER]
    convicted = rng.sample(officers, sum(f.convictions.values()))
    rows = []
    groups = [g for g, n in f.convictions.items() for _ in range(n)]
    for person, group in zip(convicted, groups, strict=False):
        while_serving = group == "dishonesty_or_violence_while_serving"
        category = {
            "serious_traffic": ConvictionCategory.SERIOUS_TRAFFIC,
            "sexual": ConvictionCategory.SEXUAL,
            "drugs_damage_public_order": rng.choice(
                [ConvictionCategory.DRUGS, ConvictionCategory.CRIMINAL_DAMAGE, ConvictionCategory.PUBLIC_ORDER]
            ),
        }.get(group) or rng.choice([ConvictionCategory.DISHONESTY, ConvictionCategory.VIOLENCE])
        if while_serving:
            convicted_on = day_between(rng, person.joined_on + dt.timedelta(days=30), person.left_on or seed.today)
        else:
            convicted_on = person.joined_on - dt.timedelta(days=rng.randint(200, 3650))
        rows.append(
            Conviction(
                officer=person,
                category=category,
                mode_of_trial=pick(rng, MODE_OF_TRIAL_MIX[category]),
                offence_on=convicted_on - dt.timedelta(days=rng.randint(30, 300)),
                convicted_on=convicted_on,
                while_serving=while_serving,
                disposal=rng.choice(["Fine", "Community order", "Disqualified from driving", "Conditional discharge"]),
                review_status=pick(
                    rng,
                    [
                        (ConvictionReviewStatus.PENDING, 30),
                        (ConvictionReviewStatus.UNDER_REVIEW, 30),
                        (ConvictionReviewStatus.NO_ACTION, 25),
                        (ConvictionReviewStatus.REFERRED, 15),
                    ],
                ),
            )
        )
    for row in rows:
        _kind_and_age(row)
    seed.convictions_made = seed.bulk(Conviction, rows, "convictions")
    conviction_policy_apply()
    _referred(seed, seed.convictions_made)


def _kind_and_age(row: Conviction) -> None:
    """Caution or conviction, and whether the offence was committed under 18, drawn from the person's own
    generator (their staff number), so the shared one, and with it the rest of the demo, is not disturbed."""
    rng = random.Random(zlib.crc32(f"conviction-kind:{row.officer.staff_number}".encode()))
    if rng.randrange(100) < CAUTION_SHARE[row.category]:
        row.kind, row.disposal = ConvictionKind.CAUTION, rng.choice(["Simple caution", "Conditional caution"])
    row.as_minor = not row.while_serving and rng.randrange(100) < MINOR_SHARE


def _referred(seed: DemoSeed, convictions: list) -> None:
    """A handful of convictions referred to misconduct: an allegation about the person, from the conviction and
    linked to it (source conviction; as conviction_refer writes it), which the person's case then holds. The
    allegation count is the Met's, so the referral takes one of the person's allegations that came to notice
    after the conviction, preferring one already from a conviction. A referred conviction with a mode of trial;
    an indictable-only one only where its case is assessed gross misconduct (or not yet assessed). A conviction
    the demo marked referred without such an allegation is still under review."""
    rng = seed.rng
    candidates = {}
    for a in (
        Allegation.objects.filter(subject_id__in=[c.officer_id for c in convictions], conviction__isnull=True)
        .exclude(source__in=[AllegationSource.PND_CHECK, AllegationSource.HOTLINE])
        .select_related("case")
        .order_by("id")
    ):
        candidates.setdefault(a.subject_id, []).append(a)
    referable = []
    for c in convictions:
        mine = [a for a in candidates.get(c.officer_id, []) if a.received_on >= c.convicted_on]
        if c.mode_of_trial == ModeOfTrial.INDICTABLE_ONLY:
            mine = [a for a in mine if a.received_on < SI_2025_558_IN_FORCE or _floor_safe(a)]
        if c.mode_of_trial and mine:
            mine.sort(key=lambda a: (a.source != AllegationSource.CONVICTION, a.id))
            referable.append((c, mine[0]))
    want = max(min(2, len(referable)), round(len(convictions) / REFERRED_SHARE))
    chosen = rng.sample(referable, min(want, len(referable)))
    linked = []
    for c, a in chosen:
        a.source, a.conviction_id = AllegationSource.CONVICTION, c.pk
        linked.append(a)
        c.review_status = ConvictionReviewStatus.REFERRED
    referred = {c.pk for c, _ in chosen}
    for c in convictions:
        if c.review_status == ConvictionReviewStatus.REFERRED and c.pk not in referred:
            c.review_status = ConvictionReviewStatus.UNDER_REVIEW
    Allegation.objects.bulk_update(linked, ["source", "conviction"])
    Conviction.objects.bulk_update(convictions, ["review_status"])
    seed.summary.append(f"Convictions referred to misconduct as allegations: {len(linked)}.")


def _floor_safe(allegation) -> bool:
    return allegation.case is None or allegation.case.severity in FLOOR_SAFE
