"""The allegation register, one allegation's page, and recording an allegation on a person's profile."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from cases.documents.selectors import owner_documents_section
from cases.policy import staff_view

from .. import selectors, services
from ..filters import AllegationFilter, list_filter
from ..forms import AllegationForm
from ..models import AllegationCategory, AllegationSource, AllegationStatus, Ethnicity, Sex
from ..permissions import CASE_PAGE_ROLES, CASE_WORKERS
from ..rows import rows_only
from ..templatetags.list_rows import ALLEGATION_ROW_FIELDS
from .base import page_of, refusal_to_form
from .officers import officer_page


@staff_view(*CASE_PAGE_ROLES)
@require_GET
def allegation_list(request):
    filters = list_filter(AllegationFilter, request, selectors.allegation_list(user=request.user))
    return render(
        request,
        "cases/allegation_list.html",
        {
            "filters": filters,
            "page": page_of(request, rows_only(filters.qs.order_by("-received_on", "-id"), ALLEGATION_ROW_FIELDS)),
            "q": request.GET.get("q", ""),
            "categories": AllegationCategory.choices,
            "sources": AllegationSource.choices,
            "statuses": AllegationStatus.choices,
            "ethnicities": Ethnicity.choices,
            "sexes": Sex.choices,
        },
        status=filters.http_status,
    )


@staff_view(*CASE_PAGE_ROLES)
@require_GET
def allegation_detail(request, allegation_id):
    """One allegation: its facts, its subject and case, its documents. Open to whoever may see it in the
    allegation register (the same selector: need-to-know, conflicts); every read is recorded."""
    user = request.user
    allegation = selectors.access_allegation(user=user, public_id=allegation_id)
    services.access_record_write(
        request=request, obj=allegation, object_type="allegation", label=_allegation_label(allegation)
    )
    # Through the case register's selector, as every related record is (the allegation's own rules
    # already cover its case, but a link is only offered to a page that will open).
    case = selectors.case_list(user=user).filter(pk=allegation.case_id).first() if allegation.case_id else None
    return render(
        request,
        "cases/allegation_detail.html",
        {
            "allegation": allegation,
            "label": _allegation_label(allegation),
            "case": case,
            **owner_documents_section(user=user, owner_kind="allegation", owner=allegation),
        },
    )


def _allegation_label(allegation):
    return f"Allegation {allegation.received_on:%d %b %Y} ({allegation.get_category_display()})"


@staff_view(*CASE_WORKERS)
@require_POST
def allegation_new(request, officer_id):
    officer = selectors.access_officer(user=request.user, public_id=officer_id)
    form = AllegationForm(request.POST)
    if not form.is_valid():
        return officer_page(request, officer, allegation_form=form, status=400)
    try:
        services.allegation_record(subject=officer, by=request.user, **form.cleaned_data)
    except services.DomainError as exc:
        refusal_to_form(form, exc)
        return officer_page(request, officer, allegation_form=form, status=400)
    messages.success(request, "Allegation recorded.")
    return redirect("cases:officer_detail", officer_id=officer.public_id)
