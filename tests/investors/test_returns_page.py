"""The zone page's annual returns: the yearly table, its four charts with their tables, the
firm table saying which year its figures come from; real returns only; a fixed number of
queries whatever the returns."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.zone_returns import render_zone_returns
from tests.factories import AnnualReturnFactory, FirmFactory, ZoneFactory
from tests.html import cells

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    zone = ZoneFactory(name="Rashakai SEZ", slug="rashakai")
    a = FirmFactory(zone=zone, name="Weaving Co")
    b = FirmFactory(zone=zone, name="Tiles Co")
    AnnualReturnFactory(
        firm=a, year=2023, employees=300, employees_local=240, employees_women=45,
        employees_trained=30, exports_usd=Decimal("2000000"), imports_usd=Decimal("1500000"),
        export_markets=["CN", "AE"],
    )  # fmt: skip
    AnnualReturnFactory(firm=b, year=2023, employees=100, export_markets=["CN"])
    AnnualReturnFactory(
        firm=a, year=2024, employees=320, employees_local=250, employees_women=64,
        exports_usd=Decimal("2100000"), imports_usd=Decimal("2600000"),
        export_markets=["CN", "AE", "GB"],
    )  # fmt: skip
    AnnualReturnFactory(firm=b, year=2025, employees=999, is_illustrative=True)
    return zone


def _rows(html: str) -> list[list[str]]:
    """The cells of each row of the yearly table's body."""
    table = html[html.index('id="returns-table"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [cells(row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def _figure(html: str, key: str) -> dict:
    match = re.search(
        rf'<script id="figure-{re.escape(key)}" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no figure {key}"
    return json.loads(match.group(1))


def test_the_zone_page_shows_the_yearly_table_and_charts(client, zone):
    html = client.get("/zones/rashakai/").content.decode()

    # The yearly table, by hand: 2023 local 240/300 = 80 %, women 45/300 = 15 %, net 0.5 M;
    # 2024 local 250/320 = 78 %, women 20 %, net -0.5 M, GB new. 2025 is illustrative: absent.
    assert _rows(html) == [
        ["2023", "2", "400", "80 %", "15 %", "30", "2,000,000", "1,500,000", "500,000", "AE, CN"],
        ["2024", "1", "320", "78 %", "20 %", "—", "2,100,000", "2,600,000", "-500,000", "GB"],
    ]
    employees = _figure(html, "zone-returns-employees")
    assert [t["name"] for t in employees["data"]] == ["Employees", "Local share", "Women's share"]
    assert employees["data"][0]["y"] == [400, 320]
    assert employees["data"][1]["y"] == [80.0, 78.1]
    trade = _figure(html, "zone-returns-trade")
    net = next(t for t in trade["data"] if t["name"] == "Net foreign exchange")
    assert net["y"] == [500000.0, -500000.0]
    assert _figure(html, "zone-returns-new-markets")["data"][0]["y"] == [2, 1]
    assert _figure(html, "zone-returns-trained")["data"][0]["y"] == [30]
    # Each chart has its table alternative, and links to the yearly table.
    for key in ("employees", "trained", "trade", "new-markets"):
        assert f'id="table-zone-returns-{key}"' in html
    assert 'href="#returns-table"' in html
    # The firm table says which year's return its figures come from.
    assert "(2024 return)" in html  # Weaving Co's latest
    assert "(2025 return)" in html  # Tiles Co's latest, illustrative or not: one source


def test_a_zone_without_returns_says_so(client):
    ZoneFactory(slug="empty-zone")
    html = client.get("/zones/empty-zone/").content.decode()
    assert "No firm of this zone has filed an annual return yet." in html
    assert "zone-returns-employees" not in html


def test_the_section_reads_in_two_queries_whatever_the_returns(zone):
    with CaptureQueriesContext(connection) as few:
        render_zone_returns(zone)
    for year in range(2015, 2023):
        AnnualReturnFactory(
            firm=FirmFactory(zone=zone), year=year, employees=10, export_markets=["SA"]
        )
    with CaptureQueriesContext(connection) as many:
        html = render_zone_returns(zone)
    assert len(few) == len(many) == 2
    assert "2015" in html


def test_a_saved_return_shows_at_once(client, zone, settings):
    settings.DASHBOARDS_CACHE_SECONDS = 60
    client.get("/zones/rashakai/")
    AnnualReturnFactory(firm=FirmFactory(zone=zone), year=2022, employees=7)
    html = client.get("/zones/rashakai/").content.decode()
    assert _rows(html)[0][:3] == ["2022", "1", "7"]
