"""``plot_min``: zones with at least one available, non-amenity plot of at least that many
acres; the same zones on the finder page, the API, both exports and the dashboards."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import FirmFactory, PlotFactory, ZoneFactory
from tests.investors.test_finder import SURFACES

pytestmark = pytest.mark.django_db


@pytest.fixture
def zones():
    big = ZoneFactory(slug="big", name="Big Plot Zone")
    PlotFactory(zone=big, acres=Decimal("25"))
    PlotFactory(zone=big, acres=Decimal("2"))
    small = ZoneFactory(slug="small", name="Small Plot Zone")
    PlotFactory(zone=small, acres=Decimal("19.99"))
    # 40 acres, but none of it offered: amenity land, an allotted plot, a cancelled one
    taken = ZoneFactory(slug="taken", name="Taken Zone")
    PlotFactory(zone=taken, acres=Decimal("40"), land_use="amenity")
    firm = FirmFactory(zone=taken)
    PlotFactory(
        zone=taken, acres=Decimal("40"), status="allotted", firm=firm, allotted_on="2024-01-01"
    )
    PlotFactory(zone=taken, acres=Decimal("40"), status="cancelled")
    ZoneFactory(slug="none", name="No Plot Zone")


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("plot_min=20", {"big"}),
        ("plot_min=19.99", {"big", "small"}),
        ("plot_min=0", {"big", "small"}),  # any offered plot at all
        ("plot_min=26", set()),
        ("plot_min=2&province=PK-PB", {"big", "small"}),
    ],
)
def test_plot_min_gives_the_same_zones_everywhere(client, zones, surface, query, expected):
    assert set(SURFACES[surface](client, query)) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("plot_min=-1", "greater than or equal to 0"),
        ("plot_min=lots", "Enter a number."),
        ("plot_min=" + "9" * 400, "less than or equal to"),
    ],
)
def test_bad_plot_min_is_refused_with_a_clear_message(client, query, message):
    page = client.get(f"/zones/?{query}")
    api = client.get(f"/api/zones/?{query}")
    assert page.status_code == 400 and message in page.content.decode()
    assert api.status_code == 400 and any(message in text for text in api.json()["plot_min"])


def test_the_empty_finder_explains_what_plot_min_removed(client, zones):
    html = client.get("/zones/?plot_min=26").content.decode()
    assert "Plot available of at least (acres)" in html


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/zones/?plot_min=5", "/api/zones/?plot_min=5", "/?plot_min=5"])
def test_plot_min_costs_no_query_per_zone(client, url, django_assert_max_num_queries):
    for index in range(2):
        PlotFactory(zone=ZoneFactory(slug=f"few-{index}"), acres=Decimal(10))
    few = _queries(client, url)
    for index in range(20):
        PlotFactory(zone=ZoneFactory(slug=f"many-{index}"), acres=Decimal(10))
    many = _queries(client, url)
    assert many == few
