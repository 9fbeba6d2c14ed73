"""The dashboard pages: status, the finder's filters narrowing every chart, query budgets."""

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
from dashboards.zone_charts import render_zone_charts
from tests.factories import (
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    OutageFactory,
    PlotFactory,
    UtilityFactory,
    UtilityRequestFactory,
    ZoneFactory,
    make_user,
)
from zones.models import ReadinessSnapshot, Zone
from zones.vocabulary import FirmStatus, PlotStatus, ZoneStatus

WEIGHTS = {"utilities": "0.35", "land": "0.15", "milestones": "0.30", "occupancy": "0.20"}
pytestmark = pytest.mark.django_db

CHARTS = [
    "status-funnel",
    "readiness-distribution",
    "zone-map",
    "milestone-slippage",
    "utilities",
    "disputes",
    "firms",
    "readiness-history",
    "plot-allocation",
    "idle-plots",
    "utility-clock",
    "outage-hours",
]
#: Queries a dashboard may issue, whatever the number of zones (since issue 17: one says when
#: the aggregate tables were brought up to date; idle plots and the utility clock read their
#: sums and histograms in three more).
DASHBOARD_QUERY_BUDGET = 26
ZONE_CHARTS_QUERY_BUDGET = 3


def figure(response, key: str) -> dict:
    html = response.content.decode()
    match = re.search(
        rf'<script id="figure-{re.escape(key)}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no figure {key} on the page"
    return json.loads(match.group(1))


def trace_values(fig: dict, name: str | None = None, *, field: str = "x") -> list:
    values = []
    for trace in fig["data"]:
        if name is None or trace.get("name") == name:
            values.extend(trace.get(field) or [])
    return values


def zones_on_map(response) -> list[str]:
    return [
        row[0]
        for trace in figure(response, "zone-map")["data"]
        if trace["type"] == "scattergeo"
        for row in trace["customdata"]
    ]


def make_zone(**kwargs) -> Zone:
    """A zone with one of everything the charts count."""
    zone = ZoneFactory(**kwargs)
    UtilityFactory(zone=zone, kind="electricity", status="at_zero_point")
    DisputeFactory(zone=zone, affected_acres=Decimal("25"))
    MilestoneFactory(zone=zone, responsible="federal")
    FirmFactory(zone=zone)
    return zone


@pytest.fixture
def country():
    textiles_pb = make_zone(
        name="Faisalabad Textile City",
        province__code="PK-PB",
        sectors=["textiles"],
        status=ZoneStatus.OPERATIONAL,
    )
    textiles_sd = make_zone(
        name="Karachi Garment Park", province__code="PK-SD", sectors=["textiles"]
    )
    food_sd = make_zone(
        name="Thatta Food Park", province__code="PK-SD", sectors=["food-processing"]
    )
    Zone.objects.filter(pk=textiles_pb.pk).update(readiness_score=Decimal("62.5"))
    return {"textiles_pb": textiles_pb, "textiles_sd": textiles_sd, "food_sd": food_sd}


def test_national_dashboard_draws_every_chart_with_its_table(client, country):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    for key in CHARTS:
        assert figure(response, key)["data"] is not None
        assert f'id="table-{key}"' in html
    assert "Show the numbers as a table" in html
    funnel = figure(response, "status-funnel")
    assert trace_values(funnel) == [3, 3, 3, 3, 1]
    assert "Headline figures" in html


def test_headline_says_not_yet_computed_until_a_zone_is_scored(client):
    ZoneFactory()

    response = client.get("/")

    assert "not yet computed" in response.content.decode()
    assert figure(response, "readiness-history")["layout"]["annotations"][0]["text"] == (
        "Readiness not yet computed: no snapshots recorded."
    )


def test_the_finders_filters_narrow_every_chart_at_once(client, country):
    response = client.get("/", {"sector": "textiles"})

    assert response.status_code == 200
    assert trace_values(figure(response, "status-funnel")) == [2, 2, 2, 2, 1]
    map_names = zones_on_map(response)
    assert "Thatta Food Park" not in map_names
    assert {"Faisalabad Textile City", "Karachi Garment Park"} <= set(map_names)
    firms = figure(response, "firms")
    assert sum(trace_values(firms, field="y")) == 2
    disputes = figure(response, "disputes")
    assert sorted(trace_values(disputes, field="y")) == [25.0, 25.0]
    utilities = figure(response, "utilities")
    assert trace_values(utilities, "Delivered to zero point")[0] == 2
    assert 'href="/zones/?sector=textiles"' in response.content.decode()


def test_filters_combine_as_in_the_finder(client, country):
    response = client.get("/", {"sector": "textiles", "province": "PK-SD"})

    map_names = zones_on_map(response)
    assert map_names == ["Karachi Garment Park"]


def test_an_invalid_filter_is_explained_not_ignored(client, country):
    response = client.get("/", {"status": "flying"})

    assert response.status_code == 400
    assert "Unknown status" in response.content.decode()
    assert 'id="figure-' not in response.content.decode()


def test_province_page_covers_only_its_zones(client, country):
    response = client.get("/provinces/pk-sd/", {"province": "PK-PB"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Karachi Garment Park" in html and "Thatta Food Park" in html
    assert "Faisalabad Textile City" not in html
    assert trace_values(figure(response, "status-funnel"))[0] == 2
    assert figure(response, "zone-map")["data"][0]["locations"] == ["PK-SD"]
    assert 'href="/zones/?province=PK-SD"' in html


def test_province_page_takes_the_finders_filters(client, country):
    response = client.get("/provinces/PK-SD/", {"sector": "food-processing"})

    map_names = zones_on_map(response)
    assert map_names == ["Thatta Food Park"]


def test_unknown_province_is_not_found(client):
    assert client.get("/provinces/PK-XX/").status_code == 404


def test_unpublished_zones_stay_out_of_the_public_dashboard(client):
    ZoneFactory(name="Secret Park", published=False)
    ZoneFactory(name="Open Park")

    response = client.get("/")

    html = response.content.decode()
    assert "Open Park" in html and "Secret Park" not in html
    assert trace_values(figure(response, "status-funnel"))[0] == 1


def test_national_page_keeps_a_section_per_province_linking_its_zones(client, country):
    response = client.get("/")

    html = response.content.decode()
    punjab = html[html.index('id="province-PK-PB"') : html.index('id="province-PK-SD"')]
    assert 'href="/provinces/PK-PB/"' in punjab
    assert f'href="{country["textiles_pb"].get_absolute_url()}"' in punjab


def _queries(client, url: str) -> int:
    """The page's own queries: the aggregate tables brought up to date first, as the worker
    would have a moment after the edits (the catch-up middleware then has nothing to do)."""
    aggregates_refresh_uncommitted()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/provinces/PK-SD/",
        "/?sector=textiles&status=under_development",
        "/provinces/PK-SD/?free_land_min=10&q=zone",
    ],
)
def test_dashboard_queries_do_not_grow_with_the_number_of_zones(
    client, django_assert_max_num_queries, url
):
    make_zone(province__code="PK-SD", sectors=["textiles"])
    few = _queries(client, url)
    for _ in range(12):
        zone = make_zone(province__code="PK-SD", sectors=["textiles", "steel"])
        MilestoneFactory(zone=zone, responsible="developer", actual_date=datetime.date(2024, 1, 1))
        firm = FirmFactory(zone=zone, status=FirmStatus.ALLOTTED, origin_country="CN")
        PlotFactory(zone=zone, firm=firm, status=PlotStatus.ALLOTTED,
                    allotted_on=datetime.date(2020, 1, 1))  # fmt: skip
        PlotFactory(zone=zone)
        UtilityRequestFactory(zone=zone, firm=firm, provider=f"Provider {zone.pk}")
        OutageFactory(
            zone=zone,
            month=(timezone.localdate().replace(day=1) - datetime.timedelta(days=40)).replace(
                day=1
            ),
        )
    aggregates_refresh_uncommitted()  # the worker's catch-up, outside the page's budget
    with django_assert_max_num_queries(DASHBOARD_QUERY_BUDGET):
        many = _queries(client, url)

    assert many == few


def _zone_charts_queries(zone: Zone) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        html = render_zone_charts(zone, today=timezone.localdate())
    return len(queries), html


def test_zone_charts_load_their_data_in_a_fixed_number_of_queries():
    small, large = ZoneFactory(), ZoneFactory()
    MilestoneFactory(zone=small)
    for kind in ("electricity", "gas", "water", "road", "rail"):
        UtilityFactory(zone=large, kind=kind)
    for _ in range(6):
        MilestoneFactory(zone=large)
    for day in range(1, 5):
        ReadinessSnapshot.objects.create(
            zone=large,
            score=Decimal(day * 10),
            utilities=Decimal("0.1"),
            land=Decimal("1"),
            milestones=Decimal("0.5"),
            occupancy=Decimal("0"),
            weights=WEIGHTS,
            profile_version=1,
            computed_at=datetime.datetime(2025, 1, day, tzinfo=datetime.UTC),
            inputs_digest=str(day),
        )

    small_count, _html = _zone_charts_queries(small)
    large_count, html = _zone_charts_queries(large)

    assert small_count == large_count <= ZONE_CHARTS_QUERY_BUDGET
    assert 'id="figure-zone-readiness-history"' in html
    assert 'id="figure-zone-milestones"' in html
    assert 'id="figure-zone-utilities"' in html


def test_zone_page_shows_its_charts(client):
    zone = make_zone(name="Rashakai")

    response = client.get(zone.get_absolute_url())

    assert response.status_code == 200
    milestones = figure(response, "zone-milestones")
    assert any(t.get("name") == "Baseline (first plan)" for t in milestones["data"])
    utilities = figure(response, "zone-utilities")
    assert utilities["data"][0]["x"][0] == "Delivered to zero point"
    assert "Readiness not yet computed for this zone." in response.content.decode()


def test_figure_json_cannot_close_its_script_element(client):
    make_zone(name="</script><script>alert(1)</script>")

    response = client.get("/")

    html = response.content.decode()
    assert "</script><script>alert(1)" not in html
    names = zones_on_map(response)
    # Escaped for Plotly's HTML subset, which shows it as written (dashboards.figures.escaped).
    assert names == ["&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"]


# --- The short-lived cache of rendered dashboards -------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_rendered_dashboard_is_reused_until_the_data_change(client, settings):
    settings.DASHBOARDS_CACHE_SECONDS = 60
    make_zone(name="First Park")
    assert client.get("/").status_code == 200

    with CaptureQueriesContext(connection) as queries:
        again = client.get("/")
    assert again.status_code == 200
    assert len(queries) == 0
    assert "First Park" in again.content.decode()

    make_zone(name="Second Park")
    after = client.get("/")
    assert "Second Park" in after.content.decode()
    assert trace_values(figure(after, "status-funnel"))[0] == 2


@pytest.mark.django_db(transaction=True)
def test_the_cache_keeps_filtered_pages_and_viewers_apart(client, settings):
    settings.DASHBOARDS_CACHE_SECONDS = 60
    make_zone(name="Loom Park", sectors=["textiles"])
    make_zone(name="Steel Park", sectors=["steel"])
    ZoneFactory(name="Hidden Park", published=False)

    assert "Steel Park" in client.get("/").content.decode()
    assert zones_on_map(client.get("/", {"sector": "textiles"})) == ["Loom Park"]
    assert "Hidden Park" not in client.get("/").content.decode()
    client.force_login(make_user("official"))
    assert "Hidden Park" in client.get("/").content.decode()
    client.logout()
    assert "Hidden Park" not in client.get("/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_no_cache_when_its_lifetime_is_zero(client, settings):
    settings.DASHBOARDS_CACHE_SECONDS = 0
    make_zone()
    client.get("/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/")

    assert len(queries) > 0


@pytest.mark.parametrize("path", ["/", "/provinces/PK-GB/", "/delivery/"])
def test_every_figure_a_page_sends_is_a_valid_plotly_figure(client, country, path):
    """The figures' layouts are built unvalidated for speed (``dashboards.figures.figure``):
    each one the page sends, with data or saying there is none, must pass plotly's checks."""
    import plotly.graph_objects as go

    html = client.get(path).content.decode()
    found = re.findall(r'<script id="figure-[^"]+" type="application/json">(.*?)</script>', html)
    assert found
    for text in found:
        go.Figure(json.loads(text))  # raises on any property plotly does not know


def test_a_province_without_zones_says_so_in_every_chart(client, country):
    response = client.get("/provinces/PK-GB/")

    assert response.status_code == 200
    funnel = figure(response, "status-funnel")
    assert funnel["layout"]["annotations"][0]["text"] == "No zones match these filters."
    assert "No zones recorded in this province yet." in response.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/", "/delivery/"])
def test_the_cache_keeps_pages_counting_illustrative_records_apart(client, settings, path):
    settings.DASHBOARDS_CACHE_SECONDS = 60
    make_zone(name="Loom Park")

    real_only = client.get(path).content.decode()
    including = client.get(path, {"illustrative": "include"}).content.decode()
    real_again = client.get(path, {"illustrative": "exclude", "junk": "1"}).content.decode()

    assert "Include illustrative records" in real_only
    assert "Show real records only" in including
    assert "Include illustrative records" in real_again
