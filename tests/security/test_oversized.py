"""Requests over Django's size limits are refused with a page that says why, and save nothing.
(Spreadsheet uploads have their own, larger limit: tests/workspace/imports/test_upload.py.)"""

from __future__ import annotations

import datetime

import pytest

from tests.factories import MilestoneFactory, ZoneFactory, make_user
from workspace.models import ChangeRequest

pytestmark = pytest.mark.django_db


def test_a_form_post_over_the_memory_limit_is_refused_with_413_and_a_clear_message(
    client, settings
):
    zone = ZoneFactory(province__code="PK-PB")
    milestone = MilestoneFactory(
        zone=zone, status="in_progress", planned_date=datetime.date(2024, 1, 1)
    )
    client.force_login(make_user("editor", provinces=["PK-PB"]))

    response = client.post(
        f"/workspace/edit/milestone/{milestone.pk}/",
        {"status": "done", "comment": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)},
    )

    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert "nothing was saved" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_a_request_with_too_many_fields_is_refused_with_a_clear_message(client, settings):
    query = "&".join(f"sector=s{i}" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    response = client.get(f"/zones/?{query}")

    assert response.status_code == 400
    assert "Too many fields in one request" in response.content.decode()


def test_an_overlong_search_is_a_validation_error_not_a_crash(client):
    ZoneFactory(slug="rashakai", name="Rashakai SEZ")

    page = client.get("/zones/", {"q": "ä" * 5000})
    api = client.get("/api/zones/", {"q": "ä" * 5000, "page": "9" * 40})

    assert page.status_code == 400
    assert api.status_code == 400
    assert set(api.json()) == {"q"}


def test_an_oversized_page_is_not_a_server_error(client):
    response = client.get("/zones/", {"page": "9" * 400})

    assert response.status_code == 400
