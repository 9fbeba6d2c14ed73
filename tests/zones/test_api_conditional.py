"""Asking the API again for what one holds: an ETag, a 304 without building it, a kept copy for the
public, and a new answer as soon as the records change."""

from __future__ import annotations

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MilestoneFactory, ZoneFactory, make_user

# Nothing is named or kept inside a transaction: these tests commit, as the server does.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    settings.DASHBOARDS_CACHE_SECONDS = 60
    django_cache.clear()
    yield
    django_cache.clear()


def test_a_client_holding_the_current_answer_gets_a_304_after_one_query(client):
    ZoneFactory(slug="rashakai", name="Rashakai SEZ")
    first = client.get("/api/zones/rashakai/")
    etag = first["ETag"]

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/api/zones/rashakai/", headers={"If-None-Match": etag})

    assert first.status_code == 200 and etag.startswith('"')
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert len(queries) == 1  # the zone's id: its detail is named by that zone's version


def test_an_edit_gives_a_new_answer_to_a_client_holding_the_old_one(client):
    zone = ZoneFactory(slug="rashakai")
    etag = client.get("/api/zones/rashakai/")["ETag"]

    MilestoneFactory(zone=zone, title="Grid station energised")
    after = client.get("/api/zones/rashakai/", headers={"If-None-Match": etag})

    assert after.status_code == 200
    assert after["ETag"] != etag
    titles = [milestone["title"] for milestone in after.json()["milestones"]]
    assert titles == ["Grid station energised"]


def test_the_public_is_served_a_kept_copy_until_the_records_change(client):
    ZoneFactory(slug="rashakai", name="Rashakai SEZ")
    first = client.get("/api/zones/?q=Rashakai")

    with CaptureQueriesContext(connection) as queries:
        second = client.get("/api/zones/?q=Rashakai")

    assert second.status_code == 200
    assert second.json() == first.json()
    assert second["Content-Type"] == "application/json"
    assert len(queries) == 0


def test_languages_and_filters_are_answered_and_named_apart(client):
    ZoneFactory(slug="rashakai", name="Rashakai SEZ", name_ur="رشکئی")
    english = client.get("/api/zones/rashakai/")
    urdu = client.get("/api/zones/rashakai/", headers={"Accept-Language": "ur"})
    urdu_again = client.get(
        "/api/zones/rashakai/", headers={"Accept-Language": "ur", "If-None-Match": english["ETag"]}
    )

    assert english.json()["name"] == "Rashakai SEZ"
    assert urdu.json()["name"] == "رشکئی"
    assert urdu["ETag"] != english["ETag"]
    assert urdu_again.status_code == 200 and urdu_again["Content-Language"] == "ur"
    assert client.get("/api/zones/?q=Gwadar")["ETag"] != client.get("/api/zones/")["ETag"]


def test_an_official_is_never_answered_with_the_publics_copy(client):
    zone = ZoneFactory(slug="rashakai", published=False)
    public = client.get("/api/zones/")
    official = make_user("official")
    client.force_login(official)

    seen = client.get("/api/zones/")
    not_modified = client.get("/api/zones/", headers={"If-None-Match": public["ETag"]})

    assert public.json()["count"] == 0
    assert [row["slug"] for row in seen.json()["results"]] == [zone.slug]
    assert not_modified.status_code == 200
    assert "private" in seen["Cache-Control"] and "no-cache" in seen["Cache-Control"]


def test_errors_are_neither_named_nor_kept(client):
    bad = client.get("/api/zones/?readiness_min=lots")
    missing = client.get("/api/zones/nowhere/")

    assert bad.status_code == 400 and not bad.has_header("ETag")
    assert missing.status_code == 404 and not missing.has_header("ETag")


def test_with_the_cache_off_nothing_is_named(client, settings):
    settings.DASHBOARDS_CACHE_SECONDS = 0
    ZoneFactory(slug="rashakai")

    assert not client.get("/api/zones/rashakai/").has_header("ETag")
