"""The demo's people: the DPS staff and panel members who do the work in the data (not logins), the
commands, and the officers and police staff of the force with who left, who is suspended and who is on
restricted duties."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cases.models import Command, EmploymentStatus, Officer, OnyxDecision, PersonKind, Sex
from cases.roles import Role

from .figures import apportion, day_between, pick, public_id, years_before
from .names import FIRST_NAMES, LAST_NAMES
from .registry import DemoSeed, demo_part
from .shape import COMMANDS, ETHNICITY_MIX, OFFICER_PYRAMID, SEX_MIX, STAFF_PYRAMID


@demo_part(order=10)
def staff_users(seed: DemoSeed) -> None:
    """Users who do the work in the data. They have no usable password: they are not logins."""
    User = get_user_model()
    groups = {role: Group.objects.get_or_create(name=Role(role).label)[0] for role in Role}
    rng = seed.rng
    specs = [(f"dps-staff-{i:03d}", Role.INVESTIGATOR) for i in range(1, seed.figures.dps_staff + 1)]
    specs += [(f"panel-member-{i:02d}", Role.PANEL_REVIEWER) for i in range(1, 6)]
    users = []
    for username, _ in specs:
        sex = rng.choice([Sex.MALE, Sex.FEMALE])
        user = User(
            username=username,
            first_name=rng.choice(FIRST_NAMES[sex]),
            last_name=rng.choice(LAST_NAMES),
            email=f"{username}@dps.example",
        )
        user.set_unusable_password()
        users.append(user)
    users = seed.bulk(User, users, "DPS staff and panel members (no logins)")
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=u.pk, group_id=groups[role].pk) for u, (_, role) in zip(users, specs, strict=False)]
    )
    seed.investigators = [u for u, (_, role) in zip(users, specs, strict=False) if role == Role.INVESTIGATOR]
    seed.panel_members = [u for u, (_, role) in zip(users, specs, strict=False) if role == Role.PANEL_REVIEWER]


@demo_part(order=11)
def commands(seed: DemoSeed) -> None:
    seed.command_rows = seed.bulk(Command, [Command(code=code, name=name) for code, name, _, _ in COMMANDS], "commands")
    seed.command_weights = {
        PersonKind.OFFICER: [w for _, _, w, _ in COMMANDS],
        PersonKind.STAFF: [w for _, _, _, w in COMMANDS],
    }


@demo_part(order=12)
def people(seed: DemoSeed) -> None:
    rng, f = seed.rng, seed.figures
    kinds = [PersonKind.OFFICER] * f.officers + [PersonKind.STAFF] * f.staff
    ranks = []
    for _kind, count, pyramid in (
        (PersonKind.OFFICER, f.officers, OFFICER_PYRAMID),
        (PersonKind.STAFF, f.staff, STAFF_PYRAMID),
    ):
        parts = apportion(count, [share for _, share, _ in pyramid])
        ranks += [(rank, min_years) for (rank, _, min_years), n in zip(pyramid, parts, strict=False) for _ in range(n)]
    numbers = rng.sample(range(100_000, 1_000_000), f.people)
    officers = []
    for i, (kind, (rank, min_years)) in enumerate(zip(kinds, ranks, strict=False)):
        sex = pick(rng, SEX_MIX[kind])
        command = rng.choices(seed.command_rows, weights=seed.command_weights[kind])[0]
        years = min(40.0, min_years + rng.expovariate(1 / 9) + rng.random())
        joined_on = min(years_before(seed.today, years), seed.today - dt.timedelta(days=60))
        officers.append(
            Officer(
                public_id=public_id(rng),
                staff_number=f"MPS{numbers[i]:06d}",
                kind=kind,
                collar_number=f"{rng.randint(1, 9999)}{command.code}" if kind == PersonKind.OFFICER else None,
                first_name=rng.choice(FIRST_NAMES[sex]),
                last_name=rng.choice(LAST_NAMES),
                rank=rank,
                command=command,
                ethnicity=pick(rng, ETHNICITY_MIX),
                sex=sex,
                joined_on=joined_on,
            )
        )
    # Who left, who is suspended, whose past cases the Onyx review takes up; then restricted
    # duties, filled first from the risk-management decisions about officers.
    order = list(range(f.people))
    rng.shuffle(order)
    leavers, rest = order[: f.leavers], order[f.leavers :]
    for i in leavers:
        person = officers[i]
        person.status = rng.choice([EmploymentStatus.RESIGNED, EmploymentStatus.RETIRED, EmploymentStatus.DISMISSED])
        person.left_on = day_between(
            rng, max(person.joined_on + dt.timedelta(days=30), years_before(seed.today, 3)), seed.today
        )
    onyx_total = sum(f.onyx.values())
    seed.onyx_people = rest[:onyx_total]
    decisions = [d for d, n in f.onyx.items() for _ in range(n)]
    rng.shuffle(decisions)
    seed.onyx_decisions = decisions
    suspended = rest[onyx_total : onyx_total + f.suspended]
    for i in suspended:
        officers[i].status = EmploymentStatus.SUSPENDED
    restricted = [
        i
        for i, d in zip(seed.onyx_people, decisions, strict=False)
        if d == OnyxDecision.RISK_MANAGEMENT and officers[i].kind == PersonKind.OFFICER
    ][: f.restricted]
    restricted += [i for i in rest[onyx_total + f.suspended :] if officers[i].kind == PersonKind.OFFICER][
        : f.restricted - len(restricted)
    ]
    for i in restricted:
        officers[i].status = EmploymentStatus.RESTRICTED
    seed.officers = seed.bulk(Officer, officers, "officers and staff")
