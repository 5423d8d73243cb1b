from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("new/<slug:owner_kind>/<uuid:owner_id>/", views.document_upload, name="upload"),
    path("retention/", views.retention_due, name="retention"),
    path("integrity/", views.integrity_worklist, name="integrity"),
    path("<uuid:document_id>/", views.document_detail, name="detail"),
    path("<uuid:document_id>/download/", views.document_download, name="download"),
    path("<uuid:document_id>/versions/", views.document_version_add, name="version_add"),
    path("<uuid:document_id>/disclose/", views.document_disclose, name="disclose"),
    path("<uuid:document_id>/verify/", views.document_verify, name="verify"),
    path("<uuid:document_id>/delete/", views.document_destroy_confirm, name="destroy"),
]
