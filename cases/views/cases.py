"""The case register and one case's page: its facts, the actions the user may take now, the log,
assignment and need-to-know grants."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cases.documents.selectors import owner_documents_section
from cases.policy import staff_view

from .. import selectors, services
from ..filters import CASE_SORTS, CaseFilter, list_filter
from ..forms import AssignForm, CaseActionForm, CaseNoteForm, GrantForm
from ..models import (
    OUTCOMES_BY_FORUM_AND_FINDING,
    AllegationCategory,
    CaseStatus,
    Outcome,
    ProceedingsFinding,
    Route,
    Severity,
)
from ..permissions import CASE_PAGE_ROLES, CASE_WORKERS, SUPERVISORS, is_supervisor, may_read_audit
from ..rows import rows_only
from ..templatetags.list_rows import CASE_ROW_FIELDS
from .base import page_of, refusal_to_form


@staff_view(*CASE_PAGE_ROLES)
@require_GET
def case_list(request):
    filters = list_filter(CaseFilter, request, selectors.case_list(user=request.user))
    return render(
        request,
        "cases/case_list.html",
        {
            "filters": filters,
            "page": page_of(request, rows_only(filters.qs, CASE_ROW_FIELDS)),
            "q": request.GET.get("q", ""),
            "status": request.GET.get("status", ""),
            "statuses": CaseStatus.choices,
            "severities": Severity.choices,
            "categories": AllegationCategory.choices,
            "sorts": [(k, k.replace("_", " ")) for k in CASE_SORTS],
        },
        status=filters.http_status,
    )


@staff_view(*CASE_PAGE_ROLES)
@require_GET
def case_detail(request, case_id):
    case = selectors.access_case(user=request.user, public_id=case_id)
    services.access_record_write(request=request, obj=case, object_type="case", label=case.reference)
    return render(request, "cases/case_detail.html", _case_context(request, case))


def _offer_only_what_is_allowed(form, action, case):
    """Each action's choices are the ones the service would accept for this case now (the service still
    checks): the forums the case may go to, the findings its forum makes, the outcomes those findings allow."""
    if action == "choose_route":
        form.fields["route"].choices = [("", "Choose…"), *((r, Route(r).label) for r in services.routes_allowed(case))]
    elif action == "record_outcome":
        findings = list(OUTCOMES_BY_FORUM_AND_FINDING.get(case.route, {}))
        form.fields["finding"].choices = [("", "Choose…"), *((f, ProceedingsFinding(f).label) for f in findings)]
        form.fields["outcome"].choices = [
            ("", "Choose…"),
            *(
                (
                    f"On a finding of {ProceedingsFinding(f).label.lower()}",
                    [(o, Outcome(o).label) for o in services.outcomes_allowed(case, f)],
                )
                for f in findings
            ),
        ]
        if case.route == Route.MISCONDUCT_MEETING:
            for name in ("panel_members", "legal_adviser"):
                form.fields.pop(name, None)
    elif action == "decide_appeal":
        form.fields["outcome"].label = "Outcome substituted (if the appeal is allowed in part)"


def _case_context(request, case, action_form=None, note_form=None):
    user = request.user
    may_act = services.may_work_on_case(user, case)
    submitted = action_form.data.get("action") if action_form is not None else None

    def form_for(name):
        # Each action's form has its own ids, so two actions asking for the same field label their own inputs.
        if name == submitted:
            action_form.auto_id = f"id_{name}_%s"
            return action_form
        return CaseActionForm(auto_id=f"id_{name}_%s")

    actions = []
    for name in services.actions_for(user, case) if may_act else []:
        form = form_for(name)
        _offer_only_what_is_allowed(form, name, case)
        actions.append(
            {
                "name": name,
                "label": services.case_actions(case)[name].label,
                "fields": [form[f] for f in CaseActionForm.FIELDS_BY_ACTION.get(name, []) if f in form.fields],
            }
        )
    # Assigning and need-to-know grants are the appropriate authority's (services.case_assign,
    # services.case_access_grant, which refuse anyone else); a grant only on a restricted case.
    may_assign = is_supervisor(user)
    return {
        "case": case,
        "allegations": selectors.case_allegations(user=user, case=case),
        "iopc_grounds": sorted(set(services.iopc_referral_grounds(case).values())),
        "events": case.events.select_related("actor").order_by("-at", "-id")[:100],
        "actions": actions,
        "action_form": action_form if submitted else None,  # for the error summary at the top
        "note_form": (note_form or CaseNoteForm()) if may_act else None,
        "assign_form": AssignForm() if may_assign else None,
        "grant_form": GrantForm() if case.restricted and may_assign else None,
        "may_audit": may_read_audit(user),
        **owner_documents_section(user=user, owner_kind="case", owner=case, may_upload=may_act),
    }


@staff_view(*CASE_WORKERS)
@require_POST
def case_act(request, case_id):
    case = selectors.access_case(user=request.user, public_id=case_id)
    if request.POST.get("action") in services.APPROPRIATE_AUTHORITY_ACTIONS and not (
        services.may_decide_for_the_appropriate_authority(request.user, case)
    ):
        raise PermissionDenied("That decision is the appropriate authority's.")
    form = CaseActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Check the form and try again.")
        return render(request, "cases/case_detail.html", _case_context(request, case, form), status=400)
    try:
        case = services.case_transition(
            case=case, action=form.cleaned_data["action"], by=request.user, **form.service_data()
        )
    except services.DomainError as exc:
        messages.error(request, str(exc))
        return render(request, "cases/case_detail.html", _case_context(request, case, form), status=400)
    messages.success(request, f"{case.reference}: {case.get_status_display()}.")
    return redirect("cases:case_detail", case_id=case.public_id)


@staff_view(*CASE_WORKERS)
@require_POST
def case_note(request, case_id):
    case = selectors.access_case(user=request.user, public_id=case_id)
    if not services.may_work_on_case(request.user, case):
        raise PermissionDenied("Only the assigned investigator or a DPS supervisor adds to the log.")
    form = CaseNoteForm(request.POST)
    if form.is_valid():
        try:
            services.case_note_add(case=case, by=request.user, **form.cleaned_data)
        except services.DomainError as exc:
            refusal_to_form(form, exc)
        else:
            messages.success(request, "Added to the investigation log.")
            return redirect("cases:case_detail", case_id=case.public_id)
    return render(request, "cases/case_detail.html", _case_context(request, case, note_form=form), status=400)


@staff_view(*SUPERVISORS)
@require_POST
def case_grant(request, case_id):
    """Give one more person need-to-know access to a restricted case."""
    case = selectors.access_case(user=request.user, public_id=case_id)
    form = GrantForm(request.POST)
    if form.is_valid():
        grantee = form.cleaned_data["username"]
        try:  # the rules (restricted case, roles, conflicts) are the service's
            services.case_access_grant(case=case, user=grantee, by=request.user)
        except services.DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{grantee.username} can now see {case.reference}.")
    else:
        messages.error(request, " ".join(form.errors.get("username", ["Check the username."])))
    return redirect("cases:case_detail", case_id=case.public_id)


@staff_view(*SUPERVISORS)
@require_POST
def case_assign(request, case_id):
    case = selectors.access_case(user=request.user, public_id=case_id)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.case_assign(case=case, investigator=form.cleaned_data["investigator"], by=request.user)
        except services.DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"{case.reference} assigned to {form.cleaned_data['investigator'].get_full_name()}."
            )
    else:
        messages.error(request, "Choose an investigator.")
    return redirect("cases:case_detail", case_id=case.public_id)


@staff_view(*CASE_PAGE_ROLES)
@require_GET
def case_summary(request, case_id):
    """A printable summary of the case."""
    case = selectors.access_case(user=request.user, public_id=case_id)
    services.access_record_write(request=request, obj=case, object_type="case", label=case.reference)
    return render(request, "cases/case_summary.html", _case_context(request, case))
