"""The plot chart builders (pure) and the idle plots' age bands, against known data."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboards import plot_charts
from dashboards.data import IdlePlots, PlotAllocation, ProviderClock, ZoneOutages
from zones import plot_rules

pytestmark = pytest.mark.usefixtures("english")

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def trace(chart, name):
    return next(t for t in chart.figure.data if t.name == name)


def test_idle_age_bands_split_at_two_and_three_years():
    assert plot_rules.idle_age_band(365) is None  # not idle yet: more than 365 days needed
    assert plot_rules.idle_age_band(366) == 0
    assert plot_rules.idle_age_band(730) == 0
    assert plot_rules.idle_age_band(731) == 1
    assert plot_rules.idle_age_band(1095) == 1
    assert plot_rules.idle_age_band(1096) == 2


@given(st.integers(min_value=0, max_value=5000))
def test_a_bands_allotment_dates_hold_exactly_the_ages_in_it(age):
    allotted_on = TODAY - datetime.timedelta(days=age)
    band = plot_rules.idle_age_band(plot_rules.age_days(allotted_on, TODAY))
    inside = [
        index
        for index, limits in enumerate(plot_rules.IDLE_AGE_BANDS)
        if (earliest := plot_rules.band_allotted_on(limits, TODAY)[0]) is None
        or allotted_on >= earliest
        if allotted_on < plot_rules.band_allotted_on(limits, TODAY)[1]
    ]
    assert inside == ([] if band is None else [band])


def test_allocation_stacks_allotted_reserved_and_available_with_the_rate_on_top():
    rows = [
        PlotAllocation("PK-PB", "Punjab", 5, 60.0, 20.0, 10.0, 30.0, 0.5),
        PlotAllocation("PK-SD", "Sindh", 2, 50.0, 0.0, 50.0, 0.0, 1.0),
    ]

    chart = plot_charts.allocation_by_province(rows)

    assert [t.name for t in chart.figure.data] == ["Allotted", "Reserved", "Available"]
    assert list(trace(chart, "Allotted").y) == [10.0, 50.0]
    assert list(trace(chart, "Reserved").y) == [20.0, 0.0]
    assert list(trace(chart, "Available").text) == ["50.0 % allocated", "100.0 % allocated"]
    assert chart.table.rows[0] == ("Punjab", 5, 60.0, 10.0, 20.0, 30.0, 50.0)


def test_allocation_without_saleable_land_shows_no_rate():
    chart = plot_charts.allocation_by_province(
        [PlotAllocation("PK-BA", "Balochistan", 1, 0.0, 0.0, 0.0, 0.0, None)]
    )

    assert list(trace(chart, "Available").text) == [""]
    assert chart.table.rows[0][-1] is None


def test_idle_plots_stack_by_age_and_leave_groups_without_idle_plots_out_of_the_figure():
    rows = [
        IdlePlots("PK-PB", "Punjab", 4, 3, 30.0, (1, 1, 1), 800.0, 1500),
        IdlePlots("PK-SD", "Sindh", 2, 0, 0.0, (0, 0, 0), None, None),
    ]

    chart = plot_charts.idle_plots(rows, group_title="Province")

    assert [t.name for t in chart.figure.data] == plot_charts.band_labels()
    assert plot_charts.band_labels() == ["1 to 2 years", "2 to 3 years", "over 3 years"]
    assert all(list(t.y) == ["Punjab"] for t in chart.figure.data)
    assert [row[0] for row in chart.table.rows] == ["Punjab", "Sindh"]
    assert chart.table.rows[1][-2:] == (None, None)


def test_the_utility_clock_draws_no_waiting_bar_where_nobody_waits():
    rows = [
        ProviderClock("electricity", "Electricity", "LESCO", 2, 20.0, 0, None),
        ProviderClock("gas", "Gas", "", 0, None, 1, 100),
    ]

    chart = plot_charts.utility_clock(rows)

    connect, waiting = chart.figure.data
    assert list(connect.y) == ["Electricity<br>LESCO", "Gas<br>(provider not recorded)"]
    assert [row[0] for row in chart.table.rows] == [
        "Electricity · LESCO",
        "Gas · (provider not recorded)",
    ]
    assert list(connect.x) == [20.0, None]
    assert list(waiting.x) == [None, 100]


def test_outages_set_the_developer_beside_the_tenants_and_escape_names():
    rows = [
        ZoneOutages("a", "<b>A</b>", "electricity", "Electricity", 30.0, 0.02, 50.0, 0.07),
        ZoneOutages("b", "B", "gas", "Gas", None, None, 5.0, 0.0069),
    ]

    chart = plot_charts.outage_hours(rows, window_label="from 2025-06 to 2026-05", limit=15)

    developer, tenant = chart.figure.data
    assert list(developer.y) == ["&lt;b&gt;A&lt;/b&gt;<br>Electricity", "B<br>Gas"]
    assert list(developer.x) == [30.0, None]
    assert list(tenant.x) == [50.0, 5.0]
    assert list(tenant.customdata) == [7.0, 0.7]
    assert chart.table.rows[1] == ("B", "Gas", None, None, 5.0, 0.7)
    assert "from 2025-06 to 2026-05" in chart.notes[0]
    assert chart.notes[1] == "Showing 2 zones: at most the 15 with the most hours reported."
