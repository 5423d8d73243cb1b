"""Who may do what in cases, in one place. Roles say what kind of work someone does; the rules
below say which rows they may see. Selectors apply them so every page, list, search, export and
API endpoint inherits them."""

from django.db.models import Q

from cases.roles import Role, user_roles

# Roles that work with the officer register and the case register.
CASE_READERS = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.OVERSIGHT}
OFFICER_READERS = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.HOTLINE_TRIAGE}
REVIEW_READERS = {Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.OVERSIGHT}
AUDIT_READERS = {Role.SUPERVISOR, Role.COMMISSIONER}
# Roles that see need-to-know (restricted) cases without a grant on the case.
SEES_ALL_RESTRICTED = {Role.COMMISSIONER}


def subject_conflict_q(user, field: str = "subject") -> Q:
    """Rows whose subject is the user themselves, or an officer they are declared conflicted on."""
    return Q(**{f"{field}__user": user}) | Q(**{f"{field}__conflicts__user": user})


def roles_of(user) -> frozenset[str]:
    return user_roles(user)
