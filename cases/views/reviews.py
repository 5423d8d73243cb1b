"""Operation Onyx re-reviews: the list (with allocation, programmes and the panel for supervisors), one
review's page, the reviewer's decision, the panel's verdict, and the case a reassess decision opens."""

from uuid import UUID

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cases.documents.selectors import owner_documents_section
from cases.policy import staff_view

from .. import selectors, services
from ..filters import OnyxReviewFilter, list_filter
from ..forms import AllocateForm, OnyxDecisionForm, PanelVerdictForm, ReviewProgrammeForm, SendToPanelForm
from ..models import OnyxStatus, PanelVerdict
from ..permissions import (
    CASE_WORKERS,
    PANEL_MEMBERS,
    REVIEW_PAGE_ROLES,
    SUPERVISORS,
    is_supervisor,
    may_do_casework,
    sees_only_assigned_reviews,
)
from ..rows import rows_only
from ..templatetags.list_rows import REVIEW_ROW_FIELDS
from .base import page_of, refusal_to_form
from .fragments import form_fields


@staff_view(*REVIEW_PAGE_ROLES)
@require_GET
def review_list(request):
    filters = list_filter(OnyxReviewFilter, request, selectors.onyx_review_list(user=request.user))
    supervising = is_supervisor(request.user)
    programme_form = ReviewProgrammeForm() if supervising else None
    return render(
        request,
        "cases/review_list.html",
        {
            "filters": filters,
            "page": page_of(request, rows_only(filters.qs, REVIEW_ROW_FIELDS)),
            "status": request.GET.get("status", ""),
            "statuses": OnyxStatus.choices,
            "sees_only_assigned": sees_only_assigned_reviews(request.user),
            # Reviews are allocated to DPS caseworkers (services.onyx_reviews_allocate).
            "may_filter_mine": may_do_casework(request.user),
            "allocate_form": AllocateForm() if supervising else None,
            # The programme form's fields rendered once per process but its one-time token (views.fragments).
            "programme_form": programme_form,
            "programme_fields": form_fields(programme_form) if programme_form else [],
            "panel_form": SendToPanelForm() if supervising else None,
        },
        status=filters.http_status,
    )


def _review_context(request, review, decision_form=None, verdict_form=None):
    user = request.user
    pending = review.panel_assignments.filter(panel_member=user, verdict="").first()
    returned = review.panel_assignments.filter(verdict=PanelVerdict.DISAGREE).order_by("-round").first()
    may_decide = services.may_decide_onyx_review(user, review)
    decision_form = (decision_form or OnyxDecisionForm()) if may_decide else None
    verdict_form = (verdict_form or PanelVerdictForm()) if pending else None
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
        "decision_form": decision_form,
        # An unbound form's fields are the same markup for every review: rendered once per process.
        "decision_fields": form_fields(decision_form) if decision_form else [],
        "may_complete_actions": services.may_complete_onyx_actions(user, review),
        "may_open_case": services.may_open_case_from_onyx_review(user, review),
        "verdict_form": verdict_form,
        "verdict_fields": form_fields(verdict_form) if verdict_form else [],
        **owner_documents_section(user=user, owner_kind="onyx_review", owner=review),
    }


@staff_view(*REVIEW_PAGE_ROLES)
@require_GET
def review_detail(request, review_id):
    review = selectors.access_onyx_review(user=request.user, public_id=review_id)
    services.access_record_write(request=request, obj=review, object_type="onyx_review", label=review.reference)
    return render(request, "cases/review_detail.html", _review_context(request, review))


@staff_view(*CASE_WORKERS)
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
            refusal_to_form(form, exc)
        else:
            messages.success(request, f"Decision recorded on {review.reference}.")
            return redirect("cases:review_detail", review_id=review.public_id)
    return render(request, "cases/review_detail.html", _review_context(request, review, decision_form=form), status=400)


@staff_view(*PANEL_MEMBERS)
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


@staff_view(*SUPERVISORS)
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


@staff_view(*CASE_WORKERS)
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


@staff_view(*CASE_WORKERS)
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


@staff_view(*SUPERVISORS)
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


@staff_view(*SUPERVISORS)
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
