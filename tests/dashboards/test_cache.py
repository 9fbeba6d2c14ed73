"""The dashboards' cache: pages served stale while one request refreshes them, at most once
per refresh interval, and one build of a cold page however many visitors ask for it."""

from __future__ import annotations

import secrets
import threading
import time

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards import cache
from tests.factories import (
    FirmFactory,
    MilestoneFactory,
    OutageFactory,
    PlotFactory,
    SectorFactory,
    UtilityRequestFactory,
    ZoneFactory,
)

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
    # Longer than building the page takes on a busy machine (timed from the build's start).
    settings.DASHBOARDS_REFRESH_SECONDS = 3
    ZoneFactory(name="First Park")
    assert "First Park" in client.get("/").content.decode()

    ZoneFactory(name="Second Park")
    with CaptureQueriesContext(connection) as queries:
        soon = client.get("/").content.decode()
    time.sleep(3.1)
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
    cache.data_changed(sender=None)
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


# --- Zone fragments: each zone's charts and delivery section ---------------------------------


@pytest.mark.django_db
def test_an_edit_makes_its_own_zones_fragments_stale_not_the_others():
    first, second = ZoneFactory(), ZoneFactory()
    before = {zone.pk: cache.zone_version(zone.pk) for zone in (first, second)}

    MilestoneFactory(zone=first)

    assert cache.zone_version(first.pk) != before[first.pk]
    assert cache.zone_version(second.pk) == before[second.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [PlotFactory, UtilityRequestFactory, OutageFactory])
def test_every_kind_of_record_makes_its_zones_pages_stale(factory):
    """Records added after the cache was written (plots, requests, outages, ...) are followed
    too: the zone page and the dashboards show them without waiting out the cache."""
    first, second = ZoneFactory(), ZoneFactory()
    before = {zone.pk: cache.zone_version(zone.pk) for zone in (first, second)}
    pages_before = cache.data_version()

    factory(zone=first)

    assert cache.data_version() != pages_before
    assert cache.zone_version(first.pk) != before[first.pk]
    assert cache.zone_version(second.pk) == before[second.pk]


def test_every_record_model_is_followed_but_not_its_history():
    from django.db.models.signals import post_save

    followed = {model._meta.label for model in cache.tracked_models()}

    assert {"zones.Plot", "zones.OutageReport", "zones.ReportedTotal", "investors.Firm"} <= followed
    assert not any(label.split(".")[1].startswith("Historical") for label in followed)
    assert all(post_save.has_listeners(model) for model in cache.tracked_models())


@pytest.mark.django_db
def test_a_renamed_sector_makes_every_zones_fragments_stale():
    first, second = ZoneFactory(), ZoneFactory()
    before = [cache.zone_version(zone.pk) for zone in (first, second)]
    sector = SectorFactory()

    sector.name = "Renamed"
    sector.save()

    after = [cache.zone_version(zone.pk) for zone in (first, second)]
    assert all(new != old for new, old in zip(after, before, strict=True))


@pytest.mark.django_db(transaction=True)
def test_a_firm_moved_between_zones_refreshes_both_zones_charts():
    left, right = ZoneFactory(area_acres=100), ZoneFactory(area_acres=100)
    firm = FirmFactory(zone=left, allotted_acres=40)
    before = {zone.pk: cache.zone_version(zone.pk) for zone in (left, right)}

    firm.zone = right
    firm.save()  # the readiness recompute of both zones runs when this commits

    assert cache.zone_version(left.pk) != before[left.pk]
    assert cache.zone_version(right.pk) != before[right.pk]
    assert left.readiness_snapshots.latest("computed_at").occupancy == 0


@pytest.mark.django_db(transaction=True)
def test_a_zone_page_reuses_its_charts_while_other_zones_are_edited(client):
    shown, edited = ZoneFactory(), ZoneFactory()
    MilestoneFactory(zone=shown)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(shown.get_absolute_url()).status_code == 200
        return len(captured)

    first = queries()
    cached = queries()
    MilestoneFactory(zone=edited)
    after_another_zones_edit = queries()
    MilestoneFactory(zone=shown)
    after_its_own_edit = queries()

    assert cached < first
    assert after_another_zones_edit == cached
    assert after_its_own_edit == first


def test_a_page_that_becomes_an_error_is_no_longer_served_stale(settings):
    settings.DASHBOARDS_REFRESH_SECONDS = 0
    assert cache.cached_page(KEY, Builds()) == "page #1"
    cache.data_changed(sender=None)

    assert cache.cached_page(KEY, Builds(cacheable=False)) == "page #1"  # built, not kept
    assert django_cache.get(KEY) is None


def test_a_build_does_not_release_a_claim_taken_after_its_own_expired(settings):
    claim = cache._claim(KEY)
    django_cache.delete(cache._lock(KEY))  # our claim expired during a very slow build
    other = cache._claim(KEY)

    cache._build(KEY, "v", Builds(), claim)

    assert django_cache.get(cache._lock(KEY)) == other


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("/?junk={a}", "/?junk={b}&utm_source={b}"),
        ("/?sector=textiles&sector=steel&x={a}", "/?sector=steel&sector=textiles&sector=steel"),
        ("/provinces/PK-PB/?readiness_min=50&x={a}", "/provinces/PK-PB/?readiness_min=050.0&y={b}"),
        (
            "/delivery/?status=operational&q=dry+port&{a}=1",
            "/delivery/?q=+dry++port&status=operational",
        ),
    ],
)
def test_junk_reordered_and_repeated_parameters_are_served_from_the_cache(
    client, django_assert_num_queries, first, second
):
    """Junk parameters, another order, repeated values or another spelling of a number select
    the same zones: the second request is the first one's page, with no query at all, and
    that page carries nothing of the first request's junk (its links included)."""
    ZoneFactory(name="Dry Port Park", sectors=["textiles", "steel"])
    junk_a, junk_b = secrets.token_hex(8), secrets.token_hex(8)
    assert client.get(first.format(a=junk_a, b=junk_b)).status_code == 200

    with django_assert_num_queries(0):
        again = client.get(second.format(a=junk_a, b=junk_b))

    assert again.status_code == 200
    body = again.content.decode()
    assert junk_a not in body


@pytest.mark.django_db(transaction=True)
def test_different_filters_are_different_pages(client):
    ZoneFactory(name="Textile Park", sectors=["textiles"])
    ZoneFactory(name="Steel Park", sectors=["steel"])

    textiles = client.get("/?sector=textiles&junk=1").content.decode()
    steel = client.get("/?sector=steel&junk=1").content.decode()

    assert "Textile Park" in textiles and "Steel Park" not in textiles
    assert "Steel Park" in steel and "Textile Park" not in steel
