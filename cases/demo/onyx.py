"""The Onyx programme's reviews in the demo (Met figures: 1,131 people, 246 no further action, 689
reassessed, 196 formal risk management)."""

import datetime as dt

from cases.calendar import months_before
from cases.models import (
    AllegationCategory,
    EmploymentStatus,
    OnyxAction,
    OnyxActionKind,
    OnyxDecision,
    OnyxReview,
    OnyxStatus,
    PanelAssignment,
    PanelVerdict,
    ReferenceCounter,
    ReviewBatch,
)

from .figures import BATCH_SIZE, TREND_MONTHS, day_between, pick, public_id
from .registry import DemoSeed, demo_part

ONYX_RATIONALES = {
    OnyxDecision.NO_FURTHER_ACTION: "The right action was taken at the time; the record supports the original outcome.",
    OnyxDecision.REASSESS: "Missed lines of inquiry: the victim and two witnesses were not spoken to again.",
    OnyxDecision.RISK_MANAGEMENT: "A pattern across the past cases calls for formal risk management and vetting.",
}


@demo_part(order=30)
def onyx(seed: DemoSeed) -> None:
    """The Onyx programme: one review of each covered person's past cases, decided over the last two years,
    with the panel's rounds and the lines of inquiry and risk measures the decisions call for."""
    rng = seed.rng
    decided_from = months_before(seed.today, TREND_MONTHS - 1).replace(day=1)
    batch = ReviewBatch.objects.create(
        name="Domestic abuse and sexual offences, last 10 years",
        categories=[AllegationCategory.SEXUAL_OFFENCE.value, AllegationCategory.DOMESTIC_ABUSE.value],
        period_start=seed.history_start,
        period_end=seed.today,
    )
    reviews = []
    for n, (i, decision) in enumerate(zip(seed.onyx_people, seed.onyx_decisions, strict=False), start=1):
        status = pick(rng, [(OnyxStatus.CONCLUDED, 55), (OnyxStatus.WITH_PANEL, 30), (OnyxStatus.DECIDED, 15)])
        reviews.append(
            OnyxReview(
                public_id=public_id(rng),
                reference=f"ONYX-{n:05d}",
                batch=batch,
                subject=seed.officers[i],
                reviewer=rng.choice(seed.investigators),
                status=status,
                decision=decision,
                rationale=ONYX_RATIONALES[decision],
                decided_at=seed.at(day_between(rng, decided_from, seed.today - dt.timedelta(days=14))),
            )
        )
    # A few decided reviews wait for the panel, so the demo's panel members have work (demo_logins).
    waiting = [r for r in reviews if r.status == OnyxStatus.DECIDED]
    for review in [r for r in reviews if r.status == OnyxStatus.WITH_PANEL][: max(0, 4 - len(waiting))]:
        review.status = OnyxStatus.DECIDED
    reviews = seed.bulk(OnyxReview, reviews, "Onyx reviews")
    ReferenceCounter.objects.create(prefix="ONYX", last_number=len(reviews))
    AllegationLink, CaseLink = OnyxReview.past_allegations.through, OnyxReview.past_cases.through
    AllegationLink.objects.bulk_create(
        [
            AllegationLink(onyxreview_id=r.pk, allegation_id=a)
            for r, (allegation_ids, _) in zip(reviews, seed.onyx_links, strict=False)
            for a in allegation_ids
        ],
        batch_size=BATCH_SIZE,
    )
    CaseLink.objects.bulk_create(
        [
            CaseLink(onyxreview_id=r.pk, case_id=c)
            for r, (_, case_ids) in zip(reviews, seed.onyx_links, strict=False)
            for c in case_ids
        ],
        batch_size=BATCH_SIZE,
    )
    assignments, actions = [], []
    for review in reviews:
        panel = rng.choice(seed.panel_members)
        if review.status == OnyxStatus.WITH_PANEL:
            assignments.append(PanelAssignment(review=review, panel_member=panel, round=1))
        elif review.status == OnyxStatus.CONCLUDED:
            rounds = 2 if rng.random() < 0.08 else 1
            for r in range(1, rounds + 1):
                disagree = r < rounds
                assignments.append(
                    PanelAssignment(
                        review=review,
                        panel_member=panel,
                        round=r,
                        verdict=PanelVerdict.DISAGREE if disagree else PanelVerdict.AGREE,
                        reasons="The victim's later account was not considered." if disagree else "",
                        verdict_at=review.decided_at + dt.timedelta(days=7 * r),
                    )
                )
        if review.decision == OnyxDecision.REASSESS:
            actions.append(OnyxAction(review=review, kind=OnyxActionKind.RECONTACT_VICTIM))
        elif review.decision == OnyxDecision.RISK_MANAGEMENT:
            actions.append(OnyxAction(review=review, kind=OnyxActionKind.VETTING_REVIEW))
            if review.subject.status == EmploymentStatus.RESTRICTED:
                actions.append(OnyxAction(review=review, kind=OnyxActionKind.RESTRICTED_DUTIES))
    seed.bulk(PanelAssignment, assignments, "panel assignments")
    seed.bulk(OnyxAction, actions, "Onyx lines of inquiry and risk measures")
    seed.onyx_reviews = reviews
