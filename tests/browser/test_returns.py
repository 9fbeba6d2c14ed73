"""A visitor in a real Chromium opens a zone and reads its annual returns: the yearly table,
the four charts drawn, and a chart's numbers in its table alternative."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.charts import scroll_to_every_chart
from tests.factories import AnnualReturnFactory, FirmFactory, ZoneFactory

RETURN_CHARTS = (
    "zone-returns-employees",
    "zone-returns-trained",
    "zone-returns-trade",
    "zone-returns-new-markets",
)


@pytest.fixture
def zone():
    zone = ZoneFactory(name="Rashakai SEZ", slug="rashakai", province__code="PK-KP")
    weaving = FirmFactory(zone=zone, name="Weaving Co")
    tiles = FirmFactory(zone=zone, name="Tiles Co")
    AnnualReturnFactory(
        firm=weaving, year=2023, employees=300, employees_local=240, employees_women=45,
        employees_trained=30, exports_usd=Decimal(2_000_000), imports_usd=Decimal(1_500_000),
        export_markets=["CN", "AE"],
    )  # fmt: skip
    AnnualReturnFactory(
        firm=tiles, year=2024, employees=120, employees_local=120, employees_women=12,
        employees_trained=10, exports_usd=Decimal(400_000), imports_usd=Decimal(900_000),
        export_markets=["CN", "GB"],
    )  # fmt: skip
    return zone


@pytest.mark.django_db(transaction=True)
def test_a_visitor_reads_a_zones_yearly_returns_and_their_charts(page, zone):
    page.goto(page.base_url + "/zones/rashakai/")

    heading = page.get_by_role("heading", name="Annual returns: workers, trade and markets by year")
    heading.scroll_into_view_if_needed()
    expect(heading).to_be_visible()
    rows = page.locator("#returns-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("2023")
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("300")
    expect(rows.nth(0).locator("td").nth(2)).to_have_text("80 %")
    expect(rows.nth(1).locator("td").nth(7)).to_have_text("-500,000")  # net foreign exchange
    expect(rows.nth(1).locator("td").nth(8)).to_have_text("GB")  # CN was listed in 2023

    scroll_to_every_chart(page)
    for key in RETURN_CHARTS:
        plot = page.locator(f'.plot[data-figure="figure-{key}"]')
        expect(plot).to_have_attribute("data-drawn", "true")
        # Plotly drew real marks, not an empty frame.
        assert plot.locator(".point, .scatterlayer .trace path").count() > 0, key

    # The employees chart's table alternative holds the shares it draws.
    table = page.locator("#table-zone-returns-employees")
    table.locator("summary").click()
    cells = table.locator("tbody tr").nth(1).locator("th, td")
    expect(cells).to_have_text(["2024", "1", "120", "100.0", "10.0"])

    assert page.probe.blocked_requests == []
    assert page.probe.console_errors == []
