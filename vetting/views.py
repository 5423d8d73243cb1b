from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.documents.selectors import owner_documents_section
from cases.filters import list_filter
from cases.models import Officer
from cases.pagination import EstimatedCountPaginator
from cases.policy import ANY_ROLE, staff_view
from cases.roles import Role, has_role
from cases.rows import rows_only
from cases.services import DomainError

from . import selectors, services
from .filters import ClearanceExpiryFilter, VettingReviewFilter
from .forms import CircumstanceChangeForm, ReviewAssignForm, ReviewDecisionForm, ReviewOpenForm
from .models import ReviewTrigger, VettingReviewStatus
from .templatetags.vetting_rows import CLEARANCE_ROW_FIELDS, REVIEW_ROW_FIELDS

READERS = tuple(sorted(selectors.VETTING_READERS))


def _refusal_to_form(form, exc) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


@staff_view(*READERS)
@require_GET
def review_list(request):
    filters = list_filter(VettingReviewFilter, request, selectors.vetting_review_list(user=request.user))
    page = EstimatedCountPaginator(rows_only(filters.qs, REVIEW_ROW_FIELDS), 50).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "status": request.GET.get("status", ""),
        "statuses": VettingReviewStatus.choices,
        "trigger": request.GET.get("trigger", ""),
        "triggers": ReviewTrigger.choices,
        "may_open_review": has_role(request.user, Role.VETTING_OFFICER),
    }
    return render(request, "vetting/review_list.html", context, status=filters.http_status)


def _review_context(request, review, **forms):
    return {
        "review": review,
        "trigger": selectors.review_trigger_record(user=request.user, review=review),
        "events": review.events.select_related("actor"),
        "history": selectors.officer_vetting_reviews(user=request.user, officer=review.officer).exclude(pk=review.pk),
        "clearances": selectors.officer_clearances(user=request.user, officer=review.officer, day=timezone.localdate()),
        "may_work": has_role(request.user, Role.VETTING_OFFICER),
        "assign_form": forms.get("assign_form") or ReviewAssignForm(),
        "decision_form": forms.get("decision_form") or ReviewDecisionForm(),
        **owner_documents_section(user=request.user, owner_kind="vetting_review", owner=review),
    }


@staff_view(*READERS)
@require_GET
def review_detail(request, vetting_review_id):
    review = selectors.access_vetting_review(user=request.user, public_id=vetting_review_id)
    return render(request, "vetting/review_detail.html", _review_context(request, review))


@staff_view(Role.VETTING_OFFICER)
@require_POST
def review_move(request, vetting_review_id):
    """One door for every move; the service's transition table decides what is allowed."""
    review = selectors.access_vetting_review(user=request.user, public_id=vetting_review_id)
    to_status = request.POST.get("to_status", "")
    forms = {}
    try:
        if to_status == VettingReviewStatus.DECIDED:
            form = forms["decision_form"] = ReviewDecisionForm(request.POST)
            if not form.is_valid():
                raise DomainError("Check the decision.")
            services.vetting_review_move(review=review, to_status=to_status, by=request.user, **form.cleaned_data)
        elif to_status == VettingReviewStatus.IN_PROGRESS:
            form = forms["assign_form"] = ReviewAssignForm(request.POST)
            if not form.is_valid():
                raise DomainError("Choose a vetting officer.")
            assignee = form.cleaned_data["assignee"] or request.user
            services.vetting_review_move(review=review, to_status=to_status, by=request.user, assignee=assignee)
        else:
            services.vetting_review_move(review=review, to_status=to_status, by=request.user)
    except DomainError as exc:
        messages.error(request, str(exc))
        context = _review_context(request, review, **forms)
        return render(request, "vetting/review_detail.html", context, status=400)
    review.refresh_from_db()
    messages.success(request, f"Vetting review: {review.get_status_display().lower()}.")
    return redirect("vetting:review_detail", vetting_review_id=review.public_id)


@staff_view(Role.VETTING_OFFICER)
@require_http_methods(["GET", "POST"])
def review_open(request):
    form = ReviewOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        officer = selectors.vetting_person_by_staff_number(
            user=request.user, staff_number=form.cleaned_data["staff_number"]
        )
        if officer is None:
            form.add_error("staff_number", "No one with that staff number.")
        else:
            try:
                review = services.vetting_review_open_by_hand(
                    officer=officer,
                    reason=form.cleaned_data["reason"],
                    once_token=form.cleaned_data["once_token"],
                    by=request.user,
                )
            except DomainError as exc:
                _refusal_to_form(form, exc)
            else:
                messages.success(request, f"Vetting review opened for {officer.full_name}.")
                return redirect("vetting:review_detail", vetting_review_id=review.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "vetting/review_open.html", {"form": form}, status=status)


@staff_view(ANY_ROLE)
@require_http_methods(["GET", "POST"])
def circumstance_change(request):
    """Self-service: anyone on the staff reports a change in their own circumstances (reg 5). They see a
    confirmation only; the report goes to the vetting unit."""
    linked = Officer.objects.filter(user=request.user).exists()
    form = CircumstanceChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.circumstance_change_report(user=request.user, **form.cleaned_data)
        except DomainError as exc:
            _refusal_to_form(form, exc)
        else:
            messages.success(request, "Thank you: the vetting unit has your report and will be in touch if needed.")
            return redirect("vetting:circumstance_change")
    status = 400 if request.method == "POST" else 200
    return render(request, "vetting/circumstance_change.html", {"form": form, "linked": linked}, status=status)


@staff_view(*READERS)
@require_GET
def clearance_expiry(request):
    today = timezone.localdate()
    filterset = list_filter(
        ClearanceExpiryFilter, request, selectors.clearance_expiry_list(user=request.user, day=today)
    )
    rows = rows_only(filterset.qs, CLEARANCE_ROW_FIELDS)
    page = EstimatedCountPaginator(rows, 50).get_page(request.GET.get("page"))
    context = {"filter": filterset, "filters": filterset, "page": page, "today": today}
    return render(request, "vetting/clearance_expiry.html", context, status=filterset.http_status)


@staff_view(*READERS)
@require_GET
def officer_clearances(request, officer_id):
    officer = selectors.access_vetting_person(user=request.user, public_id=officer_id)
    today = timezone.localdate()
    context = {
        "officer": officer,
        "levels": selectors.officer_clearances(user=request.user, officer=officer, day=today),
        "reviews": selectors.officer_vetting_reviews(user=request.user, officer=officer),
        "today": today,
    }
    return render(request, "vetting/officer_clearances.html", context)
