"""The PND screening pages, for the vetting unit: upload a results file, watch its import (a status page
that refreshes itself while the task runs, no JavaScript), download the rejected rows, and the summary of
checks and hits, whose reviews are the team's triage items."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from cases.filters import list_filter
from cases.policy import staff_view
from cases.roles import Role

from . import selectors_pnd as selectors
from .filters import PNDHitFilter
from .forms import PNDUploadForm
from .models import PNDImportStatus
from .services.pnd_import import pnd_import_accept, pnd_import_previous, pnd_storage

REFRESH_SECONDS = 3


@staff_view(Role.VETTING_OFFICER)
@require_GET
def pnd_summary(request):
    filters = list_filter(PNDHitFilter, request, selectors.pnd_hit_list(user=request.user))
    page = Paginator(filters.qs, 50).get_page(request.GET.get("page"))
    context = {
        "summary": selectors.pnd_summary(user=request.user),
        "filters": filters,
        "page": page,
        "imports": selectors.pnd_import_list(user=request.user)[:10],
    }
    return render(request, "vetting/pnd/summary.html", context, status=filters.http_status)


@staff_view(Role.VETTING_OFFICER)
@require_http_methods(["GET", "POST"])
def pnd_import_new(request):
    # Bound on every POST (an empty POST is falsy, and would show a blank form as if nothing were wrong).
    form = PNDUploadForm(request.POST, request.FILES) if request.method == "POST" else PNDUploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        run = pnd_import_accept(upload=upload, by=request.user, file_name=upload.name)
        messages.success(request, "The file is being imported: this page shows how far it has got.")
        return redirect("vetting:pnd_import_detail", pnd_import_id=run.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "vetting/pnd/import_new.html", {"form": form}, status=status)


@staff_view(Role.VETTING_OFFICER)
@require_GET
def pnd_import_detail(request, pnd_import_id):
    run = selectors.access_pnd_import(user=request.user, public_id=pnd_import_id)
    running = run.status in (PNDImportStatus.PENDING, PNDImportStatus.RUNNING)
    context = {
        "run": run,
        "running": running,
        "refresh_seconds": REFRESH_SECONDS if running else None,
        "previous": pnd_import_previous(run=run) if run.status == PNDImportStatus.DONE else None,
    }
    return render(request, "vetting/pnd/import_detail.html", context)


@staff_view(Role.VETTING_OFFICER)
@require_GET
def pnd_import_errors(request, pnd_import_id):
    """The rejected rows as CSV, from private storage: a download (attachment), never shown inline."""
    run = selectors.access_pnd_import(user=request.user, public_id=pnd_import_id)
    if not run.errors_file:
        raise Http404
    try:
        handle = pnd_storage().open(run.errors_file, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"pnd-import-{run.public_id}-rejected-rows.csv",
        content_type="text/csv; charset=utf-8",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
