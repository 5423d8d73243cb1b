"""Who may do what in cases, in one place. Roles say what kind of work someone does; the rules
below say which rows they may see. Selectors apply them so every page, list, search, export and
API endpoint inherits them; views declare the role sets below (never their own), and pages ask the
predicates at the end what to offer, so a template never tests a role name."""

from django.db.models import Q

from cases.roles import Role, has_role, user_roles

# Roles that read the case register: the DPS, the commissioner, and oversight bodies through the API
# (with personal data minimised). The case pages are for the first three (CASE_PAGE_ROLES).
CASE_READERS = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.OVERSIGHT}
CASE_PAGE_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER)
# DPS staff who do the casework: record allegations, open cases, act on those they may work on.
CASE_WORKERS = (Role.INVESTIGATOR, Role.SUPERVISOR)
# The officer register: the case page roles and the hotline triage team (to link a report).
OFFICER_READERS = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.HOTLINE_TRIAGE}
# The officer register in the API: DPS staff and the commissioner, not oversight bodies.
OFFICER_API_ROLES = CASE_PAGE_ROLES
# Onyx reviews: every review for these roles; the external panel sees the reviews assigned to it.
REVIEW_READERS = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.OVERSIGHT}
REVIEW_PAGE_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.PANEL_REVIEWER)
REVIEW_API_ROLES = (*sorted(REVIEW_READERS), Role.PANEL_REVIEWER)
# The external panel, who give verdicts on the reviews assigned to them.
PANEL_MEMBERS = (Role.PANEL_REVIEWER,)
# Holders of any of these see the staff shape of the API; oversight alone sees the minimised one.
DPS_STAFF = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.PANEL_REVIEWER}
# Who looked at what (the access audit), and the early-intervention risk flags.
AUDIT_READERS = {Role.SUPERVISOR, Role.COMMISSIONER}
RISK_READERS = (Role.SUPERVISOR, Role.COMMISSIONER)
# The appropriate authority's delegate (Police (Conduct) Regulations 2020, reg 2(1), 2(3)-(4)): a DPS
# supervisor assigns, grants need-to-know access, declares conflicts, suspends (reg 11), tunes risk rules.
SUPERVISORS = (Role.SUPERVISOR,)
# Roles that see need-to-know (restricted) cases without a grant on the case.
SEES_ALL_RESTRICTED = {Role.COMMISSIONER}


def subject_conflict_q(user, field: str = "subject") -> Q:
    """Rows whose subject is the user themselves, or an officer they are declared conflicted on."""
    return Q(**{f"{field}__user": user}) | Q(**{f"{field}__conflicts__user": user})


def roles_of(user) -> frozenset[str]:
    return user_roles(user)


def is_supervisor(user) -> bool:
    """Acts for the appropriate authority: the services refuse the supervisor-only writes to anyone else."""
    return has_role(user, *SUPERVISORS)


def may_read_audit(user) -> bool:
    return has_role(user, *AUDIT_READERS)


def may_read_risk(user) -> bool:
    return has_role(user, *RISK_READERS)


def may_do_casework(user) -> bool:
    return has_role(user, *CASE_WORKERS)


def may_read_casework(user) -> bool:
    return has_role(user, *CASE_READERS)


def is_oversight_only(user) -> bool:
    """Oversight bodies get the minimised serializers (and filters) unless they also hold a DPS role."""
    roles = user_roles(user)
    return Role.OVERSIGHT in roles and not roles & DPS_STAFF


def sees_only_assigned_reviews(user) -> bool:
    """A panel member with no review-reading role sees the reviews assigned to them (selectors.onyx_review_list)."""
    roles = user_roles(user)
    return Role.PANEL_REVIEWER in roles and not roles & REVIEW_READERS
