"""Document pages: thin. Fetch-and-check through the selectors (the owner record's own rules), write
through the services, and one access record and one custody event for every read of a document."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.errors import DomainError
from cases.filters import list_filter
from cases.permissions import is_supervisor
from cases.policy import staff_view
from cases.services.access import access_record_write
from cases.views.base import page_of

from . import selectors, services
from .filters import RetentionDueFilter, owner_kind_choices
from .forms import DestroyForm, DiscloseForm, DocumentUploadForm, VersionAddForm
from .integrity import document_version_verify
from .models import CustodyAction, DocumentType
from .permissions import DOCUMENT_ROLES, DOCUMENT_WRITERS, RETENTION_DECIDERS, may_change_document
from .retention import document_destroy


def _form_error(form, exc: DomainError):
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


@staff_view(*DOCUMENT_WRITERS)
@require_http_methods(["GET", "POST"])
def document_upload(request, owner_kind, owner_id):
    kind, owner = selectors.access_document_owner(user=request.user, owner_kind=owner_kind, public_id=owner_id)
    if not kind.may_upload(request.user, owner):
        raise Http404
    text, back = kind.link(owner)
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            documents = services.documents_upload(
                owner_kind=kind.slug,
                owner=owner,
                files=data["files"],
                by=request.user,
                document_type=data["document_type"],
                description=data["description"],
                obtained_on=data["obtained_on"],
                obtained_from=data["obtained_from"],
                exhibit_reference=data["exhibit_reference"],
                once_token=data["once_token"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"{len(documents)} document(s) added.")
            return redirect(f"{back}#documents")
    status = 400 if form.errors else 200
    return render(
        request, "documents/upload.html", {"form": form, "owner_text": text, "owner_url": back}, status=status
    )


def _document_page(request, document, status=200, **forms):
    user = request.user
    text, back = document.owner_kind_entry.link(document.owner)
    may_change = may_change_document(user, document)
    context = {
        "document": document,
        "owner_text": text,
        "owner_url": back,
        "versions": selectors.document_versions_visible(user=user, document=document),
        "custody": selectors.custody_log(document=document),
        "may_change": may_change,
        "may_verify": may_change or is_supervisor(user),
        "may_destroy": is_supervisor(user) and document.retention_due_on is not None and not document.destroyed_at,
        "version_form": forms.get("version_form") or (VersionAddForm() if may_change else None),
        "disclose_form": forms.get("disclose_form") or (DiscloseForm() if may_change else None),
        "destroy_form": forms.get("destroy_form") or DestroyForm(),
    }
    return render(request, "documents/detail.html", context, status=status)


def _read_recorded(request, document, action, version=None):
    access_record_write(request=request, obj=document, object_type="document", label=str(document))
    services.custody_record(
        document=document,
        version=version,
        action=action,
        actor=request.user,
        hash_before=version.sha256 if version else "",
    )


@staff_view(*DOCUMENT_ROLES)
@require_GET
def document_detail(request, document_id):
    document = selectors.access_document(user=request.user, public_id=document_id)
    _read_recorded(request, document, CustodyAction.VIEW)
    return _document_page(request, document)


@staff_view(*DOCUMENT_ROLES)
@require_GET
def document_download(request, document_id):
    document = selectors.access_document(user=request.user, public_id=document_id)
    version = selectors.document_version_for_download(
        user=request.user, document=document, number=request.GET.get("version")
    )
    try:
        handle = version.file.storage.open(version.file.name, "rb")
    except OSError:
        raise Http404 from None
    _read_recorded(request, document, CustodyAction.DOWNLOAD, version)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=version.original_name or f"document-{version.number}",
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; object-src 'none'; frame-ancestors 'none'; sandbox"
    return response


@staff_view(*DOCUMENT_WRITERS)
@require_POST
def document_version_add(request, document_id):
    document = selectors.access_document(user=request.user, public_id=document_id)
    if not may_change_document(request.user, document):
        raise Http404
    form = VersionAddForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_version_add(
                document_id=document.pk,
                upload=form.cleaned_data["file"],
                by=request.user,
                redacted=form.cleaned_data["redacted"],
            )
        except DomainError as exc:
            form.add_error("file", str(exc).split(": ", 1)[-1] if exc.field == "files" else str(exc))
        else:
            messages.success(request, "Redacted copy added." if form.cleaned_data["redacted"] else "New version added.")
            return redirect("documents:detail", document_id=document.public_id)
    return _document_page(request, document, status=400, version_form=form)


@staff_view(*DOCUMENT_WRITERS)
@require_POST
def document_disclose(request, document_id):
    document = selectors.access_document(user=request.user, public_id=document_id)
    if not may_change_document(request.user, document):
        raise Http404
    form = DiscloseForm(request.POST)
    if form.is_valid():
        try:
            services.document_disclose(
                document_id=document.pk, to=form.cleaned_data["to"], on=form.cleaned_data["on"], by=request.user
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Disclosure recorded.")
            return redirect("documents:detail", document_id=document.public_id)
    return _document_page(request, document, status=400, disclose_form=form)


@staff_view(*DOCUMENT_WRITERS)
@require_POST
def document_verify(request, document_id):
    document = selectors.access_document(user=request.user, public_id=document_id)
    if not (may_change_document(request.user, document) or is_supervisor(request.user)):
        raise Http404
    results = [
        document_version_verify(version_id=v.pk, by=request.user)
        for v in selectors.document_versions_visible(user=request.user, document=document)
        if v.purged_at is None
    ]
    if all(results):
        messages.success(request, "Every version matches the hash taken when it was stored.")
    else:
        messages.error(request, "A version does not match the hash taken when it was stored: see the custody log.")
    # The integrity worklist sends its own page back, to carry on down the list; nothing off this site.
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("documents:detail", document_id=document.public_id)


@staff_view(*RETENTION_DECIDERS)
@require_POST
def document_destroy_confirm(request, document_id):
    document = selectors.access_document(user=request.user, public_id=document_id)
    form = DestroyForm(request.POST)
    if form.is_valid():
        try:
            document_destroy(document_id=document.pk, by=request.user)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "The document's files were deleted. Its custody log remains.")
            return redirect("documents:detail", document_id=document.public_id)
    return _document_page(request, document, status=400, destroy_form=form)


@staff_view(*RETENTION_DECIDERS)
@require_GET
def retention_due(request):
    filters = list_filter(RetentionDueFilter, request, selectors.retention_due_list(user=request.user))
    page = page_of(request, filters.qs)
    owner_kinds = owner_kind_choices()
    labels = dict(owner_kinds)
    for document in page:
        document.owner_label = labels.get(document.owner_kind, document.owner_kind)
    return render(
        request,
        "documents/retention.html",
        {"filters": filters, "page": page, "document_types": DocumentType.choices, "owner_kinds": owner_kinds},
        status=filters.http_status,
    )


@staff_view(*RETENTION_DECIDERS)
@require_GET
def integrity_worklist(request):
    return render(
        request,
        "documents/integrity.html",
        {"page": page_of(request, selectors.integrity_worklist(user=request.user))},
    )
