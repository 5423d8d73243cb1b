import csv
import datetime as dt
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases.policy import staff_view
from cases.roles import Role, has_role, user_roles

from . import selectors, services
from .forms import (
    AllegationForm,
    AllocateForm,
    AssignForm,
    CaseActionForm,
    CaseNoteForm,
    ConflictForm,
    GrantForm,
    OnyxDecisionForm,
    PanelVerdictForm,
    ReviewProgrammeForm,
    SendToPanelForm,
    SuspensionReviewForm,
    SuspensionStartForm,
)
from .models import (
    OPEN_CASE_STATUSES,
    OUTCOMES_BY_FORUM_AND_FINDING,
    Allegation,
    AllegationCategory,
    AllegationSource,
    AllegationStatus,
    CaseStatus,
    EmploymentStatus,
    OnyxStatus,
    Outcome,
    PanelVerdict,
    ProceedingsFinding,
    Route,
    Severity,
)
from .permissions import CASE_READERS
from .timeline import officer_timeline

PAGE_SIZE = 50
CASE_SORTS = {
    "newest": "-opened_at",
    "oldest": "opened_at",
    "reference": "reference",
    "status": "status",
    "came_to_notice": "came_to_notice_on",
}
CASE_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER)
OFFICER_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.HOTLINE_TRIAGE)
REVIEW_ROLES = (Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER, Role.PANEL_REVIEWER)
AUDIT_ROLES = (Role.SUPERVISOR, Role.COMMISSIONER)


def _refusal_to_form(form, exc) -> None:
    """Show a service's refusal by the field it is about (or above the form)."""
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _filtered_cases(request):
    qs = selectors.case_list(user=request.user)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(
            Q(reference__iexact=q)
            | Q(subject__staff_number__iexact=q)
            | Q(subject__collar_number__iexact=q)
            | Q(subject__last_name__istartswith=q)
        )
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        qs = qs.filter(status=status)
    severity = request.GET.get("severity", "")
    if severity in Severity.values:
        qs = qs.filter(severity=severity)
    category = request.GET.get("category", "")
    if category in AllegationCategory.values:
        qs = qs.filter(Exists(Allegation.objects.filter(case=OuterRef("pk"), category=category)))
    command = request.GET.get("command", "").strip()[:16]
    if command:
        qs = qs.filter(subject__command__code__iexact=command)
    investigator = request.GET.get("investigator", "").strip()[:150]
    if investigator:
        qs = qs.filter(investigator__username=investigator)
    older = request.GET.get("older_than_days", "")
    if older.isdigit() and int(older) < 100_000:
        qs = qs.filter(came_to_notice_on__lte=timezone.localdate() - dt.timedelta(days=int(older)))
    sort = request.GET.get("sort", "")
    if sort in CASE_SORTS:
        qs = qs.order_by(CASE_SORTS[sort], "-id")
    return qs, q, status


@staff_view(*CASE_ROLES)
@require_GET
def case_list(request):
    qs, q, status = _filtered_cases(request)
    return render(
        request,
        "cases/case_list.html",
        {
            "page": _page(request, qs),
            "q": q,
            "status": status,
            "statuses": CaseStatus.choices,
            "severities": Severity.choices,
            "categories": AllegationCategory.choices,
            "sorts": [(k, k.replace("_", " ").lstrip("-")) for k in CASE_SORTS],
        },
    )


@staff_view(*CASE_ROLES)
@require_GET
def case_export(request):
    """CSV of the filtered list: the same selector as the page, so the same people are hidden."""
    qs, _, _ = _filtered_cases(request)
    rows = qs.values_list(
        "reference", "subject__staff_number", "subject__last_name", "status", "severity", "outcome", "opened_at"
    )
    header = ["reference", "staff_number", "subject_surname", "status", "severity", "outcome", "opened_at"]
    return _csv_response(rows.iterator(chunk_size=2000), "cases.csv", header)


@staff_view(*CASE_ROLES)
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
    may_act = services.may_work_on_case(request.user, case)
    submitted = action_form.data.get("action") if action_form is not None else None

    def form_for(name):
        # Each action's form has its own ids, so two actions asking for the same field label their own inputs.
        if name == submitted:
            action_form.auto_id = f"id_{name}_%s"
            return action_form
        return CaseActionForm(auto_id=f"id_{name}_%s")

    actions = []
    for name in services.actions_for(request.user, case) if may_act else []:
        form = form_for(name)
        _offer_only_what_is_allowed(form, name, case)
        actions.append(
            {
                "name": name,
                "label": services.case_actions(case)[name].label,
                "fields": [form[f] for f in CaseActionForm.FIELDS_BY_ACTION.get(name, []) if f in form.fields],
            }
        )
    return {
        "case": case,
        "allegations": selectors.case_allegations(user=request.user, case=case),
        "iopc_grounds": sorted(set(services.iopc_referral_grounds(case).values())),
        "events": case.events.select_related("actor").order_by("-at", "-id")[:100],
        "actions": actions,
        "action_form": action_form if submitted else None,  # for the error summary at the top
        "note_form": (note_form or CaseNoteForm()) if may_act else None,
        "assign_form": AssignForm() if Role.SUPERVISOR in user_roles(request.user) else None,
        "grant_form": GrantForm() if case.restricted and Role.SUPERVISOR in user_roles(request.user) else None,
    }


@staff_view(Role.INVESTIGATOR, Role.SUPERVISOR)
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


@staff_view(Role.INVESTIGATOR, Role.SUPERVISOR)
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
            _refusal_to_form(form, exc)
        else:
            messages.success(request, "Added to the investigation log.")
            return redirect("cases:case_detail", case_id=case.public_id)
    return render(request, "cases/case_detail.html", _case_context(request, case, note_form=form), status=400)


@staff_view(Role.SUPERVISOR)
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


@staff_view(Role.SUPERVISOR)
def conflicts(request):
    """Declared conflicts of interest: whoever is listed sees nothing about that officer."""
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        officer = (
            selectors.officer_list(user=request.user)
            .filter(staff_number__iexact=form.cleaned_data["staff_number"].strip())
            .first()
        )
        if officer is None:
            form.add_error("staff_number", "No officer you can see has that staff number.")
        else:
            try:
                services.conflict_declare(
                    user=form.cleaned_data["username"],
                    officer=officer,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except services.DomainError as exc:
                _refusal_to_form(form, exc)
            else:
                messages.success(request, "Conflict of interest recorded.")
                return redirect("cases:conflicts")
    declared = selectors.conflict_list(user=request.user)
    return render(
        request,
        "cases/conflicts.html",
        {"form": form, "page": _page(request, declared)},
        status=400 if form.errors else 200,
    )


@staff_view(Role.SUPERVISOR)
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


@staff_view(*CASE_ROLES)
@require_GET
def case_summary(request, case_id):
    """A printable summary of the case."""
    case = selectors.access_case(user=request.user, public_id=case_id)
    services.access_record_write(request=request, obj=case, object_type="case", label=case.reference)
    return render(request, "cases/case_summary.html", _case_context(request, case))


@staff_view(Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER)
@require_GET
def timeliness(request):
    due = selectors.cases_due_timeliness_report(user=request.user, today=timezone.localdate())
    return render(request, "cases/timeliness.html", {"page": _page(request, due)})


@staff_view(Role.INVESTIGATOR, Role.SUPERVISOR)
@require_POST
def timeliness_report(request, case_id):
    case = selectors.access_case(user=request.user, public_id=case_id)
    if not services.may_work_on_case(request.user, case):
        raise Http404
    try:
        services.case_timeliness_report_record(case=case, by=request.user, note=request.POST.get("note", "")[:10000])
    except services.DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Regulation 19 report recorded for {case.reference}.")
    return redirect("cases:timeliness")


@staff_view(Role.INVESTIGATOR, Role.SUPERVISOR)
@require_GET
def my_work(request):
    cases = selectors.case_list(user=request.user).filter(investigator=request.user, status__in=OPEN_CASE_STATUSES)
    reviews = selectors.onyx_review_list(user=request.user).filter(
        reviewer=request.user, status__in=[OnyxStatus.ALLOCATED, OnyxStatus.RETURNED]
    )
    # Suspension and restricted-duty reviews coming due (reg 11): supervisors only, by the selector.
    suspensions = selectors.suspensions_due_review(
        user=request.user, today=timezone.localdate(), within_days=services.REVIEW_DUE_SOON_DAYS
    )
    return render(
        request,
        "cases/my_work.html",
        {
            "cases": cases[:200],
            "reviews": reviews[:200],
            "suspensions_due": suspensions[:200],
            "show_suspensions": has_role(request.user, Role.SUPERVISOR),
        },
    )


def _csv_response(rows, filename, header):
    """Stream rows as a CSV download: constant memory however long the filtered list is.

    Every export goes through here, so the two rules of a safe CSV live here once:
    - a text cell that a spreadsheet would read as a formula (=, +, -, @, tab, carriage return first)
      is prefixed with a single quote (OWASP "CSV injection"), so it shows as the text it is;
    - a NUL character is dropped, so no cell can cut the file short in the reader.
    (A NUL in a filter, which once broke a download off after its 200 header, is refused before any
    view runs: misconduct/middleware.py.)
    """
    formula_starts = ("=", "+", "-", "@", "\t", "\r")

    def safe(value):
        if not isinstance(value, str):
            return value
        value = value.replace("\x00", "")
        return "'" + value if value.startswith(formula_starts) else value

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())

    def stream():
        yield writer.writerow([safe(cell) for cell in header])
        for row in rows:
            yield writer.writerow([safe(cell) for cell in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


LIST_COLUMNS = [
    "staff_number",
    "collar_number",
    "first_name",
    "last_name",
    "rank",
    "command__name",
    "status",
    "left_on",
]


@staff_view(Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER)
@require_GET
def barred_list_export(request):
    """College of Policing barred list: everyone dismissed."""
    rows = services.barred_list(selectors.officer_list(user=request.user)).values_list(*LIST_COLUMNS)
    return _csv_response(rows.iterator(chunk_size=2000), "barred-list.csv", LIST_COLUMNS)


@staff_view(Role.INVESTIGATOR, Role.SUPERVISOR, Role.COMMISSIONER)
@require_GET
def advisory_list_export(request):
    """College of Policing advisory list: left while under investigation."""
    rows = services.advisory_list(selectors.officer_list(user=request.user)).values_list(*LIST_COLUMNS)
    return _csv_response(rows.iterator(chunk_size=2000), "advisory-list.csv", LIST_COLUMNS)


def _filtered_allegations(request):
    qs = selectors.allegation_list(user=request.user)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(
            Q(subject__staff_number__iexact=q)
            | Q(subject__collar_number__iexact=q)
            | Q(subject__last_name__istartswith=q)
            | Q(case__reference__iexact=q)
        )
    for name, choices in (("category", AllegationCategory), ("source", AllegationSource), ("status", AllegationStatus)):
        value = request.GET.get(name, "")
        if value in choices.values:
            qs = qs.filter(**{name: value})
    for name, lookup in (("received_from", "received_on__gte"), ("received_to", "received_on__lte")):
        try:
            day = dt.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            continue
        qs = qs.filter(**{lookup: day})
    return qs.order_by("-received_on", "-id"), q


@staff_view(*CASE_ROLES)
@require_GET
def allegation_list(request):
    qs, q = _filtered_allegations(request)
    return render(
        request,
        "cases/allegation_list.html",
        {
            "page": _page(request, qs),
            "q": q,
            "categories": AllegationCategory.choices,
            "sources": AllegationSource.choices,
            "statuses": AllegationStatus.choices,
        },
    )


@staff_view(*CASE_ROLES)
@require_GET
def allegation_export(request):
    qs, _ = _filtered_allegations(request)
    header = [
        "received_on",
        "incident_on",
        "staff_number",
        "subject_surname",
        "category",
        "source",
        "status",
        "case_reference",
    ]
    rows = qs.values_list(
        "received_on",
        "incident_on",
        "subject__staff_number",
        "subject__last_name",
        "category",
        "source",
        "status",
        "case__reference",
    )
    return _csv_response(rows.iterator(chunk_size=2000), "allegations.csv", header)


@staff_view(*OFFICER_ROLES)
@require_GET
def officer_list(request):
    qs = selectors.officer_list(user=request.user)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(Q(staff_number__iexact=q) | Q(collar_number__iexact=q) | Q(last_name__istartswith=q))
    status = request.GET.get("status", "")
    if status in EmploymentStatus.values:
        qs = qs.filter(status=status)
    command = request.GET.get("command", "").strip()[:16]
    if command:
        qs = qs.filter(command__code__iexact=command)
    return render(
        request,
        "cases/officer_list.html",
        {"page": _page(request, qs), "q": q, "statuses": EmploymentStatus.choices},
    )


@staff_view(*OFFICER_ROLES)
@require_GET
def officer_detail(request, officer_id):
    officer = selectors.access_officer(user=request.user, public_id=officer_id)
    services.access_record_write(request=request, obj=officer, object_type="officer", label=officer.staff_number)
    return _officer_page(request, officer)


def _officer_page(request, officer, allegation_form=None, status=200, suspension_form=None, review_form=None):
    # The profile knows its subject: fetch only the columns the page shows, not joined rows.
    allegation_columns = ("public_id", "received_on", "category", "source", "status", "case_id")
    allegations_open = (
        selectors.officer_allegations(user=request.user, officer=officer)
        .filter(case__isnull=True)
        .select_related(None)
        .only(*allegation_columns)[:50]
    )
    cases = (
        selectors.officer_cases(user=request.user, officer=officer)
        .select_related(None)
        .only("public_id", "reference", "status", "opened_at")[:50]
    )
    allegations = (
        selectors.officer_allegations(user=request.user, officer=officer)
        .select_related(None)
        .only(*allegation_columns)[:50]
    )
    return render(
        request,
        "cases/officer_detail.html",
        {
            "officer": officer,
            "cases": cases,
            "allegations": allegations,
            "show_casework": bool(user_roles(request.user) & CASE_READERS),
            "allegation_form": allegation_form or AllegationForm(),
            "may_record": bool(user_roles(request.user) & {Role.INVESTIGATOR, Role.SUPERVISOR}),
            "open_allegations": allegations_open,
            "case_open_token": services.submission_token_new(),
            "timeline": officer_timeline(user=request.user, officer=officer),
            **_officer_suspension_context(request, officer, suspension_form, review_form),
        },
        status=status,
    )


def _officer_suspension_context(request, officer, suspension_form=None, review_form=None):
    """The officer-status part of the profile: open suspension / restricted-duty periods with their
    review due dates, past periods, and (for supervisors, the appropriate authority) the forms."""
    periods = list(selectors.officer_suspensions(user=request.user, officer=officer)[:50])
    may_decide = has_role(request.user, Role.SUPERVISOR)
    cases = selectors.officer_cases(user=request.user, officer=officer).filter(status__in=OPEN_CASE_STATUSES)
    return {
        "suspensions_open": [p for p in periods if p.ended_on is None],
        "suspensions_past": [p for p in periods if p.ended_on is not None],
        "may_suspend": may_decide,
        "suspension_form": (suspension_form or SuspensionStartForm(cases=cases)) if may_decide else None,
        "suspension_review_form": (review_form or SuspensionReviewForm()) if may_decide else None,
        "today": timezone.localdate(),
    }


@staff_view(Role.SUPERVISOR)
@require_POST
def officer_suspension_start(request, officer_id):
    """Suspend or restrict (reg 11): the appropriate authority only; everyone else gets 404."""
    officer = selectors.access_officer(user=request.user, public_id=officer_id)
    cases = selectors.officer_cases(user=request.user, officer=officer).filter(status__in=OPEN_CASE_STATUSES)
    form = SuspensionStartForm(request.POST, cases=cases)
    if not form.is_valid():
        return _officer_page(request, officer, suspension_form=form, status=400)
    try:
        period = services.suspension_start(officer=officer, by=request.user, **form.cleaned_data)
    except services.DomainError as exc:
        _refusal_to_form(form, exc)
        return _officer_page(request, officer, suspension_form=form, status=400)
    messages.success(request, f"{period.get_kind_display()} recorded; review due {period.next_review_due:%-d %B %Y}.")
    return redirect("cases:officer_detail", officer_id=officer.public_id)


@staff_view(Role.SUPERVISOR)
@require_POST
def officer_suspension_review(request, officer_id):
    """Review (continue or lift) an open period, named by the form: the appropriate authority only."""
    officer = selectors.access_officer(user=request.user, public_id=officer_id)
    period = _by_public_id_or_404(
        selectors.officer_suspensions(user=request.user, officer=officer), request.POST.get("period", "")
    )
    form = SuspensionReviewForm(request.POST)
    if not form.is_valid():
        return _officer_page(request, officer, review_form=form, status=400)
    try:
        period = services.suspension_review(suspension=period, by=request.user, **form.cleaned_data)
    except services.DomainError as exc:
        _refusal_to_form(form, exc)
        return _officer_page(request, officer, review_form=form, status=400)
    if period.ended_on:
        messages.success(request, f"{period.get_kind_display()} lifted.")
    else:
        messages.success(request, f"Review recorded; next review due {period.next_review_due:%-d %B %Y}.")
    return redirect("cases:officer_detail", officer_id=officer.public_id)


def _by_public_id_or_404(qs, public_id):
    try:
        public_id = UUID(str(public_id))
    except ValueError:
        raise Http404 from None
    obj = qs.filter(public_id=public_id).first()
    if obj is None:
        raise Http404
    return obj


@staff_view(Role.INVESTIGATOR, Role.SUPERVISOR)
@require_POST
def allegation_new(request, officer_id):
    officer = selectors.access_officer(user=request.user, public_id=officer_id)
    form = AllegationForm(request.POST)
    if not form.is_valid():
        return _officer_page(request, officer, allegation_form=form, status=400)
    try:
        services.allegation_record(subject=officer, by=request.user, **form.cleaned_data)
    except services.DomainError as exc:
        _refusal_to_form(form, exc)
        return _officer_page(request, officer, allegation_form=form, status=400)
    messages.success(request, "Allegation recorded.")
    return redirect("cases:officer_detail", officer_id=officer.public_id)


@staff_view(Role.INVESTIGATOR, Role.SUPERVISOR)
@require_POST
def case_new(request, officer_id):
    officer = selectors.access_officer(user=request.user, public_id=officer_id)
    chosen = []
    for raw in request.POST.getlist("allegation")[:500]:
        try:
            chosen.append(UUID(raw))
        except ValueError:
            continue
    allegations = list(selectors.officer_allegations(user=request.user, officer=officer).filter(public_id__in=chosen))
    try:
        case = services.case_open(
            subject=officer,
            allegations=allegations,
            by=request.user,
            restricted=request.POST.get("restricted") == "on",
            once_token=request.POST.get("once_token", "")[:64],
        )
    except services.DomainError as exc:
        messages.error(request, str(exc))
        return redirect("cases:officer_detail", officer_id=officer.public_id)
    messages.success(request, f"Case {case.reference} opened.")
    return redirect("cases:case_detail", case_id=case.public_id)


@staff_view(*REVIEW_ROLES)
@require_GET
def review_list(request):
    qs = selectors.onyx_review_list(user=request.user)
    status = request.GET.get("status", "")
    if status in OnyxStatus.values:
        qs = qs.filter(status=status)
    if request.GET.get("mine") == "1":
        qs = qs.filter(reviewer=request.user)
    is_supervisor = Role.SUPERVISOR in user_roles(request.user)
    return render(
        request,
        "cases/review_list.html",
        {
            "page": _page(request, qs),
            "status": status,
            "statuses": OnyxStatus.choices,
            "allocate_form": AllocateForm() if is_supervisor else None,
            "programme_form": ReviewProgrammeForm() if is_supervisor else None,
            "panel_form": SendToPanelForm() if is_supervisor else None,
        },
    )


def _review_context(request, review, decision_form=None, verdict_form=None):
    user = request.user
    pending = review.panel_assignments.filter(panel_member=user, verdict="").first()
    can_decide = review.reviewer_id == user.pk and review.status in (OnyxStatus.ALLOCATED, OnyxStatus.RETURNED)
    returned = review.panel_assignments.filter(verdict=PanelVerdict.DISAGREE).order_by("-round").first()
    return {
        "review": review,
        # Through the selectors: a past case may be need-to-know or about someone this reader is
        # conflicted on, though the review itself is visible to them.
        "past_cases": selectors.onyx_review_past_cases(user=user, review=review).only(
            "reference", "status", "opened_at"
        ),
        "past_allegations": selectors.onyx_review_past_allegations(user=user, review=review).only(
            "category", "received_on", "narrative"
        ),
        "assignments": review.panel_assignments.select_related("panel_member"),
        "actions": review.actions.all(),
        "events": review.events.select_related("actor"),
        "returned": returned if review.status == OnyxStatus.RETURNED else None,
        "decision_form": (decision_form or OnyxDecisionForm()) if can_decide else None,
        "may_complete_actions": review.reviewer_id == user.pk or has_role(user, Role.SUPERVISOR),
        "may_open_case": review.decision == "reassess"
        and review.status in (OnyxStatus.DECIDED, OnyxStatus.WITH_PANEL, OnyxStatus.CONCLUDED)
        and has_role(user, Role.INVESTIGATOR, Role.SUPERVISOR),
        "verdict_form": (verdict_form or PanelVerdictForm()) if pending else None,
    }


@staff_view(*REVIEW_ROLES)
@require_GET
def review_detail(request, review_id):
    review = selectors.access_onyx_review(user=request.user, public_id=review_id)
    services.access_record_write(request=request, obj=review, object_type="onyx_review", label=review.reference)
    return render(request, "cases/review_detail.html", _review_context(request, review))


@staff_view(Role.INVESTIGATOR, Role.SUPERVISOR)
@require_POST
def review_decide(request, review_id):
    review = selectors.access_onyx_review(user=request.user, public_id=review_id)
    form = OnyxDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.onyx_review_decide(
                review=review,
                decision=form.cleaned_data["decision"],
                rationale=form.cleaned_data["rationale"],
                actions=form.actions(),
                by=request.user,
            )
        except services.DomainError as exc:
            if exc.field not in form.fields:
                messages.error(request, str(exc))
                return redirect("cases:review_detail", review_id=review.public_id)
            _refusal_to_form(form, exc)
        else:
            messages.success(request, f"Decision recorded on {review.reference}.")
            return redirect("cases:review_detail", review_id=review.public_id)
    return render(request, "cases/review_detail.html", _review_context(request, review, decision_form=form), status=400)


@staff_view(Role.PANEL_REVIEWER)
@require_POST
def review_verdict(request, review_id):
    review = selectors.access_onyx_review(user=request.user, public_id=review_id)
    form = PanelVerdictForm(request.POST)
    assignment = review.panel_assignments.filter(panel_member=request.user).order_by("-round").first()
    if assignment is None:
        raise Http404
    if form.is_valid():
        try:
            services.panel_verdict_record(
                assignment=assignment,
                verdict=form.cleaned_data["verdict"],
                reasons=form.cleaned_data["reasons"],
                by=request.user,
            )
        except services.DomainError as exc:
            messages.error(request, str(exc))
            return redirect("cases:review_detail", review_id=review.public_id)
        messages.success(request, f"Your verdict on {review.reference} is recorded.")
        return redirect("cases:review_list")
    return render(request, "cases/review_detail.html", _review_context(request, review, verdict_form=form), status=400)


def _selected_reviews(request):
    ids = request.POST.getlist("review")[:5000]
    visible = selectors.onyx_review_list(user=request.user)
    valid = []
    for raw in ids:
        try:
            valid.append(UUID(raw))
        except ValueError:
            continue
    return list(visible.filter(public_id__in=valid).values_list("id", flat=True))


@staff_view(Role.SUPERVISOR)
@require_POST
def review_programme_new(request):
    """Start a review programme: one review per person with allegations in the categories and period."""
    form = ReviewProgrammeForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''} {' '.join(errors)}")
        return redirect("cases:review_list")
    try:
        batch = services.onyx_batch_create(by=request.user, **form.cleaned_data)
    except services.DomainError as exc:
        label = form.fields[exc.field].label if exc.field in form.fields else ""
        messages.error(request, f"{label}: {exc}" if label else str(exc))
        return redirect("cases:review_list")
    messages.success(request, f"“{batch.name}”: {batch.reviews.count()} review(s) queued.")
    return redirect("cases:review_list")


@staff_view(Role.INVESTIGATOR, Role.SUPERVISOR)
@require_POST
def review_action_done(request, review_id):
    review = selectors.access_onyx_review(user=request.user, public_id=review_id)
    raw = request.POST.get("action", "")
    action = review.actions.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 18 else None
    try:
        if action is None:
            raise services.DomainError("No such action on this review.")
        services.onyx_action_complete(action_id=action.pk, by=request.user)
    except services.DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Marked done.")
    return redirect("cases:review_detail", review_id=review.public_id)


@staff_view(Role.INVESTIGATOR, Role.SUPERVISOR)
@require_POST
def review_case_open(request, review_id):
    review = selectors.access_onyx_review(user=request.user, public_id=review_id)
    try:
        case = services.onyx_review_case_open(review=review, by=request.user)
    except services.DomainError as exc:
        messages.error(request, str(exc))
        return redirect("cases:review_detail", review_id=review.public_id)
    messages.success(request, f"Case {case.reference} opened from {review.reference}.")
    return redirect("cases:case_detail", case_id=case.public_id)


@staff_view(Role.SUPERVISOR)
@require_POST
def reviews_allocate(request):
    form = AllocateForm(request.POST)
    review_ids = _selected_reviews(request)
    if not form.is_valid() or not review_ids:
        messages.error(request, "Select at least one review and a reviewer.")
        return redirect("cases:review_list")
    try:
        count = services.onyx_reviews_allocate(
            review_ids=review_ids, reviewer=form.cleaned_data["reviewer"], by=request.user
        )
    except services.DomainError as exc:
        messages.error(request, str(exc))
        return redirect("cases:review_list")
    messages.success(request, f"{count} review(s) allocated.")
    return redirect("cases:review_list")


@staff_view(Role.SUPERVISOR)
@require_POST
def reviews_send_to_panel(request):
    form = SendToPanelForm(request.POST)
    review_ids = _selected_reviews(request)
    if not form.is_valid() or not review_ids:
        messages.error(request, "Select at least one decided review and one panel member.")
        return redirect("cases:review_list")
    try:
        created = services.panel_reviews_assign(
            review_ids=review_ids, panel_members=list(form.cleaned_data["panel_members"]), by=request.user
        )
    except services.DomainError as exc:
        messages.error(request, str(exc))
        return redirect("cases:review_list")
    messages.success(request, f"{len(created)} review(s) sent to the panel.")
    return redirect("cases:review_list")


@staff_view(*AUDIT_ROLES)
@require_GET
def audit_case(request, case_id):
    case = selectors.access_case(user=request.user, public_id=case_id)
    records = selectors.access_records(user=request.user, object_type="case", object_id=case.pk)
    return render(
        request, "cases/audit.html", {"title": f"Who looked at {case.reference}", "page": _page(request, records)}
    )


@staff_view(*AUDIT_ROLES)
@require_GET
def audit_officer(request, officer_id):
    officer = selectors.access_officer(user=request.user, public_id=officer_id)
    records = selectors.access_records(user=request.user, object_type="officer", object_id=officer.pk)
    return render(
        request, "cases/audit.html", {"title": f"Who looked at {officer.staff_number}", "page": _page(request, records)}
    )


@staff_view(*AUDIT_ROLES)
@require_GET
def audit_reader(request):
    username = request.GET.get("user", "").strip()[:150]
    records = selectors.access_records(user=request.user).filter(user__username=username) if username else None
    return render(
        request,
        "cases/audit.html",
        {
            "title": f"What {username} looked at" if username else "Access audit",
            "username": username,
            "page": _page(request, records) if records is not None else None,
        },
    )
