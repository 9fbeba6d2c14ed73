"""The dashboards in a real Chromium with every outside request blocked: each chart is drawn
from our own static files (plotly.js, the base map, the province boundaries)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.browser.charts import scroll_to_every_chart
from tests.factories import (
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    OutageFactory,
    PlotFactory,
    UtilityFactory,
    UtilityRequestFactory,
    ZoneFactory,
)
from zones import plot_rules
from zones.models import Province, ReadinessSnapshot, Zone

#: The national and province pages' charts: eight, and the four of plots, the clock and outages.
CHARTS = 12
WEIGHTS = {"utilities": "0.35", "land": "0.15", "milestones": "0.30", "occupancy": "0.20"}
ALL_DRAWN = """() => {
  const plots = document.querySelectorAll('.plot[data-figure]');
  return plots.length > 0 && [...plots].every((p) => p.dataset.drawn);
}"""


@pytest.fixture
def zones(transactional_db):
    created = []
    for name, code, lat, lon, score in [
        ("Rashakai SEZ", "PK-KP", "34.0153", "71.9747", "48.2"),
        ("Dhabeji SEZ", "PK-SD", "24.7800", "67.5000", "35.0"),
        ("Allama Iqbal Industrial City", "PK-PB", "31.4180", "73.0790", None),
    ]:
        zone = ZoneFactory(
            name=name, province__code=code, latitude=Decimal(lat), longitude=Decimal(lon)
        )
        UtilityFactory(zone=zone, kind="electricity", status="at_zero_point")
        UtilityFactory(zone=zone, kind="gas", status="under_construction")
        DisputeFactory(zone=zone, affected_acres=Decimal("120"))
        MilestoneFactory(
            zone=zone,
            responsible="federal",
            baseline_date=datetime.date(2020, 1, 1),
            planned_date=datetime.date(2023, 6, 1),
        )
        MilestoneFactory(
            zone=zone,
            responsible="developer",
            status="done",
            baseline_date=datetime.date(2019, 1, 1),
            planned_date=datetime.date(2019, 6, 1),
            actual_date=datetime.date(2019, 9, 1),
        )
        FirmFactory(zone=zone)
        tenant = FirmFactory(zone=zone, origin_country="CN", ownership="foreign", status="allotted")
        add_plots_and_supply(zone, tenant)
        if score:
            Zone.objects.filter(pk=zone.pk).update(readiness_score=Decimal(score))
            for days, value in ((60, Decimal(score) - 10), (0, Decimal(score))):
                ReadinessSnapshot.objects.create(
                    zone=zone,
                    score=value,
                    utilities=Decimal("0.4"),
                    land=Decimal("0.9"),
                    milestones=Decimal("0.5"),
                    occupancy=Decimal("0.1"),
                    weights=WEIGHTS,
                    profile_version=1,
                    computed_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days),
                    inputs_digest=str(days),
                )
        created.append(zone)
    return created


def add_plots_and_supply(zone, firm) -> None:
    """Plots (one idle for two years), a connected and a waiting request, and a month of
    outages as the developer and the tenants report them: the plot charts have data."""
    today = datetime.date.today()
    PlotFactory(
        zone=zone,
        acres=Decimal("12"),
        status="allotted",
        firm=firm,
        allotted_on=today - datetime.timedelta(days=800),
    )
    PlotFactory(zone=zone, acres=Decimal("30"))
    UtilityRequestFactory(
        zone=zone,
        firm=firm,
        provider="PESCO",
        status="connected",
        applied_on=today - datetime.timedelta(days=200),
        connected_on=today - datetime.timedelta(days=120),
    )
    UtilityRequestFactory(
        zone=zone, firm=firm, kind="gas", provider="SNGPL",
        applied_on=today - datetime.timedelta(days=300),
    )  # fmt: skip
    month = plot_rules.outage_window(today)[0]
    OutageFactory(zone=zone, month=month, reported_by="developer", hours=Decimal("20"))
    OutageFactory(zone=zone, month=month, reported_by="tenant", hours=Decimal("65"))


def assert_every_chart_drawn(page, expected: int) -> None:
    scroll_to_every_chart(page)
    page.wait_for_function(ALL_DRAWN)
    plots = page.locator(".plot[data-figure]")
    assert plots.count() == expected
    for index in range(expected):
        plot = plots.nth(index)
        assert plot.get_attribute("data-drawn") == "true", plot.get_attribute("data-figure")
        assert plot.locator("svg.main-svg").count() >= 1
    assert page.probe.console_errors == []
    assert page.probe.blocked_requests == []


def test_national_dashboard_draws_every_chart_offline(page, zones):
    page.goto(page.base_url + "/")

    assert_every_chart_drawn(page, CHARTS)
    map_chart = page.locator("#chart-zone-map")
    assert map_chart.locator("path.choroplethlocation").count() == Province.objects.count()
    assert map_chart.locator(".layer.land path").count() >= 1
    assert map_chart.locator(".scattergeo path.point").count() == 3
    section = page.locator("section", has=page.get_by_role("heading", name="Khyber Pakhtunkhwa"))
    assert section.get_by_role("link", name="Rashakai SEZ").is_visible()


def test_table_alternative_opens_with_the_charts_numbers(page, zones):
    page.goto(page.base_url + "/")
    scroll_to_every_chart(page)
    page.wait_for_function(ALL_DRAWN)

    page.locator("#table-disputes summary").click()

    table = page.locator("#table-disputes table")
    assert table.is_visible()
    assert table.get_by_role("rowheader", name="Sindh").is_visible()


def test_charts_are_drawn_as_the_reader_reaches_them_with_their_tables_already_there(page, zones):
    page.goto(page.base_url + "/")
    page.wait_for_load_state("networkidle")
    plots = page.locator(".plot[data-figure]")
    last = plots.last
    key = last.get_attribute("data-figure").removeprefix("figure-")

    # Far below the first screen: not drawn yet, its numbers already in the page.
    assert last.get_attribute("data-drawn") is None
    assert page.locator(f"#table-{key} table tbody tr").count() >= 1

    last.scroll_into_view_if_needed()
    page.wait_for_function("(plot) => plot.dataset.drawn === 'true'", arg=last.element_handle())
    assert last.locator("svg.main-svg").count() >= 1
    assert page.probe.console_errors == []


def test_a_chart_keeps_the_height_reserved_for_it_so_nothing_moves(page, zones):
    page.goto(page.base_url + "/")
    page.wait_for_load_state("domcontentloaded")
    sections = page.locator("section.chart")
    before = [sections.nth(i).bounding_box()["height"] for i in range(sections.count())]

    scroll_to_every_chart(page)

    after = [sections.nth(i).bounding_box()["height"] for i in range(sections.count())]
    assert len(before) == CHARTS
    assert after == pytest.approx(before, abs=1)
    assert page.probe.console_errors == []


def test_without_javascript_every_table_alternative_still_holds_the_numbers(
    browser, live_server, zones
):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")

        tables = page.locator("details.chart-table table")
        assert tables.count() == page.locator("section.chart").count() == CHARTS
        page.locator("#table-disputes summary").click()
        table = page.locator("#table-disputes table")
        assert table.is_visible()
        assert table.get_by_role("rowheader", name="Sindh").is_visible()
    finally:
        context.close()


def test_the_plot_charts_draw_their_bars_and_open_their_tables(page, zones):
    page.goto(page.base_url + "/")
    scroll_to_every_chart(page)
    page.wait_for_function(ALL_DRAWN)

    for key in ("plot-allocation", "idle-plots", "utility-clock", "outage-hours"):
        chart = page.locator(f"#chart-{key}")
        assert chart.locator(".plot").get_attribute("data-drawn") == "true", key
        assert chart.locator(".barlayer .point").count() >= 1, key
    page.locator("#table-outage-hours summary").click()
    table = page.locator("#table-outage-hours table")
    assert table.get_by_role("rowheader", name="Rashakai SEZ").is_visible()
    assert page.probe.console_errors == []
    assert page.probe.blocked_requests == []


def test_filtered_province_dashboard_draws_every_chart_offline(page, zones):
    page.goto(page.base_url + "/provinces/PK-KP/?sector=textiles")

    assert_every_chart_drawn(page, CHARTS)
    assert page.get_by_role("heading", name="Khyber Pakhtunkhwa", exact=False).first.is_visible()


def test_zone_page_draws_its_charts_offline(page, zones):
    page.goto(page.base_url + zones[0].get_absolute_url())

    assert_every_chart_drawn(page, 3)
    assert page.locator("#chart-zone-milestones .scatterlayer .trace").count() >= 3


def test_chart_text_from_the_records_shows_markup_as_text(page, zones):
    hostile = '<a href="https://evil.example/">Win</a>'
    MilestoneFactory(
        zone=zones[0],
        title=hostile,
        baseline_date=datetime.date(2021, 1, 1),
        planned_date=datetime.date(2022, 1, 1),
    )

    page.goto(page.base_url + zones[0].get_absolute_url())
    scroll_to_every_chart(page)
    page.wait_for_function(ALL_DRAWN)

    chart = page.locator("#chart-zone-milestones")
    assert chart.locator(".ytick a").count() == 0  # Plotly draws a link as an SVG <a>
    assert hostile in chart.locator(".ytick text").all_text_contents()
