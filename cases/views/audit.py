"""Who looked at what (the access audit), and the declared conflicts of interest that decide who may
look at all."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from cases.policy import staff_view

from .. import selectors, services
from ..filters import AccessRecordFilter, list_filter
from ..forms import ConflictForm
from ..permissions import AUDIT_READERS, SUPERVISORS
from .base import page_of, refusal_to_form


@staff_view(*sorted(AUDIT_READERS))
@require_GET
def audit_case(request, case_id):
    case = selectors.access_case(user=request.user, public_id=case_id)
    records = selectors.access_records(user=request.user, object_type="case", object_id=case.pk)
    return render(
        request, "cases/audit.html", {"title": f"Who looked at {case.reference}", "page": page_of(request, records)}
    )


@staff_view(*sorted(AUDIT_READERS))
@require_GET
def audit_officer(request, officer_id):
    officer = selectors.access_officer(user=request.user, public_id=officer_id)
    records = selectors.access_records(user=request.user, object_type="officer", object_id=officer.pk)
    return render(
        request,
        "cases/audit.html",
        {"title": f"Who looked at {officer.staff_number}", "page": page_of(request, records)},
    )


@staff_view(*sorted(AUDIT_READERS))
@require_GET
def audit_reader(request):
    filters = list_filter(AccessRecordFilter, request, selectors.access_records(user=request.user))
    username = request.GET.get("user", "").strip()[:150]
    # Nothing is listed until a reader is named: the audit answers "what did this person look at".
    records = filters.qs if username and not filters.errors else None
    return render(
        request,
        "cases/audit.html",
        {
            "filters": filters,
            "title": f"What {username} looked at" if username else "Access audit",
            "username": username,
            "page": page_of(request, records) if records is not None else None,
        },
        status=filters.http_status,
    )


@staff_view(*SUPERVISORS)
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
                refusal_to_form(form, exc)
            else:
                messages.success(request, "Conflict of interest recorded.")
                return redirect("cases:conflicts")
    declared = selectors.conflict_list(user=request.user)
    return render(
        request,
        "cases/conflicts.html",
        {"form": form, "page": page_of(request, declared)},
        status=400 if form.errors else 200,
    )
