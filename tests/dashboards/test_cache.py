"""The dashboards' cache: pages served stale while one request refreshes them, at most once
per refresh interval, and one build of a cold page however many visitors ask for it."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import cache
from tests.factories import ZoneFactory

KEY = "dashboards:page:test"


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    settings.DASHBOARDS_CACHE_SECONDS = 60
    django_cache.clear()
    yield
    django_cache.clear()


class Builds:
    """A page builder that counts its calls and can be made slow."""

    def __init__(self, seconds: float = 0.0, cacheable: bool = True):
        self.calls = 0
        self.seconds = seconds
        self.cacheable = cacheable
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            self.calls += 1
            number = self.calls
        time.sleep(self.seconds)
        return self.cacheable, f"page #{number}"


@pytest.mark.django_db(transaction=True)
def test_a_save_reaches_the_dashboard_within_the_refresh_interval(client, settings):
    settings.DASHBOARDS_REFRESH_SECONDS = 1
    ZoneFactory(name="First Park")
    assert "First Park" in client.get("/").content.decode()

    ZoneFactory(name="Second Park")
    with CaptureQueriesContext(connection) as queries:
        soon = client.get("/").content.decode()
    time.sleep(1.1)
    client.get("/")  # the first visitor after the interval rebuilds the page
    later = client.get("/").content.decode()

    assert "Second Park" not in soon, "a page built less than the interval ago is served"
    assert len(queries) == 0
    assert "Second Park" in later


def test_a_cold_page_is_built_once_however_many_ask_at_once(settings):
    build = Builds(seconds=0.3)
    pages = []

    def visit():
        pages.append(cache.cached_page(KEY, build))

    visitors = [threading.Thread(target=visit) for _ in range(6)]
    for visitor in visitors:
        visitor.start()
    for visitor in visitors:
        visitor.join()

    assert build.calls == 1
    assert pages == ["page #1"] * 6


def test_a_stale_page_is_served_while_another_request_rebuilds_it(settings):
    settings.DASHBOARDS_REFRESH_SECONDS = 0
    build = Builds()
    assert cache.cached_page(KEY, build) == "page #1"
    cache.data_changed()
    assert cache._claim(KEY)  # another request is rebuilding it

    assert cache.cached_page(KEY, build) == "page #1"
    assert build.calls == 1

    django_cache.delete(cache._lock(KEY))  # that rebuild finished without storing a page
    assert cache.cached_page(KEY, build) == "page #2"
    assert cache.cached_page(KEY, build) == "page #2"


def test_an_unchanged_page_is_rebuilt_once_its_lifetime_is_over(settings):
    settings.DASHBOARDS_CACHE_SECONDS = 1
    settings.DASHBOARDS_REFRESH_SECONDS = 0
    build = Builds()
    cache.cached_page(KEY, build)
    assert cache.cached_page(KEY, build) == "page #1"

    time.sleep(1.1)

    assert cache.cached_page(KEY, build) == "page #2"


def test_a_page_that_may_not_be_kept_is_built_for_every_request(settings):
    build = Builds(cacheable=False)

    pages = [cache.cached_page(KEY, build) for _ in range(2)]

    assert pages == ["page #1", "page #2"]
    assert django_cache.get(cache._lock(KEY)) is None


def test_a_failed_build_does_not_keep_others_waiting(settings):
    def failing():
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        cache.cached_page(KEY, failing)
    started = time.monotonic()
    assert cache.cached_page(KEY, Builds()) == "page #1"
    assert time.monotonic() - started < 1
