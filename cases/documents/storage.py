"""The private local storage for documents: a directory outside the web root (settings.DOCUMENTS_ROOT),
with no URL at all. The root is read on each use, so it follows the settings (tests use a tmp dir).
In production settings.STORAGES["documents"] may name django-storages' S3 backend instead."""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateDocumentStorage(FileSystemStorage):
    @property
    def base_location(self):
        return str(settings.DOCUMENTS_ROOT or Path(settings.PRIVATE_MEDIA_ROOT) / "documents")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None  # FileSystemStorage.url() then refuses: a document is never served by a link

    @property
    def file_permissions_mode(self):
        return 0o600

    @property
    def directory_permissions_mode(self):
        return 0o700
