"""Officers' criminal convictions in the demo (Met figures)."""

import datetime as dt

from cases.models import Conviction, ConvictionCategory, ConvictionReviewStatus, PersonKind

from .figures import day_between, pick
from .registry import DemoSeed, demo_part


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
    seed.convictions_made = seed.bulk(Conviction, rows, "convictions")
