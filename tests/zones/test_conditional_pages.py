"""A browser reloading a zone page or the finder it already holds: a 304 without building the
page again, unless the records changed or a message is waiting to be shown."""

from __future__ import annotations

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache as django_cache
from django.db import connection
from django.http import HttpRequest
from django.test.utils import CaptureQueriesContext

from tests.factories import MilestoneFactory, ZoneFactory, make_user

# Nothing is named inside a transaction: these tests commit, as the server does.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    settings.DASHBOARDS_CACHE_SECONDS = 60
    django_cache.clear()
    yield
    django_cache.clear()


@pytest.mark.parametrize("url", ["/zones/rashakai/", "/zones/?q=Rashakai"])
def test_a_page_the_browser_holds_is_answered_with_a_304(client, url):
    ZoneFactory(slug="rashakai", name="Rashakai SEZ")
    first = client.get(url)

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert first.status_code == 200 and "Rashakai SEZ" in first.content.decode()
    assert again.status_code == 304 and again.content == b""
    # The public's zone page is named by its zone's version: one query finds the zone's id.
    assert len(queries) == (1 if url == "/zones/rashakai/" else 0)


def test_an_edit_gives_the_browser_the_new_page(client):
    zone = ZoneFactory(slug="rashakai")
    etag = client.get("/zones/rashakai/")["ETag"]

    MilestoneFactory(zone=zone, title="Grid station energised")
    after = client.get("/zones/rashakai/", headers={"If-None-Match": etag})

    assert after.status_code == 200
    assert "Grid station energised" in after.content.decode()


def test_each_language_and_each_viewer_has_its_own_page(client):
    ZoneFactory(slug="rashakai")
    english = client.get("/zones/rashakai/")["ETag"]
    urdu = client.get("/ur/zones/rashakai/", headers={"If-None-Match": english})
    client.force_login(make_user("official"))
    official = client.get("/zones/rashakai/", headers={"If-None-Match": english})

    assert urdu.status_code == 200 and urdu["ETag"] != english
    assert official.status_code == 200 and "private" in official["Cache-Control"]


def test_a_waiting_message_is_shown_not_answered_with_a_304(client):
    ZoneFactory(slug="rashakai")
    etag = client.get("/zones/rashakai/")["ETag"]
    storage = CookieStorage(HttpRequest())
    storage.add(constants.SUCCESS, "Search “Textiles in Sindh” saved.")
    cookie = storage._encode(list(storage._queued_messages))
    client.cookies["messages"] = cookie

    response = client.get("/zones/rashakai/", headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert "Textiles in Sindh" in response.content.decode()
