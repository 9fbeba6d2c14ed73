"""Announced vs delivered in a real Chromium with every outside request blocked: the national
page and a zone's section draw every chart from our own static files, each with its table."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.browser.charts import scroll_to_every_chart
from tests.factories import FirmFactory, MilestoneFactory, TargetFactory, ZoneFactory

ALL_DRAWN = """() => {
  const plots = document.querySelectorAll('.plot[data-figure]');
  return plots.length > 0 && [...plots].every((p) => p.dataset.drawn);
}"""
NATIONAL_CHARTS = [
    "delivery-ranking",
    "delivery-totals",
    "delivery-age",
    "delivery-completion",
    "export-markets",
    "new-markets",
]
ZONE_CHARTS = ["zone-delivery", "zone-target-history", "zone-export-markets", "zone-new-markets"]


@pytest.fixture
def zones(transactional_db):
    created = []
    for name, code, jobs in (("Rashakai SEZ", "PK-KP", 0), ("Allama Iqbal City", "PK-PB", 1610)):
        zone = ZoneFactory(name=name, province__code=code)
        for year, value in ((2021, 200_000), (2023, 320_000)):
            TargetFactory(zone=zone, value=Decimal(value), announced_on=datetime.date(year, 1, 16))
        TargetFactory(
            zone=zone, metric="investment_usd", value=Decimal("400000000"),
            announced_on=datetime.date(2023, 2, 13),
        )  # fmt: skip
        MilestoneFactory(
            zone=zone, code="power_at_zero_point", title="Power at zero point", status="done",
            actual_date=datetime.date(2024, 1, 10),
        )  # fmt: skip
        TargetFactory(
            zone=zone, metric="completion_date", value=None, milestone_code="power_at_zero_point",
            target_date=datetime.date(2021, 12, 31), announced_on=datetime.date(2021, 8, 5),
        )  # fmt: skip
        FirmFactory(
            zone=zone, jobs_actual=jobs or None, investment_usd=Decimal("76000000"),
            exports_usd=Decimal("18000000"), export_markets=["US", "GB", "DE"],
        )  # fmt: skip
        created.append(zone)
    return created


def assert_charts_drawn(page, keys: list[str]) -> None:
    scroll_to_every_chart(page)
    page.wait_for_function(ALL_DRAWN)
    for key in keys:
        plot = page.locator(f"#chart-{key} .plot[data-figure]")
        assert plot.get_attribute("data-drawn") == "true", key
        assert plot.locator("svg.main-svg").count() >= 1, key
        assert page.locator(f"#table-{key} table").count() == 1, key
    assert page.probe.console_errors == []
    assert page.probe.blocked_requests == []


def test_the_national_view_draws_every_chart_offline_with_a_table_for_each(page, zones):
    page.goto(page.base_url + "/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Announced vs delivered"
    ).click()
    page.wait_for_url("**/delivery/")

    assert page.get_by_role("heading", name="Announced vs delivered", level=1).is_visible()
    assert_charts_drawn(page, NATIONAL_CHARTS)
    assert page.locator(".plot[data-figure]").count() == len(NATIONAL_CHARTS)
    ranking = page.locator("#chart-delivery-ranking")
    assert ranking.locator(".barlayer .trace").count() >= 2  # jobs and investment bars
    ranking.locator("summary").click()
    table = ranking.locator("table")
    assert table.is_visible()
    assert table.get_by_role("rowheader", name="Allama Iqbal City").first.is_visible()


def test_a_zones_view_draws_its_delivery_charts_offline_with_tables(page, zones):
    page.goto(page.base_url + "/delivery/")
    page.get_by_role("link", name="Rashakai SEZ").first.click()
    page.wait_for_url(f"**{zones[0].get_absolute_url()}#targets")

    assert page.get_by_role("heading", name="Announced targets and what was delivered").is_visible()
    assert_charts_drawn(page, ZONE_CHARTS)
    history = page.locator("#chart-zone-target-history")
    assert history.locator(".scatterlayer .trace").count() >= 3
    history.locator("summary").click()
    assert history.locator("table").get_by_role("cell", name="no (restated later)").is_visible()
    promises = page.locator("table.promises")
    assert promises.get_by_role("rowheader", name="Jobs").is_visible()
    assert promises.get_by_text("Delivered late").is_visible()
