"""The demo logins (DEBUG only): one per role, a second panel reviewer and a superuser, sharing
DEMO_PASSWORD, each with work waiting, given through the services a supervisor would use."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from cases.models import Case, CaseStatus, OnyxReview, OnyxStatus, PanelAssignment
from cases.roles import Role
from cases.services import case_assign, panel_reviews_assign

from .figures import DEMO_PASSWORD
from .registry import DemoLogins, demo_login_part

INVESTIGATOR_CASES = 15
# Stages where the investigator has something to do on the case.
WORKABLE = [CaseStatus.INTAKE, CaseStatus.IOPC_REFERRAL, CaseStatus.SEVERITY_ASSESSMENT, CaseStatus.INVESTIGATION]


def login_name(role: Role) -> str:
    return f"demo-{role.value}"


@demo_login_part(order=10)
def logins(state: DemoLogins) -> None:
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: the same password for every demo login
    specs = [(login_name(role), role) for role in Role] + [("demo-panel-2", Role.PANEL_REVIEWER)]
    for username, role in specs:
        user = User.objects.create(username=username, password=password)
        user.groups.add(Group.objects.get_or_create(name=role.label)[0])
        state.users[username] = user
    # The admin asks for a second factor; demo logins skip it in demo mode only (cases.policy.second_factor_ok).
    admin = User.objects.create(username="demo-admin", password=password, is_staff=True, is_superuser=True)
    state.users[admin.username] = admin


@demo_login_part(order=20)
def investigator_cases(state: DemoLogins) -> None:
    """The investigator's open cases, assigned by the demo supervisor (so the edit grant and the case's
    investigator agree with My work)."""
    supervisor = state.users[login_name(Role.SUPERVISOR)]
    investigator = state.users[login_name(Role.INVESTIGATOR)]
    cases = Case.objects.filter(status__in=WORKABLE, restricted=False).select_related("subject").order_by("-opened_at")
    for case in cases[:INVESTIGATOR_CASES]:
        case_assign(case=case, investigator=investigator, by=supervisor)
    state.summary.append(f"  {investigator.username}: {min(INVESTIGATOR_CASES, cases.count())} open cases assigned")


@demo_login_part(order=30)
def panel_reviews(state: DemoLogins) -> None:
    """The decided Onyx reviews not yet with the panel go to the two demo panel reviewers, round-robin."""
    supervisor = state.users[login_name(Role.SUPERVISOR)]
    members = [state.users[login_name(Role.PANEL_REVIEWER)], state.users["demo-panel-2"]]
    waiting = OnyxReview.objects.filter(status=OnyxStatus.DECIDED).order_by("reference").values_list("id", flat=True)
    panel_reviews_assign(review_ids=list(waiting), panel_members=members, by=supervisor)
    for member in members:
        n = PanelAssignment.objects.filter(panel_member=member, verdict="").count()
        state.summary.append(f"  {member.username}: {n} reviews awaiting a verdict")
