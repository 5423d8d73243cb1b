"""A demo force shaped after the Metropolitan Police's published 2022-2023 figures (DOMAIN.md).

Deterministic: one `random.Random(seed)` drives every choice, dates count from a fixed base date
and public ids come from the same generator, so a seed always gives the same rows. Bulk: rows are
built in memory and written with `bulk_create` in batches; nothing is written one row at a time.

The demo also fills the vetting and hotline tables. `cases` must not import the apps built on it,
so their models are looked up by label through the app registry, at run time only.
"""

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction

from cases.roles import Role

from .models import (
    APPEALABLE_OUTCOMES,
    DISMISSALS,
    IOPC_MANDATORY_CATEGORIES,
    OUTCOMES_BY_FORUM_AND_FINDING,
    Allegation,
    AllegationCategory,
    AllegationSource,
    AllegationStatus,
    Case,
    CaseStatus,
    Command,
    Conviction,
    ConvictionCategory,
    ConvictionReviewStatus,
    EmploymentStatus,
    Ethnicity,
    Finding,
    IopcMode,
    IopcReferral,
    Officer,
    OnyxAction,
    OnyxActionKind,
    OnyxDecision,
    OnyxReview,
    OnyxStatus,
    Outcome,
    PanelAssignment,
    PanelVerdict,
    PersonKind,
    ProceedingsFinding,
    Rank,
    ReferenceCounter,
    ReviewBatch,
    Route,
    Severity,
    Sex,
)

BASE_DATE = dt.date(2023, 3, 31)
HISTORY_START = dt.date(2013, 4, 1)  # ten years of allegations up to the base date
HOTLINE_OPENED = dt.date(2023, 1, 1)  # the 350 reports came in "about three months"
BATCH_SIZE = 5000

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

# (code, name, weight for officers, weight for staff)
COMMANDS = [
    ("AW", "Central West BCU", 5, 1),
    ("CN", "Central North BCU", 5, 1),
    ("AS", "Central South BCU", 5, 1),
    ("CE", "Central East BCU", 5, 1),
    ("NW", "North West BCU", 5, 1),
    ("NA", "North Area BCU", 5, 1),
    ("NE", "North East BCU", 5, 1),
    ("EA", "East Area BCU", 5, 1),
    ("SE", "South East BCU", 5, 1),
    ("SN", "South BCU", 5, 1),
    ("SW", "South West BCU", 5, 1),
    ("WA", "West Area BCU", 5, 1),
    ("MO", "Met Operations", 3, 3),
    ("CT", "Counter Terrorism Command", 3, 2),
    ("SO", "Specialist Operations", 1, 1),
    ("RS", "Royal and Specialist Protection", 2, 1),
    ("PD", "Parliamentary and Diplomatic Protection", 2, 1),
    ("TF", "Taskforce", 3, 1),
    ("RT", "Roads and Transport Policing Command", 3, 1),
    ("SC", "Specialist Crime", 4, 2),
    ("PP", "Public Protection", 4, 2),
    ("MI", "Met Intelligence", 2, 3),
    ("CU", "Custody", 2, 3),
    ("PS", "Directorate of Professional Standards", 1, 1),
    ("AV", "Aviation Policing", 1, 0),
    ("MP", "Marine Policing Unit", 1, 0),
    ("CC", "Met Contact Centre", 1, 8),
    ("DT", "Digital Data and Technology", 0, 6),
    ("PR", "People and Resources", 0, 6),
    ("CM", "Commercial Services", 0, 3),
    ("PY", "Property Services", 0, 3),
    ("SG", "Strategy and Governance", 0, 2),
]
# National security vetting is held by those who need it: counter terrorism and protection.
NATIONAL_SECURITY_COMMANDS = {"CT": "dv", "RS": "sc", "PD": "sc", "SO": "sc", "AV": "ctc", "MI": "sc"}

# A ranks pyramid for officers: (rank, share of officers, minimum years of service).
OFFICER_PYRAMID = [
    (Rank.ASSISTANT_COMMISSIONER, 4, 24),
    (Rank.DEPUTY_ASSISTANT_COMMISSIONER, 8, 22),
    (Rank.COMMANDER, 32, 20),
    (Rank.CHIEF_SUPERINTENDENT, 80, 18),
    (Rank.SUPERINTENDENT, 240, 15),
    (Rank.CHIEF_INSPECTOR, 520, 12),
    (Rank.INSPECTOR, 1_700, 8),
    (Rank.SERGEANT, 4_600, 4),
    (Rank.CONSTABLE, 26_816, 0),
]
STAFF_PYRAMID = [
    (Rank.STAFF_BAND_A, 2, 10),
    (Rank.STAFF_BAND_B, 8, 6),
    (Rank.STAFF_BAND_C, 20, 3),
    (Rank.STAFF_BAND_D, 30, 1),
    (Rank.STAFF_BAND_E, 40, 0),
]
ETHNICITY_MIX = [
    (Ethnicity.WHITE, 8000),
    (Ethnicity.ASIAN, 750),
    (Ethnicity.BLACK, 400),
    (Ethnicity.MIXED, 450),
    (Ethnicity.OTHER, 150),
    (Ethnicity.NOT_STATED, 250),
]
# Casey (2023): Black staff 81%, Asian 55%, mixed 41% more likely to receive an allegation.
ALLEGATION_RATE_BY_ETHNICITY = {
    Ethnicity.WHITE: 1.0,
    Ethnicity.BLACK: 1.81,
    Ethnicity.ASIAN: 1.55,
    Ethnicity.MIXED: 1.41,
    Ethnicity.OTHER: 1.2,
    Ethnicity.NOT_STATED: 1.0,
}
SEX_MIX = {
    PersonKind.OFFICER: [(Sex.MALE, 695), (Sex.FEMALE, 300), (Sex.NOT_STATED, 5)],
    PersonKind.STAFF: [(Sex.MALE, 395), (Sex.FEMALE, 600), (Sex.NOT_STATED, 5)],
}

FIRST_NAMES = {
    Sex.MALE: [
        "James",
        "Oliver",
        "Mohammed",
        "Daniel",
        "Thomas",
        "David",
        "Michael",
        "Joshua",
        "Samuel",
        "Adam",
        "Ryan",
        "Lewis",
        "Jack",
        "Harry",
        "Ben",
        "Kwame",
        "Tunde",
        "Chinedu",
        "Imran",
        "Arjun",
        "Ravi",
        "Sanjay",
        "Hassan",
        "Yusuf",
        "Omar",
        "Tomasz",
        "Piotr",
        "Luca",
        "Marco",
        "Andrei",
        "Connor",
        "Liam",
        "Callum",
        "Jamal",
        "Marcus",
        "Aaron",
        "Dean",
        "Gary",
        "Lee",
        "Stuart",
        "Paul",
        "Mark",
        "Richard",
        "Simon",
        "Wayne",
        "Darren",
        "Kevin",
        "Neil",
        "Ian",
    ],
    Sex.FEMALE: [
        "Sarah",
        "Emma",
        "Laura",
        "Rebecca",
        "Charlotte",
        "Hannah",
        "Amy",
        "Jessica",
        "Sophie",
        "Lucy",
        "Aisha",
        "Fatima",
        "Amina",
        "Priya",
        "Anjali",
        "Nadia",
        "Zainab",
        "Grace",
        "Chloe",
        "Megan",
        "Olivia",
        "Emily",
        "Natalie",
        "Kelly",
        "Claire",
        "Nicola",
        "Joanne",
        "Louise",
        "Rachel",
        "Helen",
        "Funmi",
        "Abena",
        "Chiamaka",
        "Maria",
        "Ana",
        "Agnieszka",
        "Katarzyna",
        "Ioana",
        "Simone",
        "Jade",
        "Leanne",
        "Donna",
        "Tracey",
        "Michelle",
    ],
}
FIRST_NAMES[Sex.NOT_STATED] = FIRST_NAMES[Sex.MALE] + FIRST_NAMES[Sex.FEMALE]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Patel",
    "Khan",
    "Ahmed",
    "Ali",
    "Hussain",
    "Begum",
    "Shah",
    "Singh",
    "Kaur",
    "Sharma",
    "Okafor",
    "Adeyemi",
    "Mensah",
    "Owusu",
    "Boateng",
    "Campbell",
    "Francis",
    "Williams-Grant",
    "Thomas",
    "Edwards",
    "Hughes",
    "Hill",
    "Moore",
    "Harris",
    "Martin",
    "Cooper",
    "Ward",
    "Turner",
    "Parker",
    "Morris",
    "Murphy",
    "Kelly",
    "O'Brien",
    "Byrne",
    "Nowak",
    "Kowalski",
    "Popescu",
    "Rossi",
    "Silva",
    "Santos",
    "Costa",
    "Ibrahim",
    "Osei",
    "Mahmood",
    "Chowdhury",
    "Rahman",
    "Miah",
    "Nguyen",
    "Chen",
    "Wong",
    "Li",
    "Bailey",
    "Bell",
    "Collins",
    "Stewart",
    "Morgan",
    "Richardson",
    "Fox",
    "Knight",
    "Mills",
    "Grant",
    "Lawrence",
    "Henry",
    "Baker",
    "Carter",
    "Phillips",
    "Mitchell",
    "Lewis",
    "Young",
    "King",
    "Allen",
]

# Allegation categories outside the Onyx programme's scope, with their weights.
ALLEGATION_MIX = [
    (AllegationCategory.SEXUAL_MISCONDUCT, 80),
    (AllegationCategory.DISCRIMINATION, 70),
    (AllegationCategory.HOMOPHOBIA, 15),
    (AllegationCategory.DISHONESTY, 150),
    (AllegationCategory.VIOLENCE, 220),
    (AllegationCategory.CORRUPT_ASSOCIATION, 30),
    (AllegationCategory.MISUSE_OF_DATA_OR_POWERS, 120),
    (AllegationCategory.ABUSE_OF_POSITION_SEXUAL, 10),
    (AllegationCategory.DRUGS, 20),
    (AllegationCategory.OTHER, 285),
]
SOURCE_MIX = [
    (AllegationSource.PUBLIC_COMPLAINT, 65),
    (AllegationSource.COLLEAGUE_REPORT, 25),
    (AllegationSource.SELF_REFERRAL, 5),
    (AllegationSource.CONVICTION, 2),
]
NARRATIVES = {
    AllegationCategory.SEXUAL_OFFENCE: "Alleged sexual assault reported by {who}; {where}.",
    AllegationCategory.DOMESTIC_ABUSE: "Alleged coercive control of a partner, reported by {who}.",
    AllegationCategory.SEXUAL_MISCONDUCT: "Inappropriate sexual comments and messages to {who}; {where}.",
    AllegationCategory.DISCRIMINATION: "Racist language used towards {who}; {where}.",
    AllegationCategory.HOMOPHOBIA: "Homophobic remarks made in front of {who}; {where}.",
    AllegationCategory.DISHONESTY: "Inaccurate account given in a statement, reported by {who}.",
    AllegationCategory.VIOLENCE: "Excessive force used during an arrest, reported by {who}; {where}.",
    AllegationCategory.CORRUPT_ASSOCIATION: "Undeclared association with a person of interest, reported by {who}.",
    AllegationCategory.MISUSE_OF_DATA_OR_POWERS: "Police systems searched with no policing purpose; noticed by {who}.",
    AllegationCategory.ABUSE_OF_POSITION_SEXUAL: "Pursued a relationship with a vulnerable victim met on duty.",
    AllegationCategory.DRUGS: "Suspected use of controlled drugs off duty, reported by {who}.",
    AllegationCategory.OTHER: "Rude and dismissive conduct towards {who}; {where}.",
}
WITNESSES = ["a member of the public", "a colleague", "a supervisor", "the victim", "a witness", "a custody detainee"]
PLACES = ["at a traffic stop", "in a custody suite", "at a station office", "on patrol", "at a public event", "online"]
# Size of a case in allegations: 1 to 8, averaging a little over four.
CASE_SIZES = [(1, 10), (2, 12), (3, 14), (4, 16), (5, 14), (6, 12), (7, 10), (8, 8)]
ONYX_RATIONALES = {
    OnyxDecision.NO_FURTHER_ACTION: "The right action was taken at the time; the record supports the original outcome.",
    OnyxDecision.REASSESS: "Missed lines of inquiry: the victim and two witnesses were not spoken to again.",
    OnyxDecision.RISK_MANAGEMENT: "A pattern across the past cases calls for formal risk management and vetting.",
}
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

OPEN_STAGES_AFTER_INVESTIGATION = [CaseStatus.CASE_TO_ANSWER, CaseStatus.PROCEEDINGS, CaseStatus.OUTCOME]

Log = Callable[[str], None]


def _pick(rng: random.Random, mix):
    values, weights = zip(*mix, strict=False)
    return rng.choices(values, weights=weights)[0]


def _public_id(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _at(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(8, 18), rng.randint(0, 59)), tzinfo=dt.UTC)


def _years_before(day: dt.date, years: float) -> dt.date:
    return day - dt.timedelta(days=int(years * 365.25))


# --- reading the state ------------------------------------------------------------------------


def demo_force_exists() -> bool:
    return Officer.objects.exists()


def _domain_models():
    found = []
    for label in ("cases", "vetting", "hotline"):
        found.extend(apps.get_app_config(label).get_models(include_auto_created=True))
    return found


def demo_force_reset(*, log: Log) -> None:
    """Delete every domain row and the demo's own users. On PostgreSQL one TRUNCATE ... CASCADE
    (which also restarts the id sequences, so a seed gives the same ids again)."""
    existing = set(connection.introspection.table_names())
    tables = [m._meta.db_table for m in _domain_models() if m._meta.db_table in existing]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Run the deferred foreign-key checks now: TRUNCATE refuses a table with pending
                # trigger events (rows written earlier in the same transaction, as in tests).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                quoted = ", ".join(connection.ops.quote_name(t) for t in tables)
                cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        else:
            _delete_all(tables)
        User = get_user_model()
        users = User.objects.none()
        for prefix in STAFF_USER_PREFIXES:
            users |= User.objects.filter(username__startswith=prefix)
        users.delete()
    log(f"Deleted the domain rows of {len(tables)} tables and the demo users.")


def _delete_all(tables: list[str]) -> None:
    # SQLite has no TRUNCATE. Django declares SQLite foreign keys DEFERRABLE INITIALLY DEFERRED,
    # so inside the transaction the order of the DELETEs is free; the AUTOINCREMENT counters are
    # cleared so ids start again at 1. Table names come from the app registry, not from input.
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
        placeholders = ", ".join(["%s"] * len(tables))
        cursor.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({placeholders})", tables)  # noqa: S608


# --- building the force -----------------------------------------------------------------------


class _ForceBuilder:
    def __init__(self, *, people: int, seed: int, log: Log):
        self.rng = random.Random(seed)
        self.figures = DemoFigures.for_people(people)
        self.log = log

    def bulk(self, model, rows, what: str):
        created = model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.log(f"  {what}: {len(created):,}")
        return created

    def run(self) -> DemoFigures:
        f = self.figures
        self.log(f"Building a force of {f.people:,} people ({f.officers:,} officers, {f.staff:,} staff).")
        self.staff_users()
        self.commands()
        self.people()
        self.allegations_and_cases()
        self.onyx()
        self.convictions()
        self.vetting()
        self.hotline()
        return f

    # Users who do the work in the data. They have no usable password: they are not logins.
    def staff_users(self):
        User = get_user_model()
        groups = {role: Group.objects.get_or_create(name=Role(role).label)[0] for role in Role}
        rng = self.rng
        specs = [(f"dps-staff-{i:03d}", Role.INVESTIGATOR) for i in range(1, self.figures.dps_staff + 1)]
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
        users = self.bulk(User, users, "DPS staff and panel members (no logins)")
        Membership = User.groups.through
        Membership.objects.bulk_create(
            [Membership(user_id=u.pk, group_id=groups[role].pk) for u, (_, role) in zip(users, specs, strict=False)]
        )
        self.investigators = [u for u, (_, role) in zip(users, specs, strict=False) if role == Role.INVESTIGATOR]
        self.panel_members = [u for u, (_, role) in zip(users, specs, strict=False) if role == Role.PANEL_REVIEWER]

    def commands(self):
        self.command_rows = self.bulk(
            Command, [Command(code=code, name=name) for code, name, _, _ in COMMANDS], "commands"
        )
        self.command_weights = {
            PersonKind.OFFICER: [w for _, _, w, _ in COMMANDS],
            PersonKind.STAFF: [w for _, _, _, w in COMMANDS],
        }

    def people(self):
        rng, f = self.rng, self.figures
        kinds = [PersonKind.OFFICER] * f.officers + [PersonKind.STAFF] * f.staff
        ranks = []
        for _kind, count, pyramid in (
            (PersonKind.OFFICER, f.officers, OFFICER_PYRAMID),
            (PersonKind.STAFF, f.staff, STAFF_PYRAMID),
        ):
            parts = apportion(count, [share for _, share, _ in pyramid])
            ranks += [
                (rank, min_years) for (rank, _, min_years), n in zip(pyramid, parts, strict=False) for _ in range(n)
            ]
        numbers = rng.sample(range(100_000, 1_000_000), f.people)
        officers = []
        for i, (kind, (rank, min_years)) in enumerate(zip(kinds, ranks, strict=False)):
            sex = _pick(rng, SEX_MIX[kind])
            command = rng.choices(self.command_rows, weights=self.command_weights[kind])[0]
            years = min(40.0, min_years + rng.expovariate(1 / 9) + rng.random())
            joined_on = min(_years_before(BASE_DATE, years), BASE_DATE - dt.timedelta(days=60))
            officers.append(
                Officer(
                    public_id=_public_id(rng),
                    staff_number=f"MPS{numbers[i]:06d}",
                    kind=kind,
                    collar_number=f"{rng.randint(1, 9999)}{command.code}" if kind == PersonKind.OFFICER else None,
                    first_name=rng.choice(FIRST_NAMES[sex]),
                    last_name=rng.choice(LAST_NAMES),
                    rank=rank,
                    command=command,
                    ethnicity=_pick(rng, ETHNICITY_MIX),
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
            person.status = rng.choice(
                [EmploymentStatus.RESIGNED, EmploymentStatus.RETIRED, EmploymentStatus.DISMISSED]
            )
            person.left_on = _day(
                rng, max(person.joined_on + dt.timedelta(days=30), _years_before(BASE_DATE, 3)), BASE_DATE
            )
        onyx_total = sum(f.onyx.values())
        self.onyx_people = rest[:onyx_total]
        decisions = [d for d, n in f.onyx.items() for _ in range(n)]
        rng.shuffle(decisions)
        self.onyx_decisions = decisions
        suspended = rest[onyx_total : onyx_total + f.suspended]
        for i in suspended:
            officers[i].status = EmploymentStatus.SUSPENDED
        restricted = [
            i
            for i, d in zip(self.onyx_people, decisions, strict=False)
            if d == OnyxDecision.RISK_MANAGEMENT and officers[i].kind == PersonKind.OFFICER
        ][: f.restricted]
        restricted += [i for i in rest[onyx_total + f.suspended :] if officers[i].kind == PersonKind.OFFICER][
            : f.restricted - len(restricted)
        ]
        for i in restricted:
            officers[i].status = EmploymentStatus.RESTRICTED
        self.officers = self.bulk(Officer, officers, "officers and staff")

    def allegations_and_cases(self):
        """Ten years of allegations, grouped into cases about one subject each. Written in slices,
        cases first (their ids come back) and then their allegations."""
        rng, f = self.rng, self.figures
        weights = [
            ALLEGATION_RATE_BY_ETHNICITY[p.ethnicity]
            * (1.0 if p.kind == PersonKind.OFFICER else 0.25)
            * rng.lognormvariate(0, 0.8)
            for p in self.officers
        ]
        onyx_index = {person: n for n, person in enumerate(self.onyx_people)}
        # The Onyx subjects' past cases (1,633 cases about 1,131 people, scaled), each of one or two
        # sexual-offence or domestic-abuse allegations; the rest of the allegations fall elsewhere.
        onyx_case_counts = [1] * len(self.onyx_people)
        for n in rng.choices(range(len(self.onyx_people)), k=max(0, f.onyx_cases - len(self.onyx_people))):
            onyx_case_counts[n] += 1
        vaw = [AllegationCategory.SEXUAL_OFFENCE, AllegationCategory.DOMESTIC_ABUSE]
        onyx_cases = [
            [[rng.choice(vaw) for _ in range(rng.choice([1, 1, 1, 2]))] for _ in range(count)]
            for count in onyx_case_counts
        ]
        in_onyx_cases = sum(len(categories) for cases in onyx_cases for categories in cases)
        counts = [0] * len(self.officers)
        for i in rng.choices(range(len(self.officers)), weights=weights, k=max(0, f.allegations - in_onyx_cases)):
            counts[i] += 1
        self.onyx_links = [([], []) for _ in self.onyx_people]  # (allegation ids, case ids) per review
        self.case_numbers = {}
        pending, settled = [], []
        for i, person in enumerate(self.officers):
            start = max(person.joined_on, HISTORY_START)
            end = person.left_on or BASE_DATE
            mine = []
            if i in onyx_index:
                n = onyx_index[i]
                for categories in onyx_cases[n]:
                    mine.append(self.case(person, start, end, categories, onyx=n))
            remaining = counts[i]
            while remaining:
                size = min(remaining, _pick(rng, CASE_SIZES))
                remaining -= size
                categories = [_pick(rng, ALLEGATION_MIX) for _ in range(size)]
                mine.append(self.case(person, start, end, categories, onyx=None))
            if self.decide(person, mine):
                settled.append(person)
            pending.extend(mine)
            if len(pending) >= BATCH_SIZE:
                self.write_cases(pending)
                pending = []
        self.write_cases(pending)
        # Dismissed by a case (and only then): the person's status follows the outcome, as record_outcome does.
        Officer.objects.bulk_update(settled, ["status", "left_on"], batch_size=BATCH_SIZE)
        ReferenceCounter.objects.bulk_create(
            [ReferenceCounter(prefix=prefix, last_number=n) for prefix, n in sorted(self.case_numbers.items())]
        )
        self.log(f"  cases: {sum(self.case_numbers.values()):,}; allegations: {Allegation.objects.count():,}")

    def case(self, person, start, end, categories, onyx):
        rng = self.rng
        noticed = _day(rng, start, end)
        allegations = []
        for category in categories:
            received = min(BASE_DATE, noticed + dt.timedelta(days=rng.choice([0, 0, 0, rng.randint(1, 60)])))
            incident = received - dt.timedelta(days=rng.randint(0, 90))
            allegations.append(
                Allegation(
                    public_id=_public_id(rng),
                    subject=person,
                    category=category,
                    source=_pick(rng, SOURCE_MIX),
                    complainant_ref=f"C{rng.getrandbits(40):010x}",
                    received_on=received,
                    incident_on=incident if rng.random() < 0.9 else None,
                    narrative=NARRATIVES[category].format(who=rng.choice(WITNESSES), where=rng.choice(PLACES)),
                )
            )
        opened_at = _at(rng, min(BASE_DATE, noticed + dt.timedelta(days=rng.randint(0, 14))))
        year = opened_at.year
        prefix = f"DPS-{year}"
        self.case_numbers[prefix] = self.case_numbers.get(prefix, 0) + 1
        case = Case(
            public_id=_public_id(rng),
            reference=f"{prefix}-{self.case_numbers[prefix]:06d}",
            subject=person,
            came_to_notice_on=noticed,
            opened_at=opened_at,
            restricted=(
                rng.random() < 0.5 if AllegationCategory.CORRUPT_ASSOCIATION in categories else rng.random() < 0.01
            ),
        )
        self.progress(case, allegations)
        case._allegations = allegations
        case._onyx = onyx
        return case

    def progress(self, case, allegations):
        """Where the case stands at the base date. Investigations average about 400 days; the
        majority end with no case to answer (Casey: 55-60%)."""
        rng = self.rng
        base_at = dt.datetime.combine(BASE_DATE, dt.time(23, 59), tzinfo=dt.UTC)
        duration = dt.timedelta(days=rng.expovariate(1 / 400) + 7)
        gross = any(
            a.category
            in (
                AllegationCategory.SEXUAL_OFFENCE,
                AllegationCategory.ABUSE_OF_POSITION_SEXUAL,
                AllegationCategory.CORRUPT_ASSOCIATION,
            )
            for a in allegations
        )
        staff = case.subject.kind == PersonKind.STAFF
        case.severity = _pick(
            rng,
            [
                (Severity.GROSS_MISCONDUCT, 60 if gross else 15),
                (Severity.MISCONDUCT, 50),
                # No reflective practice for police staff: their procedure is the force's (reg 4(1)).
                (Severity.NEITHER, 0 if staff else 35),
            ],
        )
        mandatory = any(a.category in IOPC_MANDATORY_CATEGORIES for a in allegations)
        if rng.random() < (0.3 if gross else 0.05) or mandatory:
            case.iopc_referral = IopcReferral.REFERRED
            case.iopc_mode = _pick(rng, [(IopcMode.LOCAL, 60), (IopcMode.DIRECTED, 25), (IopcMode.INDEPENDENT, 15)])
        else:
            case.iopc_referral = IopcReferral.NOT_REQUIRED
        no_case = rng.random() < 0.57
        if case.severity == Severity.NEITHER:
            # Practice requiring improvement goes to the reflective practice review process at the severity
            # assessment (reg 14), never through "case to answer".
            case.finding, case.route, case.outcome = "", Route.REFLECTIVE_PRACTICE, Outcome.REFLECTIVE_PRACTICE
        elif no_case:
            case.finding, case.route, case.outcome = Finding.NO_CASE_TO_ANSWER, "", Outcome.NO_CASE_TO_ANSWER
        else:
            case.finding = Finding.CASE_TO_ANSWER
            case.route = (
                Route.STAFF_HEARING
                if staff
                else {
                    Severity.MISCONDUCT: Route.MISCONDUCT_MEETING,
                    Severity.GROSS_MISCONDUCT: Route.ACCELERATED_HEARING
                    if rng.random() < 0.1
                    else Route.MISCONDUCT_HEARING,
                }[case.severity]
            )
            # Provisional: decide() chooses the finding and outcome once the person's other cases are known.
            case.proceedings_finding, case.outcome = _finding_and_outcome(rng, case, live=False, may_dismiss=False)
        closing = case.opened_at + duration
        if closing <= base_at:
            case.status, case.closed_at = CaseStatus.CLOSED, closing
            case.outcome_on = closing.date()
            case.severity_assessed_on = min(case.outcome_on, (case.opened_at + duration * 0.1).date())
            _notified(case)
            case.investigator = rng.choice(self.investigators)
            return
        # Still open: how far along is it? Keep only what has been decided by that stage.
        done = (base_at - case.opened_at) / duration
        stages = [
            (0.03, CaseStatus.INTAKE),
            (0.08, CaseStatus.IOPC_REFERRAL),
            (0.15, CaseStatus.SEVERITY_ASSESSMENT),
            (0.75, CaseStatus.INVESTIGATION),
            (0.82, CaseStatus.CASE_TO_ANSWER),
            (0.92, CaseStatus.PROCEEDINGS),
            (1.0, CaseStatus.OUTCOME),
        ]
        status = next((s for limit, s in stages if done <= limit), CaseStatus.OUTCOME)
        if case.severity == Severity.NEITHER and status not in (CaseStatus.INTAKE, CaseStatus.IOPC_REFERRAL):
            status = CaseStatus.SEVERITY_ASSESSMENT  # referred to reflective practice once assessed
        if case.finding == Finding.NO_CASE_TO_ANSWER and status in OPEN_STAGES_AFTER_INVESTIGATION:
            status = CaseStatus.INVESTIGATION  # "no case to answer" closes the case: not yet decided
        if status == CaseStatus.OUTCOME and case.route == Route.MISCONDUCT_MEETING and rng.random() < 0.3:
            status = CaseStatus.APPEAL  # appeals from meetings come to us; from hearings, to the tribunal
        case.status = status
        if status not in (CaseStatus.OUTCOME, CaseStatus.APPEAL):
            case.outcome = ""
        if status not in (CaseStatus.PROCEEDINGS, CaseStatus.OUTCOME, CaseStatus.APPEAL):
            case.route = ""
        if status in (
            CaseStatus.INTAKE,
            CaseStatus.IOPC_REFERRAL,
            CaseStatus.SEVERITY_ASSESSMENT,
            CaseStatus.INVESTIGATION,
        ):
            case.finding = ""
        if status in (CaseStatus.INTAKE, CaseStatus.IOPC_REFERRAL, CaseStatus.SEVERITY_ASSESSMENT):
            case.severity = ""
        if case.severity:
            case.severity_assessed_on = min(BASE_DATE, (case.opened_at + duration * 0.1).date())
        if status in (CaseStatus.INTAKE, CaseStatus.IOPC_REFERRAL):
            case.iopc_referral, case.iopc_mode = IopcReferral.NOT_CHECKED, ""
        if case.outcome:
            case.outcome_on = min(BASE_DATE, (case.opened_at + duration * 0.95).date())
        if not case.outcome:
            case.proceedings_finding = ""
        if case.outcome:
            _notified(case)
        if status == CaseStatus.APPEAL:
            case.appeal_lodged_on = min(BASE_DATE, case.outcome_on + dt.timedelta(days=rng.randint(1, 7)))
        if status != CaseStatus.INTAKE:
            case.investigator = rng.choice(self.investigators)

    def decide(self, person, cases) -> bool:
        """Decide one person's cases in the order they were assessed, as the service would one at a time:
        the forum and outcome see the final written warnings the earlier cases gave (reg 42(5), (8)), a
        misconduct case goes to a hearing only with cause (a live final written warning, or several incidents,
        reg 42(6)), and a dismissal makes the person dismissed, so only a case dismisses anyone. True when the
        person's status changed."""
        rng = self.rng
        final_warnings = []  # (notified on, last day) of the final written warnings given so far
        dismissed_on = None
        protected = person.status in (EmploymentStatus.RESTRICTED, EmploymentStatus.SUSPENDED)
        for case in sorted(cases, key=lambda c: (c.severity_assessed_on or dt.date.max, c.reference)):
            if case.finding == Finding.CASE_TO_ANSWER:
                case.several_incidents = len(case._allegations) > 1 and rng.random() < 0.1
            if case.route in OUTCOMES_BY_FORUM_AND_FINDING:
                on = case.severity_assessed_on
                live = any(notified <= on <= last for notified, last in final_warnings)
                if case.severity == Severity.MISCONDUCT and case.route != Route.STAFF_HEARING:
                    hearing = live or (case.several_incidents and rng.random() < 0.5)
                    case.route = Route.MISCONDUCT_HEARING if hearing else Route.MISCONDUCT_MEETING
                if case.outcome:
                    # Dismissed once, and never with later cases opened about them as serving.
                    may_dismiss = (
                        not protected
                        and dismissed_on is None
                        and not any(c.opened_at.date() > case.outcome_on for c in cases if c is not case)
                    )
                    case.proceedings_finding, case.outcome = _finding_and_outcome(
                        rng, case, live=live, may_dismiss=may_dismiss
                    )
                    _notified(case)
                    if case.outcome == Outcome.FINAL_WRITTEN_WARNING:
                        final_warnings.append((case.outcome_notified_on, case.warning_ends_on))
                    if case.outcome in DISMISSALS:
                        dismissed_on = case.outcome_on
            if case.status == CaseStatus.APPEAL and case.outcome not in APPEALABLE_OUTCOMES:
                case.status, case.appeal_lodged_on = CaseStatus.OUTCOME, None  # nothing to appeal
            self.allegations_decided(case)
        if dismissed_on is not None:
            person.status, person.left_on = EmploymentStatus.DISMISSED, max(dismissed_on, person.joined_on)
            return True
        if person.status == EmploymentStatus.DISMISSED:
            person.status = rng.choice([EmploymentStatus.RESIGNED, EmploymentStatus.RETIRED])  # no case dismissed
            return True
        return False

    def allegations_decided(self, case):
        """The allegations' status once the case has its outcome (as record_outcome and the closing moves set)."""
        if not case.outcome:
            return
        upheld = case.proceedings_finding in (ProceedingsFinding.MISCONDUCT, ProceedingsFinding.GROSS_MISCONDUCT)
        status = AllegationStatus.UPHELD if upheld else AllegationStatus.NOT_UPHELD
        if case.outcome == Outcome.NO_FURTHER_ACTION:
            status = AllegationStatus.NO_FURTHER_ACTION
        for a in case._allegations:
            a.status = status
            if case.status == CaseStatus.CLOSED and self.rng.random() < 0.03:
                a.status = AllegationStatus.WITHDRAWN

    def write_cases(self, cases):
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
                allegation_ids, case_ids = self.onyx_links[case._onyx]
                allegation_ids.extend(a.pk for a in case._allegations)
                case_ids.append(case.pk)
        self.log(f"  ... {len(cases):,} cases with {len(allegations):,} allegations written")

    def onyx(self):
        rng, _f = self.rng, self.figures
        batch = ReviewBatch.objects.create(
            name="Domestic abuse and sexual offences, last 10 years",
            categories=[AllegationCategory.SEXUAL_OFFENCE.value, AllegationCategory.DOMESTIC_ABUSE.value],
            period_start=HISTORY_START,
            period_end=BASE_DATE,
        )
        reviews = []
        for n, (i, decision) in enumerate(zip(self.onyx_people, self.onyx_decisions, strict=False), start=1):
            status = _pick(rng, [(OnyxStatus.CONCLUDED, 55), (OnyxStatus.WITH_PANEL, 30), (OnyxStatus.DECIDED, 15)])
            reviews.append(
                OnyxReview(
                    public_id=_public_id(rng),
                    reference=f"ONYX-{n:05d}",
                    batch=batch,
                    subject=self.officers[i],
                    reviewer=rng.choice(self.investigators),
                    status=status,
                    decision=decision,
                    rationale=ONYX_RATIONALES[decision],
                    decided_at=_at(rng, _day(rng, dt.date(2022, 10, 1), BASE_DATE - dt.timedelta(days=14))),
                )
            )
        reviews = self.bulk(OnyxReview, reviews, "Onyx reviews")
        ReferenceCounter.objects.create(prefix="ONYX", last_number=len(reviews))
        AllegationLink, CaseLink = OnyxReview.past_allegations.through, OnyxReview.past_cases.through
        AllegationLink.objects.bulk_create(
            [
                AllegationLink(onyxreview_id=r.pk, allegation_id=a)
                for r, (allegation_ids, _) in zip(reviews, self.onyx_links, strict=False)
                for a in allegation_ids
            ],
            batch_size=BATCH_SIZE,
        )
        CaseLink.objects.bulk_create(
            [
                CaseLink(onyxreview_id=r.pk, case_id=c)
                for r, (_, case_ids) in zip(reviews, self.onyx_links, strict=False)
                for c in case_ids
            ],
            batch_size=BATCH_SIZE,
        )
        assignments, actions = [], []
        for review in reviews:
            panel = rng.choice(self.panel_members)
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
        self.bulk(PanelAssignment, assignments, "panel assignments")
        self.bulk(OnyxAction, actions, "Onyx lines of inquiry and risk measures")
        self.onyx_reviews = reviews

    def convictions(self):
        rng, f = self.rng, self.figures
        officers = [p for p in self.officers if p.kind == PersonKind.OFFICER]
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
                convicted_on = _day(rng, person.joined_on + dt.timedelta(days=30), person.left_on or BASE_DATE)
            else:
                convicted_on = person.joined_on - dt.timedelta(days=rng.randint(200, 3650))
            rows.append(
                Conviction(
                    officer=person,
                    category=category,
                    offence_on=convicted_on - dt.timedelta(days=rng.randint(30, 300)),
                    convicted_on=convicted_on,
                    while_serving=while_serving,
                    disposal=rng.choice(
                        ["Fine", "Community order", "Disqualified from driving", "Conditional discharge"]
                    ),
                    review_status=_pick(
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
        self.convictions_made = self.bulk(Conviction, rows, "convictions")

    def vetting(self):
        rng, f = self.rng, self.figures
        RenewalPeriod = apps.get_model("vetting", "RenewalPeriod")
        VettingClearance = apps.get_model("vetting", "VettingClearance")
        VettingReview = apps.get_model("vetting", "VettingReview")
        PNDCheck = apps.get_model("vetting", "PNDCheck")
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
        for person in self.officers:
            levels = ["mv" if person.rank in senior or rng.random() < 0.1 else "rv"]
            extra = NATIONAL_SECURITY_COMMANDS.get(person.command.code)
            if extra and rng.random() < 0.7:
                levels.append(extra)
            for level in levels:
                years = periods[level][0]
                granted = _day(rng, max(person.joined_on, _years_before(BASE_DATE, years + 0.25)), BASE_DATE)
                expires = _years_before(granted, -years)
                if person.left_on:
                    status = "withdrawn" if person.status == EmploymentStatus.DISMISSED else "expired"
                elif expires <= BASE_DATE:
                    status = "expired"
                else:
                    status = _pick(rng, [("active", 990), ("suspended", 5), ("withdrawn", 2), ("pending", 3)])
                clearance = VettingClearance(
                    officer=person, level=level, status=status, granted_on=granted, expires_on=expires
                )
                clearances.append(clearance)
                clearance_of.setdefault(person.pk, clearance)
        self.bulk(VettingClearance, clearances, "vetting clearances")

        checked = rng.sample([p for p in self.officers if not p.left_on], f.pnd_checks)
        results = [r for r, n in f.pnd_results.items() for _ in range(n)]
        rng.shuffle(results)
        checks = [
            PNDCheck(
                officer=person,
                checked_on=_day(rng, dt.date(2023, 1, 16), BASE_DATE),
                result=result,
                notes="" if result == "no_trace" else "Referred to the vetting unit for review.",
            )
            for person, result in zip(checked, results, strict=False)
        ]
        self.bulk(PNDCheck, checks, "PND checks")

        # Vetting reviews: every risk-management decision opens one (as the live service does),
        # every PND hit and conviction while serving, and a few self-reports.
        triggers = [
            (r.subject, "risk_management", f"onyxreview:{r.pk}", r.decided_at)
            for r in self.onyx_reviews
            if r.decision == OnyxDecision.RISK_MANAGEMENT
        ]
        triggers += [
            (c.officer, "pnd_hit", f"pndcheck:{c.pk}", _at(rng, c.checked_on)) for c in checks if c.result != "no_trace"
        ]
        triggers += [
            (
                c.officer,
                "conviction",
                f"conviction:{c.pk}",
                _at(rng, BASE_DATE - dt.timedelta(days=rng.randint(10, 120))),
            )
            for c in self.convictions_made
            if c.while_serving
        ]
        others = [p for p in self.officers if not p.left_on]
        for person in rng.sample(others, scaled(MET_VETTING_REVIEWS_OTHER, f.people)):
            triggers.append((person, "self_report", "", _at(rng, _day(rng, dt.date(2022, 10, 1), BASE_DATE))))
        reviews = []
        for person, trigger, ref, opened_at in triggers:
            status = _pick(rng, [("open", 35), ("in_progress", 40), ("decided", 25)])
            outcome, conditions, decided_at = "", "", None
            if status == "decided":
                outcome = _pick(
                    rng, [("maintained", 40), ("maintained_conditions", 30), ("suspended", 15), ("withdrawn", 15)]
                )
                conditions = (
                    "No access to vulnerable victims; supervision review in 6 months."
                    if outcome == "maintained_conditions"
                    else ""
                )
                decided_at = opened_at + dt.timedelta(days=rng.randint(7, 60))
            reviews.append(
                VettingReview(
                    public_id=_public_id(rng),
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
        self.bulk(VettingReview, reviews, "vetting reviews")

    def hotline(self):
        rng, f = self.rng, self.figures
        HotlineReport = apps.get_model("hotline", "HotlineReport")
        serving = [p for p in self.officers if not p.left_on and p.kind == PersonKind.OFFICER]
        hashes = set()
        reports = []
        for n in range(1, f.hotline_reports + 1):
            category = _pick(rng, HOTLINE_MIX)
            status = _pick(
                rng,
                [
                    ("received", 10),
                    ("acknowledged", 25),
                    ("needs_information", 15),
                    ("linked", 20),
                    ("referred", 15),
                    ("closed", 15),
                ],
            )
            received_at = _at(rng, _day(rng, HOTLINE_OPENED, BASE_DATE))
            officer = rng.choice(serving) if status in ("linked", "referred") else None
            receipt_hash = f"demo${rng.getrandbits(256):064x}"
            while receipt_hash in hashes:
                receipt_hash = f"demo${rng.getrandbits(256):064x}"
            hashes.add(receipt_hash)
            reports.append(
                HotlineReport(
                    public_id=_public_id(rng),
                    reference=f"HL-2023-{n:05d}",
                    receipt_hash=receipt_hash,
                    category=category,
                    what_happened=HOTLINE_ACCOUNTS[category],
                    when_happened=rng.choice(["Last week", "Over the past year", "In January", "Ongoing"]),
                    where_happened=rng.choice(["South London", "Central London", "East London", "Online", ""]),
                    collar_number_given=officer.collar_number if officer and rng.random() < 0.5 else "",
                    anonymous=rng.random() < 0.7,
                    status=status,
                    received_at=received_at,
                    acknowledged_at=received_at + dt.timedelta(hours=rng.randint(2, 72))
                    if status != "received"
                    else None,
                    closed_reason="Not enough information to identify the officer." if status == "closed" else "",
                    officer=officer,
                    linked_at=received_at + dt.timedelta(days=rng.randint(3, 20)) if officer else None,
                )
            )
        self.bulk(HotlineReport, reports, "hotline reports")
        ReferenceCounter.objects.create(prefix="HL-2023", last_number=len(reports))


def demo_force_create(*, people: int, seed: int, log: Log) -> DemoFigures:
    """Build the whole demo force in one transaction: all of it or nothing."""
    with transaction.atomic():
        return _ForceBuilder(people=people, seed=seed, log=log).run()


# --- demo logins ------------------------------------------------------------------------------


def demo_logins_create(*, log: Log) -> list[str]:
    """One login per role, a second panel reviewer and a superuser, sharing DEMO_PASSWORD, with
    some work each. Only ever called with DEBUG on."""
    User = get_user_model()
    made = []
    with transaction.atomic():
        for role in Role:
            user = User.objects.create_user(username=f"demo-{role.value}", password=DEMO_PASSWORD)
            user.groups.add(Group.objects.get_or_create(name=role.label)[0])
            made.append(user)
        panel_2 = User.objects.create_user(username="demo-panel-2", password=DEMO_PASSWORD)
        panel_2.groups.add(Group.objects.get_or_create(name=Role.PANEL_REVIEWER.label)[0])
        made.append(panel_2)
        made.append(User.objects.create_superuser(username="demo-admin", password=DEMO_PASSWORD, email=""))
        by_name = {u.username: u for u in made}
        investigator = by_name[f"demo-{Role.INVESTIGATOR.value}"]
        open_cases = (
            Case.objects.exclude(status=CaseStatus.CLOSED)
            .filter(restricted=False)
            .order_by("reference")
            .values_list("id", flat=True)[:15]
        )
        Case.objects.filter(id__in=list(open_cases)).update(investigator=investigator)
        decided = (
            OnyxReview.objects.filter(status=OnyxStatus.DECIDED).order_by("reference").values_list("id", flat=True)
        )
        OnyxReview.objects.filter(id__in=list(decided[:10])).update(reviewer=investigator)
        pending = list(PanelAssignment.objects.filter(verdict="").order_by("id").values_list("id", flat=True))
        third = max(1, len(pending) // 3)
        PanelAssignment.objects.filter(id__in=pending[:third]).update(
            panel_member=by_name[f"demo-{Role.PANEL_REVIEWER.value}"]
        )
        PanelAssignment.objects.filter(id__in=pending[third : 2 * third]).update(panel_member=panel_2)
    log(f"Demo logins: {', '.join(u.username for u in made)}")
    return [u.username for u in made]


def _finding_and_outcome(rng, case, *, live: bool, may_dismiss: bool) -> tuple[str, str]:
    """A finding the case's forum can make, then an outcome that finding allows for this person (reg 42, as
    outcomes_allowed): never a written warning for gross misconduct; no written or final written warning with a
    final written warning in force on the severity date (42(8)); for misconduct, reduction in rank or dismissal
    only with that warning in force or several incidents (42(5), (6)); no reduction in rank for a constable or
    a member of staff; no dismissal where the demo keeps the person (restricted, suspended, already dismissed).
    With nothing left to give, the forum finds the matter not proven."""
    from .services.casework import _may_be_reduced_in_rank

    findings = OUTCOMES_BY_FORUM_AND_FINDING[case.route]
    weights = {
        ProceedingsFinding.NOT_PROVEN: 20,
        ProceedingsFinding.PRACTICE_REQUIRING_IMPROVEMENT: 10,
        ProceedingsFinding.MISCONDUCT: 50,
        ProceedingsFinding.GROSS_MISCONDUCT: 60,
    }
    finding = _pick(rng, [(f, weights[f]) for f in findings])
    outcomes = list(findings[finding])
    if live:
        outcomes = [o for o in outcomes if o not in (Outcome.WRITTEN_WARNING, Outcome.FINAL_WRITTEN_WARNING)]
    if case.route == Route.STAFF_HEARING:
        if finding == ProceedingsFinding.MISCONDUCT and not live:
            outcomes = [o for o in outcomes if o != Outcome.DISMISSAL_WITH_NOTICE]
    elif finding == ProceedingsFinding.MISCONDUCT and not (live or case.several_incidents):
        outcomes = [o for o in outcomes if o not in (Outcome.REDUCTION_IN_RANK, Outcome.DISMISSAL)]
    if not _may_be_reduced_in_rank(case.subject):
        outcomes = [o for o in outcomes if o != Outcome.REDUCTION_IN_RANK]
    if not may_dismiss:
        outcomes = [o for o in outcomes if o not in DISMISSALS]
    if not outcomes:
        return ProceedingsFinding.NOT_PROVEN, Outcome.NOT_PROVEN
    return finding, rng.choice(outcomes)


def _notified(case) -> None:
    from .services.casework import warning_last_day

    case.outcome_notified_on = case.outcome_on
    case.warning_ends_on = warning_last_day(outcome=case.outcome, notified_on=case.outcome_on)
