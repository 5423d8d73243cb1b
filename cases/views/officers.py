"""The officer register and one person's profile: their history, allegations and cases, suspension and
restricted duties (reg 11), and the forms that open casework about them."""

from uuid import UUID

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases.policy import staff_view

from .. import selectors, services
from ..filters import OfficerFilter, list_filter
from ..forms import AllegationForm, SuspensionReviewForm, SuspensionStartForm
from ..models import OPEN_CASE_STATUSES, AllegationCategory, AllegationSource, CaseStatus, EmploymentStatus
from ..permissions import (
    CASE_WORKERS,
    OFFICER_READERS,
    SUPERVISORS,
    is_supervisor,
    may_do_casework,
    may_read_audit,
    may_read_casework,
    may_read_risk,
)
from ..timeline import (
    PROFILE_ENTRIES,
    casework_allegation_rows,
    casework_case_rows,
    officer_timeline,
    officer_timeline_page,
)
from .base import by_public_id_or_404, page_of, refusal_to_form
from .fragments import form_fields

# The profile lists the newest few cases and allegations; the case and allegation lists, filtered by
# the officer's staff number, show the rest. The checkboxes that open a case keep up to 50.
PROFILE_LIST_ROWS = 10


@staff_view(*sorted(OFFICER_READERS))
@require_GET
def officer_list(request):
    filters = list_filter(OfficerFilter, request, selectors.officer_list(user=request.user))
    return render(
        request,
        "cases/officer_list.html",
        {
            "filters": filters,
            "page": page_of(request, filters.qs),
            "q": request.GET.get("q", ""),
            "statuses": EmploymentStatus.choices,
        },
        status=filters.http_status,
    )


@staff_view(*sorted(OFFICER_READERS))
@require_GET
def officer_detail(request, officer_id):
    officer = selectors.access_officer(user=request.user, public_id=officer_id)
    services.access_record_write(request=request, obj=officer, object_type="officer", label=officer.staff_number)
    return officer_page(request, officer)


def officer_page(request, officer, allegation_form=None, status=200, suspension_form=None, review_form=None):
    user = request.user
    # One read each of the newest allegations and cases serves both the timeline and the lists (the
    # timeline asks for more rows than the lists show; one row past what a list shows says whether
    # its "all of them" link is needed). Only the columns the page shows, as tuples.
    rows = max(PROFILE_ENTRIES + 1, PROFILE_LIST_ROWS + 1)
    allegations = casework_allegation_rows(user=user, officer=officer, limit=rows)
    cases = casework_case_rows(user=user, officer=officer, limit=rows)
    timeline = officer_timeline(
        user=user, officer=officer, limit=PROFILE_ENTRIES + 1, allegations=allegations, cases=cases
    )
    may_record = may_do_casework(user)
    # The allegations not yet in a case, for the form that opens one (read only for who may open it).
    allegations_open = (
        selectors.officer_allegations(user=user, officer=officer)
        .select_related(None)
        .filter(case__isnull=True)
        .values_list("public_id", "received_on", "category")[:50]
        if may_record
        else []
    )
    allegation_form = allegation_form or AllegationForm()
    category, source, case_status = (
        dict(AllegationCategory.choices),
        dict(AllegationSource.choices),
        dict(CaseStatus.choices),
    )
    case_url = reverse("cases:case_detail", args=[_NIL])
    return render(
        request,
        "cases/officer_detail.html",
        {
            "officer": officer,
            # Labels and links made here: the template writes strings, with no filter or tag per row.
            "cases": [
                (case_url.replace(_NIL, str(pid)), ref, case_status[st])
                for pid, ref, st, _opened in cases[:PROFILE_LIST_ROWS]
            ],
            "cases_more": len(cases) > PROFILE_LIST_ROWS,
            "allegations": [
                (pid, _day(received), category[c], source[s], case_id is not None)
                for pid, received, c, s, _st, case_id in allegations[:PROFILE_LIST_ROWS]
            ],
            "allegations_more": len(allegations) > PROFILE_LIST_ROWS,
            "show_casework": may_read_casework(user),
            "allegation_form": allegation_form,
            "allegation_fields": form_fields(allegation_form),
            "may_record": may_record,
            "may_read_risk": may_read_risk(user),
            "may_audit": may_read_audit(user),
            "open_allegations": [(pid, f"{_day(received)} — {category[c]}") for pid, received, c in allegations_open],
            "case_open_token": services.submission_token_new(),
            "timeline": timeline[:PROFILE_ENTRIES],
            "timeline_older": len(timeline) > PROFILE_ENTRIES,
            **_officer_suspension_context(request, officer, suspension_form, review_form),
        },
        status=status,
    )


def _day(value) -> str:
    """A date as the profile writes it (the template's `date:"j M Y"`)."""
    return date_filter(value, "j M Y")


# Links are reversed once per list and the id swapped in (as cases/timeline.py does).
_NIL = "00000000-0000-0000-0000-000000000000"


@staff_view(*sorted(OFFICER_READERS))
@require_GET
def officer_timeline_list(request, officer_id):
    """The whole timeline, a page at a time (the profile shows its newest entries)."""
    officer = selectors.access_officer(user=request.user, public_id=officer_id)
    page = officer_timeline_page(user=request.user, officer=officer, number=request.GET.get("page"))
    services.access_record_write(request=request, obj=officer, object_type="officer", label=officer.staff_number)
    return render(request, "cases/officer_timeline.html", {"officer": officer, "page": page})


def _officer_suspension_context(request, officer, suspension_form=None, review_form=None):
    """The officer-status part of the profile: open suspension / restricted-duty periods with their
    review due dates, past periods, and (for supervisors, the appropriate authority) the forms."""
    periods = list(selectors.officer_suspensions(user=request.user, officer=officer)[:50])
    may_decide = is_supervisor(request.user)
    cases = (
        selectors.officer_cases(user=request.user, officer=officer)
        .filter(status__in=OPEN_CASE_STATUSES)
        .select_related(None)
        .only("id", "public_id", "reference")
    )
    suspension_form = (suspension_form or SuspensionStartForm(cases=cases)) if may_decide else None
    review_form = (review_form or SuspensionReviewForm()) if may_decide else None
    return {
        "suspensions_open": [p for p in periods if p.ended_on is None],
        "suspensions_past": [p for p in periods if p.ended_on is not None],
        "may_suspend": may_decide,
        "suspension_form": suspension_form,
        "suspension_fields": form_fields(suspension_form) if suspension_form else [],
        "suspension_review_form": review_form,
        "suspension_review_fields": form_fields(review_form) if review_form else [],
        "today": timezone.localdate(),
    }


@staff_view(*SUPERVISORS)
@require_POST
def officer_suspension_start(request, officer_id):
    """Suspend or restrict (reg 11): the appropriate authority only; everyone else gets 404."""
    officer = selectors.access_officer(user=request.user, public_id=officer_id)
    cases = selectors.officer_cases(user=request.user, officer=officer).filter(status__in=OPEN_CASE_STATUSES)
    form = SuspensionStartForm(request.POST, cases=cases)
    if not form.is_valid():
        return officer_page(request, officer, suspension_form=form, status=400)
    try:
        period = services.suspension_start(officer=officer, by=request.user, **form.cleaned_data)
    except services.DomainError as exc:
        refusal_to_form(form, exc)
        return officer_page(request, officer, suspension_form=form, status=400)
    messages.success(request, f"{period.get_kind_display()} recorded; review due {period.next_review_due:%-d %B %Y}.")
    return redirect("cases:officer_detail", officer_id=officer.public_id)


@staff_view(*SUPERVISORS)
@require_POST
def officer_suspension_review(request, officer_id):
    """Review (continue or lift) an open period, named by the form: the appropriate authority only."""
    officer = selectors.access_officer(user=request.user, public_id=officer_id)
    period = by_public_id_or_404(
        selectors.officer_suspensions(user=request.user, officer=officer), request.POST.get("period", "")
    )
    form = SuspensionReviewForm(request.POST)
    if not form.is_valid():
        return officer_page(request, officer, review_form=form, status=400)
    try:
        period = services.suspension_review(suspension=period, by=request.user, **form.cleaned_data)
    except services.DomainError as exc:
        refusal_to_form(form, exc)
        return officer_page(request, officer, review_form=form, status=400)
    if period.ended_on:
        messages.success(request, f"{period.get_kind_display()} lifted.")
    else:
        messages.success(request, f"Review recorded; next review due {period.next_review_due:%-d %B %Y}.")
    return redirect("cases:officer_detail", officer_id=officer.public_id)


@staff_view(*CASE_WORKERS)
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
