"""The hotline's part of the demo force (registered with the seed in cases.demo): the public reports of
the last three months (Met: 350), some linked to an officer, some referred as allegations, the newest not
yet acknowledged and a few with a new message from the reporter waiting for the triage team."""

import datetime as dt

from cases.demo import DemoSeed, demo_part
from cases.demo.figures import HOTLINE_DAYS, day_between, pick, public_id
from cases.models import Allegation, AllegationSource, PersonKind, ReferenceCounter

from .models import HotlineMessage, HotlineReport, HotlineStatus, MessageSender

HOTLINE_MIX = [
    ("selling_information", 20),
    ("personal_advantage", 25),
    ("sexual_boundaries", 20),
    ("abusing_partners", 15),
    ("discrimination", 20),
]
HOTLINE_ACCOUNTS = {
    "selling_information": "I think an officer is passing information about investigations to people locally.",
    "personal_advantage": "An officer uses their warrant card to get free things and to avoid parking fines.",
    "sexual_boundaries": "An officer keeps messaging a woman he met when she reported a crime.",
    "abusing_partners": "My friend's partner is an officer and controls her money and who she sees.",
    "discrimination": "I heard officers making racist and misogynistic jokes about people they had stopped.",
}
STATUS_MIX = [
    (HotlineStatus.RECEIVED, 10),
    (HotlineStatus.ACKNOWLEDGED, 25),
    (HotlineStatus.NEEDS_INFORMATION, 15),
    (HotlineStatus.LINKED, 20),
    (HotlineStatus.REFERRED, 15),
    (HotlineStatus.CLOSED, 15),
]
NEW_REPORTS = 3  # the newest reports, not yet acknowledged
REPORTER_MESSAGE = "I remembered something else: it happened again last Friday, near the same station."


@demo_part(order=70)
def hotline_reports(seed: DemoSeed) -> None:
    rng, f = seed.rng, seed.figures
    serving = [p for p in seed.officers if not p.left_on and p.kind == PersonKind.OFFICER]
    opened = seed.today - dt.timedelta(days=HOTLINE_DAYS)
    days = sorted(day_between(rng, opened, seed.today) for _ in range(f.hotline_reports))
    statuses = [pick(rng, STATUS_MIX) for _ in days]
    for n in range(max(0, len(days) - NEW_REPORTS), len(days)):
        statuses[n] = HotlineStatus.RECEIVED
    if HotlineStatus.REFERRED not in statuses and len(statuses) > NEW_REPORTS:
        statuses[0] = HotlineStatus.REFERRED  # at least one report the DPS took up as an allegation
    referred = _allegations_from_reports(seed, statuses.count(HotlineStatus.REFERRED), opened)
    hashes, reports, numbers = set(), [], {}
    for day, status in zip(days, statuses, strict=True):
        category = pick(rng, HOTLINE_MIX)
        allegation = referred.pop() if status == HotlineStatus.REFERRED and referred else None
        if allegation is not None:
            day = max(opened, allegation.received_on - dt.timedelta(days=rng.randint(0, 7)))
        received_at = seed.at(day)
        officer = None
        if allegation is not None:
            officer = allegation.subject
        elif status in (HotlineStatus.LINKED, HotlineStatus.REFERRED):
            officer = rng.choice(serving)
        receipt_hash = f"demo${rng.getrandbits(256):064x}"
        while receipt_hash in hashes:
            receipt_hash = f"demo${rng.getrandbits(256):064x}"
        hashes.add(receipt_hash)
        prefix = f"HL-{day.year}"
        numbers[prefix] = numbers.get(prefix, 0) + 1
        reports.append(
            HotlineReport(
                public_id=public_id(rng),
                reference=f"{prefix}-{numbers[prefix]:06d}",
                receipt_hash=receipt_hash,
                category=category,
                what_happened=HOTLINE_ACCOUNTS[category],
                when_happened=rng.choice(["Last week", "Over the past year", "Last month", "Ongoing"]),
                where_happened=rng.choice(["South London", "Central London", "East London", "Online", ""]),
                collar_number_given=officer.collar_number if officer and rng.random() < 0.5 else "",
                anonymous=rng.random() < 0.7,
                status=status,
                received_at=received_at,
                acknowledged_at=min(seed.as_of, received_at + dt.timedelta(hours=rng.randint(2, 72)))
                if status != HotlineStatus.RECEIVED
                else None,
                closed_reason="Not enough information to identify the officer." if status == "closed" else "",
                officer=officer,
                linked_at=min(seed.as_of, received_at + dt.timedelta(days=rng.randint(3, 20))) if officer else None,
                allegation=allegation,
            )
        )
    reports = seed.bulk(HotlineReport, reports, "hotline reports")
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(prefix=prefix, last_number=n) for prefix, n in sorted(numbers.items())]
    )
    _reporter_messages(seed, reports)


def _allegations_from_reports(seed: DemoSeed, wanted: int, opened: dt.date) -> list:
    """Recent allegations about serving officers that came in by the hotline: the referred reports'."""
    candidates = list(
        Allegation.objects.filter(
            received_on__gt=opened + dt.timedelta(days=7),
            source__in=[AllegationSource.COLLEAGUE_REPORT, AllegationSource.PUBLIC_COMPLAINT],
            subject__left_on__isnull=True,
            subject__kind=PersonKind.OFFICER,
        )
        .select_related("subject")
        .order_by("id")
    )
    chosen = seed.rng.sample(candidates, min(wanted, len(candidates)))
    for allegation in chosen:
        allegation.source = AllegationSource.HOTLINE
    Allegation.objects.bulk_update(chosen, ["source"])
    seed.summary.append(f"Hotline reports that became allegations: {len(chosen)}.")
    return chosen


def _reporter_messages(seed: DemoSeed, reports: list) -> None:
    """A new message from the reporter on the newest report, and on some asked for more information."""
    waiting = [r for r in reports if r.status == HotlineStatus.NEEDS_INFORMATION and seed.rng.random() < 0.3]
    waiting.append(reports[-1])
    HotlineMessage.objects.bulk_create(
        [HotlineMessage(report=r, sender=MessageSender.REPORTER, body=REPORTER_MESSAGE) for r in waiting]
    )
    seed.log(f"  reporter messages waiting: {len(waiting)}")
