"""A browser reloading a zone page or the finder it already holds: a 304 without building the
page again, unless the records changed or a message is waiting to be shown. Another visitor
who is not signed in gets the public's kept copy, with a CSRF token of their own; a signed-in
editor never does; a zone's page outlives edits to other zones."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache as django_cache
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import MilestoneFactory, ZoneFactory, make_user

# Nothing is named inside a transaction: these tests commit, as the server does.
pytestmark = pytest.mark.django_db(transaction=True)

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


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


@pytest.mark.parametrize("url", ["/zones/rashakai/", "/zones/?q=Rashakai"])
def test_a_second_visitor_gets_the_kept_page_with_a_token_of_their_own(url):
    ZoneFactory(slug="rashakai", name="Rashakai SEZ")
    first = Client().get(url)
    visitor = Client(enforce_csrf_checks=True)

    with CaptureQueriesContext(connection) as queries:
        second = visitor.get(url)
    switched = visitor.post(
        "/i18n/setlang/",
        {"language": "ur", "next": url, "csrfmiddlewaretoken": TOKEN.search(second.text)[1]},
    )

    assert second.status_code == 200 and "Rashakai SEZ" in second.text
    assert len(queries) <= 1  # a zone page finds its zone's id to name the copy by
    assert TOKEN.search(second.text)[1] != TOKEN.search(first.text)[1]
    assert switched.status_code == 302  # the token works with this visitor's own cookie


def test_the_kept_zone_page_changes_after_an_edit_to_the_zone():
    zone = ZoneFactory(slug="rashakai")
    Client().get("/zones/rashakai/")

    MilestoneFactory(zone=zone, title="Grid station energised")
    after = Client().get("/zones/rashakai/")

    assert "Grid station energised" in after.text


def test_the_kept_finder_page_changes_after_an_edit():
    zone = ZoneFactory(slug="rashakai", name="Rashakai SEZ")
    Client().get("/zones/?q=Rashakai")

    zone.name = "Rashakai Special Economic Zone"
    zone.save()
    after = Client().get("/zones/?q=Rashakai")

    assert "Rashakai Special Economic Zone" in after.text


def test_an_edit_to_another_zone_leaves_the_zone_page_kept():
    ZoneFactory(slug="rashakai")
    elsewhere = ZoneFactory(slug="dhabeji")
    first = Client().get("/zones/rashakai/")

    MilestoneFactory(zone=elsewhere)
    with CaptureQueriesContext(connection) as queries:
        again = Client().get("/zones/rashakai/", headers={"If-None-Match": first["ETag"]})
        copy = Client().get("/zones/rashakai/")

    assert again.status_code == 304
    assert copy.status_code == 200 and len(queries) == 2  # each: the zone's id, nothing more


def test_an_api_detail_held_by_a_client_outlives_edits_to_other_zones(client):
    zone = ZoneFactory(slug="rashakai")
    elsewhere = ZoneFactory(slug="dhabeji")
    etag = client.get("/api/zones/rashakai/")["ETag"]

    MilestoneFactory(zone=elsewhere)
    unchanged = client.get("/api/zones/rashakai/", headers={"If-None-Match": etag})
    MilestoneFactory(zone=zone, title="Grid station energised")
    changed = client.get("/api/zones/rashakai/", headers={"If-None-Match": etag})

    assert unchanged.status_code == 304
    assert changed.status_code == 200
    assert [m["title"] for m in changed.json()["milestones"]] == ["Grid station energised"]


@pytest.mark.parametrize("url", ["/zones/rashakai/", "/zones/?q=Rashakai"])
def test_a_signed_in_editor_never_gets_the_publics_copy(url):
    zone = ZoneFactory(slug="rashakai", name="Rashakai SEZ")
    public = Client().get(url)
    editor = Client()
    editor.force_login(make_user("editor", zones=[zone]))

    seen = editor.get(url)
    held = editor.get(url, headers={"If-None-Match": public["ETag"]})

    assert "Sign out" not in public.text
    assert seen.status_code == 200 and "Sign out" in seen.text and "Workspace" in seen.text
    assert held.status_code == 200 and seen["ETag"] != public["ETag"]
    assert "private" in seen["Cache-Control"]


@pytest.mark.parametrize("url", ["/zones/?q=Rashakai", "/api/zones/?q=Rashakai"])
def test_the_publics_lists_show_a_save_within_the_refresh_interval(settings, url):
    """Under the editors' saves the public's finder pages and API lists stay kept: a save
    shows there within DASHBOARDS_REFRESH_SECONDS (the first after a quiet spell at once),
    to a signed-in user at once."""
    settings.DASHBOARDS_REFRESH_SECONDS = 1
    zone = ZoneFactory(slug="rashakai", name="Rashakai SEZ")
    zone.name = "Rashakai Industrial Zone"
    zone.save()
    quiet_spell = Client().get(url)

    zone.name = "Rashakai Special Economic Zone"
    zone.save()
    with CaptureQueriesContext(connection) as queries:
        soon_after = Client().get(url)
    editor = Client()
    editor.force_login(make_user("editor", zones=[zone]))
    signed_in = editor.get(url)
    time.sleep(1.1)
    later = Client().get(url)

    assert "Rashakai Industrial Zone" in quiet_spell.content.decode()
    assert "Rashakai Industrial Zone" in soon_after.content.decode() and len(queries) == 0
    assert "Rashakai Special Economic Zone" in signed_in.content.decode()
    assert "Rashakai Special Economic Zone" in later.content.decode()
