"""The triage team's pages: the queue with its acknowledgement timers, and one report's workbench."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cases import selectors as case_selectors
from cases.documents.selectors import owner_documents_section
from cases.filters import list_filter
from cases.models import AllegationCategory
from cases.pagination import EstimatedCountPaginator
from cases.policy import staff_view
from cases.search import officer_search
from cases.services import DomainError, access_record_write

from . import selectors, services
from .filters import HotlineReportFilter
from .models import HotlineReport, HotlineStatus
from .services import ALLEGATION_CATEGORY_FOR, TRIAGE_ROLES


@staff_view(*TRIAGE_ROLES)
@require_GET
def queue(request):
    queue = selectors.with_reporter_waiting(selectors.triage_queue(user=request.user))
    filters = list_filter(HotlineReportFilter, request, queue)
    page = EstimatedCountPaginator(filters.qs, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = []
    for report in page:
        due = selectors.acknowledge_due(report.received_at)
        overdue = report.status == HotlineStatus.RECEIVED and today > due
        rows.append({"report": report, "due": due, "overdue": overdue})
    return render(
        request,
        "hotline/triage_queue.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "status": filters.data.get("status", ""),
            "statuses": HotlineStatus.choices,
        },
        status=filters.http_status,
    )


def _workbench(request, report, status=200):
    officer_q = request.GET.get("officer_q", "").strip()[:100]
    candidates = []
    if officer_q:
        candidates = officer_search(case_selectors.officer_list(user=request.user), officer_q)[:20]
    return render(
        request,
        "hotline/triage_report.html",
        {
            "report": report,
            "contact": getattr(report, "contact", None) if not report.anonymous else None,
            "thread": report.messages.select_related("author"),
            **owner_documents_section(user=request.user, owner_kind="hotline_report", owner=report),
            "events": report.events.select_related("actor"),
            "evidence_not_copied": selectors.evidence_not_in_documents(report),
            "officer_q": officer_q,
            "candidates": candidates,
            "categories": AllegationCategory.choices,
            "suggested_category": ALLEGATION_CATEGORY_FOR.get(report.category, ""),
            "acknowledge_due": selectors.acknowledge_due(report.received_at),
        },
        status=status,
    )


@staff_view(*TRIAGE_ROLES)
@require_GET
def report_detail(request, report_id):
    report = selectors.access_report(user=request.user, public_id=report_id)
    access_record_write(request=request, obj=report, object_type="hotline_report", label=report.reference)
    return _workbench(request, report)


@staff_view(*TRIAGE_ROLES)
@require_POST
def report_act(request, report_id):
    """One endpoint for the triage steps; each calls its own service, which checks the move."""
    report = selectors.access_report(user=request.user, public_id=report_id)
    action = request.POST.get("action", "")
    text = request.POST.get("text", "")[:5000]
    try:
        if action == "acknowledge":
            services.report_acknowledge(report=report, by=request.user)
            done = "Report acknowledged."
        elif action == "ask":
            services.report_information_request(report=report, question=text, by=request.user)
            done = "Question sent to the reporter."
        elif action == "reply":
            services.report_triage_reply(report=report, body=text, by=request.user)
            done = "Message sent to the reporter."
        elif action == "link":
            officer = case_selectors.access_officer(user=request.user, public_id=request.POST.get("officer", ""))
            services.report_officer_link(report=report, officer=officer, by=request.user)
            done = f"Linked to {officer.full_name} ({officer.staff_number})."
        elif action == "allegation":
            category = request.POST.get("category", "")
            services.report_allegation_create(report=report, by=request.user, category=category, narrative=text)
            done = "Allegation recorded on the officer's record."
        elif action == "merge":
            original = (
                selectors.triage_queue(user=request.user)
                .filter(reference__iexact=request.POST.get("original", "").strip()[:32])
                .first()
            )
            if original is None:
                raise DomainError("No report you can see has that reference.")
            services.report_duplicate_merge(report=report, original=original, by=request.user)
            done = f"Merged as a duplicate of {original.reference}."
        elif action == "close":
            services.report_close(report=report, reason=text, by=request.user)
            done = "Report closed."
        else:
            raise DomainError("Unknown action.")
    except DomainError as exc:
        messages.error(request, str(exc))
        report = HotlineReport.objects.get(pk=report.pk)
        return _workbench(request, report, status=400)
    messages.success(request, done)
    return redirect("triage:report", report_id=report.public_id)
