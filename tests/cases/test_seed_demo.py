"""seed_demo: the demo force keeps the Met's published proportions, a seed always gives the same
data, and demo logins never exist in production mode.

Expected figures are worked out here from the published figures (DOMAIN.md) and the scale, with
this file's own arithmetic, not read back from the code under test."""

import hashlib
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, F

from cases import models as cm
from cases.roles import Role
from hotline import models as hm
from vetting import models as vm

MET_PEOPLE = 50_000
SMALL_PEOPLE = 2_000
TINY_PEOPLE = 500

pytestmark = pytest.mark.django_db


def share(figure: int, people: int) -> int:
    """figure * people / 50,000, rounded half up, in integers."""
    return (2 * figure * people + MET_PEOPLE) // (2 * MET_PEOPLE)


def largest_remainder(total: int, weights: list[int]) -> list[int]:
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    remainders = [total * w % whole for w in weights]
    left = total - sum(parts)
    for i in sorted(range(len(weights)), key=lambda i: -remainders[i])[:left]:
        parts[i] += 1
    return parts


def seed(*args, settings=None, debug=True):
    if settings is not None:
        settings.DEBUG = debug
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def digest() -> str:
    """A fingerprint of the data a seed decides: people, allegations, cases, reviews, reports."""
    h = hashlib.sha256()
    rows = [
        cm.Officer.objects.order_by("staff_number").values_list(
            "staff_number",
            "public_id",
            "first_name",
            "last_name",
            "kind",
            "rank",
            "status",
            "command__code",
            "ethnicity",
            "sex",
            "joined_on",
            "left_on",
        ),
        cm.Allegation.objects.order_by("public_id").values_list(
            "public_id",
            "subject__staff_number",
            "category",
            "source",
            "received_on",
            "incident_on",
            "status",
            "case__reference",
        ),
        cm.Case.objects.order_by("reference").values_list(
            "reference",
            "public_id",
            "subject__staff_number",
            "status",
            "severity",
            "route",
            "outcome",
            "restricted",
            "opened_at",
            "closed_at",
        ),
        cm.OnyxReview.objects.order_by("reference").values_list(
            "reference", "subject__staff_number", "decision", "status", "decided_at"
        ),
        cm.Conviction.objects.order_by("officer__staff_number").values_list(
            "officer__staff_number", "category", "convicted_on", "while_serving"
        ),
        vm.PNDCheck.objects.order_by("officer__staff_number").values_list("officer__staff_number", "result"),
        hm.HotlineReport.objects.order_by("reference").values_list("reference", "receipt_hash", "category", "status"),
    ]
    for queryset in rows:
        for row in queryset:
            h.update(repr(row).encode())
    return h.hexdigest()


def test_small_scale_keeps_the_published_proportions(settings):
    seed("--scale", "small", "--seed", "11", settings=settings)
    people = SMALL_PEOPLE

    assert cm.Officer.objects.count() == people
    officers = cm.Officer.objects.filter(kind=cm.PersonKind.OFFICER)
    assert officers.count() * MET_PEOPLE == 34_000 * people  # 68% officers, exactly at this scale
    assert not cm.Officer.objects.filter(kind=cm.PersonKind.STAFF, collar_number__isnull=False).exists()

    restricted = cm.Officer.objects.filter(status=cm.EmploymentStatus.RESTRICTED)
    assert restricted.count() == share(701, people)
    assert not restricted.exclude(kind=cm.PersonKind.OFFICER).exists()

    onyx_total = share(246 + 689 + 196, people)
    decisions = dict(cm.OnyxReview.objects.values_list("decision").annotate(n=Count("id")))
    expected = largest_remainder(onyx_total, [246, 689, 196])
    assert [decisions.get(d, 0) for d in ("nfa", "reassess", "risk_management")] == expected
    assert sum(expected) == onyx_total
    assert cm.OnyxReview.objects.values("subject").distinct().count() == onyx_total  # one per person

    pnd = dict(vm.PNDCheck.objects.values_list("result").annotate(n=Count("id")))
    pnd_total = share(10_000, people)
    misconduct, association, no_trace = largest_remainder(pnd_total, [38, 55, 10_000 - 38 - 55])
    assert vm.PNDCheck.objects.count() == pnd_total
    assert pnd.get("potential_misconduct", 0) == misconduct
    assert pnd.get("criminal_association", 0) == association

    convictions = cm.Conviction.objects
    traffic, dv_other, dv_serving, sexual, rest = largest_remainder(share(161, people), [76, 41, 8, 3, 33])
    assert convictions.count() == share(161, people)
    assert convictions.filter(category="serious_traffic").count() == traffic
    dishonesty_or_violence = convictions.filter(category__in=["dishonesty", "violence"])
    assert dishonesty_or_violence.count() == dv_other + dv_serving
    assert dishonesty_or_violence.filter(while_serving=True).count() == dv_serving
    assert convictions.filter(while_serving=True).count() == dv_serving
    assert convictions.filter(category="sexual").count() == sexual
    assert convictions.filter(category__in=["drugs", "criminal_damage", "public_order"]).count() == rest
    assert convictions.values("officer").distinct().count() == convictions.count()  # 161 officers
    # Each with the review policy's recommendation; no offence while serving committed under 18.
    assert not convictions.filter(as_minor=True, while_serving=True).exists()
    assert not convictions.filter(policy_action="").exists()

    assert hm.HotlineReport.objects.count() == share(350, people)


def test_small_scale_allegations_and_cases_have_the_met_shape(settings):
    seed("--scale", "small", "--seed", "11", settings=settings)
    allegations = cm.Allegation.objects.count()
    cases = cm.Case.objects.count()
    assert allegations == share(500_000, SMALL_PEOPLE)
    assert 3 * cases <= allegations <= 5 * cases  # about one case per three to five allegations
    assert not cm.Allegation.objects.filter(case__isnull=True).exists()
    assert not cm.Allegation.objects.exclude(subject=F("case__subject")).exists()  # a case is about one subject
    assert cm.Case.objects.values("status").distinct().count() >= 6
    assert cm.Case.objects.filter(restricted=True).exists()
    # Every person covered by the Onyx programme, and nobody else, has a sexual-offence or
    # domestic-abuse allegation in the programme's period: as onyx_batch_create would select them.
    batch = cm.ReviewBatch.objects.get()
    in_scope = cm.Allegation.objects.filter(
        category__in=batch.categories, received_on__range=(batch.period_start, batch.period_end)
    )
    assert set(in_scope.values_list("subject", flat=True)) == set(
        cm.OnyxReview.objects.values_list("subject", flat=True)
    )
    # Later real references continue each sequence.
    for counter in cm.ReferenceCounter.objects.filter(prefix__startswith="DPS-"):
        numbers = [
            int(r.rsplit("-", 1)[1])
            for r in cm.Case.objects.filter(reference__startswith=counter.prefix + "-").values_list(
                "reference", flat=True
            )
        ]
        assert counter.last_number == max(numbers) == len(numbers)
    assert cm.ReferenceCounter.objects.get(prefix="ONYX").last_number == cm.OnyxReview.objects.count()


def test_same_seed_gives_identical_data(settings):
    seed("--scale", "tiny", "--seed", "5", settings=settings)
    first = digest()
    seed("--scale", "tiny", "--seed", "5", "--reset", settings=settings)
    assert digest() == first


def test_different_seeds_give_different_data(settings):
    seed("--scale", "tiny", "--seed", "5", settings=settings)
    first = digest()
    first_names = set(cm.Officer.objects.values_list("staff_number", flat=True))
    seed("--scale", "tiny", "--seed", "6", "--reset", settings=settings)
    assert digest() != first
    assert set(cm.Officer.objects.values_list("staff_number", flat=True)) != first_names


def test_existing_demo_data_is_left_alone_without_reset(settings):
    seed("--scale", "tiny", "--seed", "5", settings=settings)
    before = digest()
    output = seed("--scale", "tiny", "--seed", "9", settings=settings)
    assert "already there" in output
    assert digest() == before


def test_production_mode_refuses_demo_logins(settings):
    output = seed("--scale", "tiny", settings=settings, debug=False)
    assert "no demo logins" in output
    users = get_user_model().objects.all()
    assert not users.filter(username__startswith="demo-").exists()
    assert users.exists()  # the data's DPS staff exist...
    assert not any(u.has_usable_password() for u in users)  # ...but none of them can sign in


def test_debug_mode_creates_one_demo_login_per_role_with_work_to_do(settings):
    output = seed("--scale", "tiny", settings=settings, debug=True)
    User = get_user_model()
    for role in Role:
        user = User.objects.get(username=f"demo-{role.value}")
        assert user.groups.filter(name=role.label).exists()
        assert user.has_usable_password()
        assert user.username in output
    assert User.objects.get(username="demo-admin").is_superuser
    assert User.objects.get(username="demo-panel-2").groups.filter(name=Role.PANEL_REVIEWER.label).exists()
    assert cm.Case.objects.filter(investigator__username="demo-dps_investigator").exists()
    assert cm.PanelAssignment.objects.filter(panel_member__username="demo-panel_reviewer").exists()
    assert cm.PanelAssignment.objects.filter(panel_member__username="demo-panel-2").exists()


def test_small_demo_obeys_the_conduct_rules(settings):
    """The demo's outcomes, forums, ranks and findings pass check_conduct_rules (the CI run on `small`), and
    the demo exercises the rules rather than avoiding them."""
    seed("--scale", "small", "--seed", "11", settings=settings)
    out = io.StringIO()
    call_command("check_conduct_rules", stdout=out)  # raises CommandError if any rule is broken
    assert " 0 broken." in out.getvalue()

    cases = cm.Case.objects
    dismissals = cases.filter(outcome__in=cm.DISMISSALS)
    assert dismissals.exists()
    # Police staff go through their own procedure, and some end in dismissal with notice.
    assert cases.filter(route=cm.Route.STAFF_HEARING).exists()
    assert not cases.filter(subject__kind=cm.PersonKind.STAFF).exclude(route__in=["", cm.Route.STAFF_HEARING]).exists()
    dismissed = cm.Officer.objects.filter(status=cm.EmploymentStatus.DISMISSED)
    assert set(dismissed.values_list("pk", flat=True)) == set(dismissals.values_list("subject", flat=True))
    # Misconduct at a hearing, with cause: a final written warning earlier, or several incidents.
    assert cases.filter(severity=cm.Severity.MISCONDUCT, route=cm.Route.MISCONDUCT_HEARING).exists()
    assert cases.filter(
        proceedings_finding=cm.ProceedingsFinding.MISCONDUCT,
        outcome__in=[cm.Outcome.REDUCTION_IN_RANK, cm.Outcome.DISMISSAL],
    ).exists()
    assert cases.filter(outcome=cm.Outcome.FINAL_WRITTEN_WARNING).exists()
    mandatory = cm.Allegation.objects.filter(category__in=cm.IOPC_MANDATORY_CATEGORIES).exclude(
        case__status__in=[cm.CaseStatus.INTAKE, cm.CaseStatus.IOPC_REFERRAL]
    )
    assert mandatory.exists()
    assert not mandatory.exclude(case__iopc_referral=cm.IopcReferral.REFERRED).exists()
    # No dismissal while the person stays serving, and the leavers (dismissals included) near the Met's 1,500.
    assert not dismissals.exclude(subject__status=cm.EmploymentStatus.DISMISSED).exists()
    leavers = cm.Officer.objects.filter(left_on__isnull=False).count()
    assert abs(leavers - share(1_500, SMALL_PEOPLE)) <= share(1_500, SMALL_PEOPLE) // 10
    # Some allegations came from hotline reports and from PND hits.
    from_hotline = cm.Allegation.objects.filter(source=cm.AllegationSource.HOTLINE)
    assert from_hotline.exists()
    assert set(from_hotline.values_list("pk", flat=True)) == set(
        hm.HotlineReport.objects.filter(allegation__isnull=False).values_list("allegation", flat=True)
    )
    from_pnd = cm.Allegation.objects.filter(source=cm.AllegationSource.PND_CHECK)
    assert from_pnd.exists()
    hits = vm.PNDCheck.objects.filter(result="potential_misconduct")
    assert set(from_pnd.values_list("subject", flat=True)) <= set(hits.values_list("officer", flat=True))
    # Most public complaints do not become misconduct cases; a share is closed at the severity assessment.
    complaints = cm.Allegation.objects.filter(source=cm.AllegationSource.PUBLIC_COMPLAINT)
    to_proceedings = complaints.filter(case__finding=cm.Finding.CASE_TO_ANSWER).count()
    at_assessment = complaints.filter(case__outcome=cm.Outcome.REFLECTIVE_PRACTICE).count()
    assert 2 * to_proceedings < complaints.count()
    assert at_assessment > complaints.count() // 5


def test_each_app_registers_its_own_demo_parts():
    """cases.demo runs the parts the apps register; cases itself writes none of the upper apps' rows."""
    from cases.demo.registry import login_notes, registered_login_parts, registered_parts

    parts = registered_parts()
    by_app = {p.app_label for p in parts}
    assert {"cases", "vetting", "hotline"} <= by_app
    assert [p.order for p in parts] == sorted(p.order for p in parts)
    first_upper = min(p.order for p in parts if p.app_label != "cases")
    assert all(p.order < first_upper for p in parts if p.app_label == "cases")  # the ground floor first
    # The demo vetting officer's work is vetting's own login part (vetting/demo.py), like its data parts.
    assert {p.app_label for p in registered_login_parts()} == {"cases", "vetting"}
    assert login_notes([]) == []
