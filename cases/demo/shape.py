"""The shape of the demo force: commands, rank pyramids, the ethnicity and sex mix, and what its allegations
are about. Every weight is from the Met's published figures (DOMAIN.md) or Casey (2023)."""

from cases.models import AllegationCategory, AllegationSource, CaseStatus, Ethnicity, PersonKind, Rank, Sex

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

OPEN_STAGES_AFTER_INVESTIGATION = [CaseStatus.CASE_TO_ANSWER, CaseStatus.PROCEEDINGS, CaseStatus.OUTCOME]
