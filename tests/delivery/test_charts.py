"""The "announced vs delivered" figure builders, checked by their traces against known data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from delivery import charts, market_charts, timing_charts
from delivery.rules import (
    Delivered,
    MarketFact,
    MilestoneFact,
    Statement,
    ZoneInputs,
    compute_delivery,
    delivery_totals,
    new_markets_by_year,
)

pytestmark = pytest.mark.usefixtures("english")
TODAY = datetime.date(2025, 6, 30)
D = Decimal


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def zone(name, *statements, zone_id=None, **delivered):
    figures = Delivered(**delivered)
    zone_id = zone_id or hash(name)
    return compute_delivery(
        ZoneInputs(zone_id, name.lower(), name, "Punjab", statements, figures), today=TODAY
    )


def stated(metric, value, year, target_date=None, code="", by="Minister"):
    return Statement(
        metric, datetime.date(year, 1, 1), None if value is None else D(value), target_date, code,
        by, "https://example.org",
    )  # fmt: skip


@pytest.fixture
def zones():
    return [
        zone("Low", stated("jobs", 1000, 2020), stated("investment_usd", 100, 2020),
             jobs=10, investment_usd=D(50)),
        zone("High", stated("jobs", 1000, 2019), stated("jobs", 2000, 2022), jobs=1000),
        zone("Dates", stated("completion_date", None, 2020, datetime.date(2021, 1, 1), "power"),
             stated("completion_date", None, 2021, datetime.date(2024, 1, 1), "gas"),
             stated("completion_date", None, 2024, datetime.date(2026, 1, 1), "roads"),
             stated("completion_date", None, 2020, datetime.date(2022, 1, 1), "ghost"),
             milestones={
                 "power": MilestoneFact("power", "Power", datetime.date(2021, 3, 1)),
                 "gas": MilestoneFact("gas", "Gas", None),
                 "roads": MilestoneFact("roads", "Roads", None),
             }),
    ]  # fmt: skip


def traces(chart, kind=None):
    return [t for t in chart.figure.data if kind is None or t.type == kind]


def test_ranking_draws_each_zones_share_of_each_target_best_delivery_first(zones):
    chart = charts.delivery_ranking(zones)

    by_name = {t.name: t for t in traces(chart, "bar")}
    assert chart.figure.layout.title.text.startswith("Delivered as a share of the current target")
    assert chart.figure.layout.xaxis.title.text == "Delivered (% of the current target)"
    assert list(by_name["Jobs"].y) == ["High", "Low"]
    assert list(by_name["Jobs"].x) == [50.0, 1.0]
    assert list(by_name["Investment (USD)"].y) == ["Low"]
    assert list(by_name["Investment (USD)"].x) == [50.0]
    assert list(chart.figure.layout.yaxis.categoryarray) == ["High", "Low"]
    assert [row[:3] for row in chart.table.rows] == [
        ("High", 1, "Jobs"),
        ("Low", 2, "Jobs"),
        ("Low", 2, "Investment (USD)"),
    ]


def test_ranking_draws_and_tabulates_at_most_the_limit(zones):
    chart = charts.delivery_ranking(zones, limit=1)

    assert {y for t in traces(chart, "bar") for y in t.y} == {"High"}
    assert {row[0] for row in chart.table.rows} == {"High"}
    assert any("Showing the 1 best-delivering of 2 zones" in note for note in chart.notes)


def test_totals_compare_the_sum_of_current_targets_with_what_those_zones_delivered(zones):
    totals = delivery_totals(zones, everywhere=Delivered(jobs=5000, investment_usd=D(60)))

    chart = charts.delivery_totals_chart(totals)

    jobs_bars = [t for t in traces(chart, "bar") if t.xaxis == "x"]
    assert [(t.name, t.y[0]) for t in jobs_bars] == [
        ("Announced (sum of current targets)", 3000),
        ("Delivered by those zones", 1010),
        ("Delivered by all zones shown", 5000),
    ]
    exports = [t for t in traces(chart, "bar") if t.xaxis == "x4"]
    assert [t.y[0] for t in exports] == [None, None, 0]  # nothing announced: no bar at zero
    assert chart.table.rows[0] == ("Jobs", 2, 3000, 1010, 33.7, 1990, 5000)


def test_promise_age_places_each_promise_by_years_since_first_stated(zones):
    chart = timing_charts.promise_age(zones)

    jobs = next(t for t in traces(chart, "scatter") if t.name == "Jobs")
    assert list(jobs.x) == [5.5, 6.5]  # Low since 2020, High since 2019
    assert list(jobs.y) == [1.0, 50.0]
    assert list(jobs.marker.symbol) == ["diamond-open", "diamond-open"]  # no date promised


def test_completion_dates_draw_days_late_by_standing_and_note_unrecorded_milestones(zones):
    chart = timing_charts.completion_promises(zones)

    bars = {t.name: t for t in traces(chart, "bar")}
    assert list(bars["Delivered late"].x) == [59]
    assert list(bars["Promised date passed, not delivered"].x) == [
        (TODAY - datetime.date(2024, 1, 1)).days
    ]
    assert list(bars["Not delivered yet; promised date still ahead"].x) == [
        (TODAY - datetime.date(2026, 1, 1)).days
    ]
    assert any("1 promise names a milestone that is not recorded" in n for n in chart.notes)
    assert len(chart.table.rows) == 4


def test_completion_dates_draw_the_latest_few_when_there_are_many(zones):
    chart = timing_charts.completion_promises(zones, limit=1)

    assert [list(t.x) for t in traces(chart, "bar")] == [[(TODAY - datetime.date(2024, 1, 1)).days]]
    assert any("Showing the 1 latest of 3 promises" in n for n in chart.notes)


def test_promise_age_of_many_promises_draws_the_median_by_year(zones):
    chart = timing_charts.promise_age(zones, max_points=2)

    jobs = next(t for t in traces(chart, "scatter") if t.name == "Jobs")
    assert list(jobs.x) == [5, 6]  # first announced 5 and 6 whole years ago
    assert list(jobs.y) == [1.0, 50.0]
    assert chart.table.rows[0] == ("Jobs", 5, 1, 1.0, 0)
    assert any("median share" in note for note in chart.notes)


def test_export_markets_and_new_markets_per_year():
    markets = [MarketFact("US", 3, D(100), 2016), MarketFact("DE", 1, None, 2018)]

    chart = market_charts.export_markets_chart(markets)
    years, undated = new_markets_by_year(markets)
    per_year = market_charts.new_markets(years, undated=undated)

    bar = traces(chart, "bar")[0]
    assert (list(bar.x), list(bar.y)) == (["US", "DE"], [3, 1])
    assert chart.table.rows == [("US", 3, 2016, 100), ("DE", 1, 2018, None)]
    new, running = traces(per_year, "bar")[0], traces(per_year, "scatter")[0]
    assert list(new.x) == ["2016", "2017", "2018"]
    assert list(new.y) == [1, 0, 1]
    assert list(running.y) == [1, 1, 2]
    assert any("allotment year stands in" in note for note in per_year.notes)


def test_charts_without_data_say_so():
    assert charts.delivery_ranking([]).figure.layout.annotations[0].text.startswith("No zone")
    assert (
        market_charts.export_markets_chart([])
        .figure.layout.annotations[0]
        .text.startswith("No firm")
    )
    assert (
        market_charts.new_markets([], undated=0).figure.layout.annotations[0].text.startswith("No")
    )


def test_zone_charts_show_each_share_and_every_restated_statement(zones):
    high = zones[1]

    shares = charts.zone_delivery_chart(high)
    history = timing_charts.zone_target_history(high, today=TODAY)

    assert list(traces(shares, "bar")[0].x) == [50.0]
    assert "1,000 of 2,000 (50 %)" in traces(shares, "bar")[0].text[0]
    statements = next(t for t in traces(history) if t.name.startswith("Statement"))
    assert list(statements.x) == ["2019-01-01", "2022-01-01"]
    assert list(statements.y) == [1000, 2000]
    delivered = next(t for t in traces(history) if t.name == "Delivered so far")
    assert list(delivered.y) == [1000, 1000]
    assert [row[5] for row in history.table.rows] == ["yes", "no (restated later)"]


def test_a_completion_history_plots_promised_dates_and_the_actual_one(zones):
    history = timing_charts.zone_target_history(zones[2], today=TODAY)

    titles = [a.text for a in history.figure.layout.annotations]
    assert titles == [
        "Completion: Power",
        "Completion: ghost",
        "Completion: Gas",
        "Completion: Roads",
    ]
    actual = next(t for t in traces(history) if t.name == "Actual date (delivered)")
    assert list(actual.y) == ["2021-03-01", "2021-03-01"]
