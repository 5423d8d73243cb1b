import pytest


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):
    """Every documents test stores its files in a tmp dir of its own, on the local storage."""
    root = tmp_path / "documents"
    settings.DOCUMENTS_ROOT = root
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_HOST = ""
    return root
