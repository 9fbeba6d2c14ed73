import pytest


@pytest.fixture
def open_data_dir(settings, tmp_path):
    """The open data packages in a folder of this test's own."""
    folder = tmp_path / "open-data"
    settings.STORAGES = {
        **settings.STORAGES,
        "open_data": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder},
        },
    }
    return folder
