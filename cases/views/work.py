"""A caseworker's own desk: their open cases and reviews, the reviews of suspension coming due, and the
regulation 19 reports due."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases.policy import staff_view

from .. import selectors, services
from ..models import OPEN_CASE_STATUSES, CaseStatus, OnyxStatus
from ..permissions import CASE_PAGE_ROLES, CASE_WORKERS, is_supervisor, may_do_casework
from .base import page_of


@staff_view(*CASE_WORKERS)
@require_GET
def my_work(request):
    cases = (
        selectors.case_list(user=request.user)
        .filter(investigator=request.user, status__in=OPEN_CASE_STATUSES)
        .select_related(None)
        .values_list(
            "public_id", "reference", "subject__first_name", "subject__last_name", "status", "came_to_notice_on"
        )
    )
    reviews = (
        selectors.onyx_review_list(user=request.user)
        .filter(reviewer=request.user, status__in=[OnyxStatus.ALLOCATED, OnyxStatus.RETURNED])
        .select_related(None)
        .values_list("public_id", "reference", "status")
    )
    # Suspension and restricted-duty reviews coming due (reg 11): supervisors only, by the selector.
    suspensions = selectors.suspensions_due_review(
        user=request.user, today=timezone.localdate(), within_days=services.REVIEW_DUE_SOON_DAYS
    )
    # Up to 200 rows a list: each row's labels and link are made here, once per list, so the template
    # writes strings (a `{% url %}`, a `date` filter and a display method per row cost more than the SQL).
    case_status, review_status = dict(CaseStatus.choices), dict(OnyxStatus.choices)
    case_url = reverse("cases:case_detail", args=[_NIL])
    review_url = reverse("cases:review_detail", args=[_NIL])
    return render(
        request,
        "cases/my_work.html",
        {
            "cases": [
                (case_url.replace(_NIL, str(pid)), ref, f"{first} {last}", case_status[st], _day(notice))
                for pid, ref, first, last, st, notice in cases[:200]
            ],
            "reviews": [(review_url.replace(_NIL, str(pid)), ref, review_status[st]) for pid, ref, st in reviews[:200]],
            "suspensions_due": suspensions[:200],
            "show_suspensions": is_supervisor(request.user),
        },
    )


_NIL = "00000000-0000-0000-0000-000000000000"


def _day(value) -> str:
    return date_filter(value, "j M Y")


@staff_view(*CASE_PAGE_ROLES)
@require_GET
def timeliness(request):
    due = selectors.cases_due_timeliness_report(user=request.user, today=timezone.localdate())
    # The commissioner reads the list; DPS caseworkers record the reports (timeliness_report's policy).
    return render(
        request, "cases/timeliness.html", {"page": page_of(request, due), "may_report": may_do_casework(request.user)}
    )


@staff_view(*CASE_WORKERS)
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
