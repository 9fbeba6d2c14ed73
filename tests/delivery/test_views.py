"""The national "announced vs delivered" page and a zone's section: every chart with its table,
the finder's filters, visibility, constant query budgets, the cache following target changes."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aggregates.services import aggregates_refresh_uncommitted
from tests.factories import FirmFactory, MilestoneFactory, TargetFactory, ZoneFactory, make_user
from zones.models import Target, Zone
from zones.page import zone_delivery_html

pytestmark = pytest.mark.django_db

NATIONAL_CHARTS = [
    "delivery-ranking",
    "delivery-totals",
    "delivery-age",
    "delivery-completion",
    "export-markets",
    "new-markets",
]
ZONE_CHARTS = ["zone-delivery", "zone-target-history", "zone-export-markets", "zone-new-markets"]
#: Queries the national page may issue, whatever the number of zones (one of them since issue
#: 17: when the aggregate tables were brought up to date).
DELIVERY_QUERY_BUDGET = 11
#: Five, and the reported totals beside the delivered figures: one query, two when there are some.
ZONE_SECTION_QUERY_BUDGET = 7


def figure(response, key: str) -> dict:
    html = response.content.decode()
    match = re.search(
        rf'<script id="figure-{re.escape(key)}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no figure {key} on the page"
    return json.loads(match.group(1))


def promising_zone(name: str, *, code: str = "PK-PB", sectors=("textiles",), jobs=150) -> Zone:
    """A zone with restated jobs targets, an investment target, a completion date, and firms."""
    zone = ZoneFactory(name=name, province__code=code, sectors=list(sectors))
    TargetFactory(zone=zone, value=Decimal("1000"), announced_on=datetime.date(2020, 1, 1))
    TargetFactory(zone=zone, value=Decimal("2000"), announced_on=datetime.date(2022, 1, 1))
    TargetFactory(
        zone=zone, metric="investment_usd", value=Decimal("5000000"),
        announced_on=datetime.date(2021, 3, 1), target_date=datetime.date(2024, 12, 31),
    )  # fmt: skip
    MilestoneFactory(zone=zone, code="power_at_zero_point", title="Power at zero point")
    TargetFactory(
        zone=zone, metric="completion_date", value=None, milestone_code="power_at_zero_point",
        target_date=datetime.date(2021, 12, 31), announced_on=datetime.date(2021, 8, 5),
    )  # fmt: skip
    FirmFactory(
        zone=zone, jobs_actual=jobs, investment_usd=Decimal("1000000"), export_markets=["US", "DE"],
        exports_usd=Decimal("250000"), allotted_on=datetime.date(2021, 6, 1),
    )  # fmt: skip
    return zone


@pytest.fixture
def country():
    return {
        "faisalabad": promising_zone("Faisalabad Textile City", jobs=1000),
        "thatta": promising_zone("Thatta Food Park", code="PK-SD", sectors=["food-processing"]),
    }


def test_the_national_page_draws_every_chart_with_its_table(client, country):
    response = client.get("/delivery/")

    html = response.content.decode()
    assert response.status_code == 200
    for key in NATIONAL_CHARTS:
        assert figure(response, key)["data"], key
        assert f'id="table-{key}"' in html
    ranking = figure(response, "delivery-ranking")
    jobs = next(t for t in ranking["data"] if t["name"] == "Jobs")
    assert jobs["y"] == ["Faisalabad Textile City", "Thatta Food Park"]
    assert jobs["x"] == [50.0, 7.5]
    assert "Totals announced vs delivered" in html
    assert "1,150 delivered of 4,000 announced, in 2 zones" in html
    assert 'href="/zones/?sort=-delivery"' in html  # the rows behind the charts
    assert "Totals brought up to date at" in html  # from the aggregate tables


def test_the_national_dashboard_and_the_navigation_link_here(client, country):
    html = client.get("/").content.decode()

    assert html.count('href="/delivery/"') >= 2


def test_the_finders_filters_narrow_every_figure(client, country):
    response = client.get("/delivery/", {"sector": "food-processing"})

    ranking = figure(response, "delivery-ranking")
    assert {y for t in ranking["data"] for y in t["y"]} == {"Thatta Food Park"}
    totals = figure(response, "delivery-totals")
    announced = next(t for t in totals["data"] if t["xaxis"] == "x" and "Announced" in t["name"])
    assert announced["y"] == [2000]
    assert "Faisalabad Textile City" not in response.content.decode()
    assert 'href="/zones/?sector=food-processing&amp;sort=-delivery"' in response.content.decode()


def test_an_invalid_filter_is_explained(client, country):
    response = client.get("/delivery/", {"province": "PK-XX"})

    assert response.status_code == 400
    assert "Unknown province code" in response.content.decode()


def test_unpublished_zones_stay_out_for_the_public_and_show_for_officials(client, country):
    hidden = promising_zone("Hidden Park")
    Zone.objects.filter(pk=hidden.pk).update(published=False)

    assert "Hidden Park" not in client.get("/delivery/").content.decode()
    client.force_login(make_user("official"))
    assert "Hidden Park" in client.get("/delivery/").content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/delivery/", "/delivery/?sector=textiles&province=PK-PB"])
def test_the_national_page_queries_do_not_grow_with_the_number_of_zones(
    client, django_assert_max_num_queries, url
):
    promising_zone("First")
    aggregates_refresh_uncommitted()  # the worker's catch-up after the edits, outside the count
    few = _queries(client, url)
    for index in range(12):
        promising_zone(f"Zone {index}")
        ZoneFactory(sectors=["textiles"])  # no target at all
    aggregates_refresh_uncommitted()
    with django_assert_max_num_queries(DELIVERY_QUERY_BUDGET):
        many = _queries(client, url)

    assert many == few


def _zone_section(zone: Zone) -> tuple[int, str]:
    aggregates_refresh_uncommitted()  # the worker's catch-up after the edits
    with CaptureQueriesContext(connection) as queries:
        html = zone_delivery_html(zone, today=timezone.localdate())
    return len(queries), html


def test_a_zones_section_loads_in_a_fixed_number_of_queries():
    small = promising_zone("Small")
    large = promising_zone("Large")
    for year in range(2010, 2020):
        TargetFactory(zone=large, value=Decimal(year), announced_on=datetime.date(year, 1, 1))
        FirmFactory(zone=large, export_markets=["AE"])

    small_count, _html = _zone_section(small)
    large_count, html = _zone_section(large)

    assert small_count == large_count <= ZONE_SECTION_QUERY_BUDGET
    for key in ZONE_CHARTS:
        assert f'id="figure-{key}"' in html


def test_the_zone_page_holds_each_current_target_against_the_records(client):
    zone = promising_zone("Rashakai", jobs=300)

    response = client.get(zone.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    for key in ZONE_CHARTS:
        assert f'id="table-{key}"' in html
    shares = figure(response, "zone-delivery")["data"][0]
    assert shares["y"] == ["Jobs", "Investment (USD)"]
    assert shares["x"] == [15.0, 20.0]
    history = figure(response, "zone-target-history")
    statements = [t for t in history["data"] if t["name"].startswith("Statement")]
    assert statements[0]["x"] == ["2020-01-01", "2022-01-01"]
    assert statements[0]["y"] == [1000, 2000]
    assert "Every statement, newest first" in html
    assert "Promised date passed, not delivered" in html  # investment due 2024, 20 % delivered


def test_a_zone_without_targets_or_markets_draws_no_delivery_chart(client):
    zone = ZoneFactory()

    html = client.get(zone.get_absolute_url()).content.decode()

    assert "No announced targets recorded." in html
    assert "figure-zone-delivery" not in html


@pytest.mark.django_db(transaction=True)
def test_a_restated_target_shows_at_once_though_pages_are_cached(client, settings):
    settings.DASHBOARDS_CACHE_SECONDS = 60
    zone = promising_zone("Rashakai")
    first = figure(client.get("/delivery/"), "delivery-ranking")

    Target.objects.create(
        zone=zone, metric="jobs", value=Decimal("150"), announced_on=datetime.date(2024, 1, 1),
        source_url="https://example.org/restated",
    )  # fmt: skip
    after = figure(client.get("/delivery/"), "delivery-ranking")
    page = client.get(zone.get_absolute_url()).content.decode()

    jobs = [next(t for t in f["data"] if t["name"] == "Jobs")["x"] for f in (first, after)]
    assert jobs == [[7.5], [100.0]]
    assert "https://example.org/restated" in page
