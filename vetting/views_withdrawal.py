"""The withdrawal pages: the list, one process with its history and a form for each step it may take next,
the one door for every step, and opening a process by hand. Thin: the service decides."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.filters import list_filter
from cases.policy import staff_view
from cases.roles import Role, has_role
from cases.services import DomainError, access_record_write

from . import selectors, selectors_withdrawal
from .filters import WithdrawalFilter
from .forms_withdrawal import STEP_FORMS, WithdrawalOpenForm
from .models import WithdrawalStatus
from .services import WITHDRAWAL_TRANSITIONS, withdrawal_move, withdrawal_open
from .services.withdrawal import ACTION_LABELS

READERS = tuple(sorted(selectors.VETTING_READERS))


@staff_view(*READERS)
@require_GET
def withdrawal_list(request):
    qs = selectors_withdrawal.withdrawal_list(user=request.user)
    filters = list_filter(WithdrawalFilter, request, qs)
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "status": request.GET.get("status", ""),
        "statuses": WithdrawalStatus.choices,
        "running": request.GET.get("running", ""),
        "may_open": has_role(request.user, Role.VETTING_OFFICER),
    }
    return render(request, "vetting/withdrawal_list.html", context, status=filters.http_status)


def _steps(withdrawal, bound=None):
    """The forms for the steps the process may take next (from the transition table), in the table's order."""
    allowed = {action for (state, action) in WITHDRAWAL_TRANSITIONS if state == withdrawal.status}
    steps = []
    for step, (form_class, title, actions) in STEP_FORMS.items():
        if allowed & set(actions):
            form = bound if bound is not None and bound.prefix == step else form_class(prefix=step)
            steps.append({"step": step, "title": title, "form": form})
    return steps


def _context(request, withdrawal, bound=None):
    return {
        "withdrawal": withdrawal,
        "officer": withdrawal.officer,
        "notices": withdrawal.notices.select_related("served_by"),
        "events": [(e, ACTION_LABELS.get(e.action, e.action)) for e in withdrawal.events.select_related("actor")],
        "may_work": has_role(request.user, Role.VETTING_OFFICER),
        "steps": _steps(withdrawal, bound),
    }


@staff_view(*READERS)
@require_GET
def withdrawal_detail(request, withdrawal_id):
    withdrawal = selectors_withdrawal.access_withdrawal(user=request.user, public_id=withdrawal_id)
    access_record_write(
        request=request, obj=withdrawal.officer, object_type="officer", label=withdrawal.officer.full_name
    )
    return render(request, "vetting/withdrawal_detail.html", _context(request, withdrawal))


@staff_view(Role.VETTING_OFFICER)
@require_POST
def withdrawal_step(request, withdrawal_id):
    """One door for every step; the service's transition table decides what is allowed."""
    withdrawal = selectors_withdrawal.access_withdrawal(user=request.user, public_id=withdrawal_id)
    step = request.POST.get("step", "")
    if step not in STEP_FORMS:
        messages.error(request, "Unknown step.")
        return render(request, "vetting/withdrawal_detail.html", _context(request, withdrawal), status=400)
    form_class, _, actions = STEP_FORMS[step]
    form = form_class(request.POST, prefix=step)
    try:
        if not form.is_valid():
            raise DomainError("Check the form.")
        data = dict(form.cleaned_data)
        action = data.pop("action", actions[0])
        withdrawal = withdrawal_move(withdrawal=withdrawal, action=action, by=request.user, **data)
    except DomainError as exc:
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, str(exc))
        messages.error(request, str(exc))
        return render(request, "vetting/withdrawal_detail.html", _context(request, withdrawal, form), status=400)
    messages.success(request, f"{ACTION_LABELS[action]}.")
    return redirect("vetting:withdrawal_detail", withdrawal_id=withdrawal.public_id)


@staff_view(Role.VETTING_OFFICER)
@require_http_methods(["GET", "POST"])
def withdrawal_start(request):
    """A vetting officer opens a withdrawal process directly (without a review decided "withdrawn")."""
    form = WithdrawalOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        officer = selectors.vetting_person_by_staff_number(
            user=request.user, staff_number=form.cleaned_data["staff_number"]
        )
        if officer is None:
            form.add_error("staff_number", "No one with that staff number.")
        else:
            try:
                withdrawal = withdrawal_open(
                    officer_id=officer.pk,
                    grounds=form.cleaned_data["grounds"],
                    decision_maker=form.cleaned_data["decision_maker"],
                    by=request.user,
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, f"Withdrawal assessment opened for {officer.full_name}.")
                return redirect("vetting:withdrawal_detail", withdrawal_id=withdrawal.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "vetting/withdrawal_open.html", {"form": form}, status=status)
