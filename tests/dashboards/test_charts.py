"""The figure builders, checked by their traces against known data: values, labels, order."""

from __future__ import annotations

import datetime
import json

import pytest

from dashboards import charts, figures, readiness_charts, zone_page_charts
from dashboards.data import (
    FirmGroup,
    FirmSummary,
    MapCell,
    ProvinceArea,
    ProvinceDisputes,
    ReadinessGroup,
    ReadinessSeries,
    SlippageBar,
    StatusCount,
    UtilityCounts,
    ZoneMilestone,
    ZonePoint,
    ZonePoints,
    ZoneSnapshot,
    ZoneSummary,
    ZoneUtility,
)

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def traces(chart, kind=None):
    return [t for t in chart.figure.data if kind is None or t.type == kind]


def annotations(chart):
    return [a.text for a in chart.figure.layout.annotations]


def summary(**counts) -> ZoneSummary:
    statuses = ["proposed", "approved", "notified", "under_development", "operational", "stalled"]
    rows = [StatusCount(s, s.replace("_", " ").capitalize(), counts.get(s, 0)) for s in statuses]
    return ZoneSummary(total=sum(counts.values()), by_status=rows, scored=0, readiness_avg=None)


def point(name, province="Punjab", score=None, lat=31.0, lon=73.0, district="Lahore"):
    return ZonePoint(name.lower(), name, province, district, "approved", score, lat, lon)


# --- Status funnel --------------------------------------------------------------------------


def test_funnel_counts_zones_that_reached_each_stage_and_keeps_stalled_zones_apart():
    chart = charts.status_funnel(
        summary(proposed=4, approved=3, notified=2, under_development=1, operational=5, stalled=2)
    )

    (funnel,) = traces(chart, "funnel")
    assert list(funnel.y) == [
        "Proposed",
        "Approved",
        "Notified",
        "Under development",
        "Operational",
    ]
    assert list(funnel.x) == [15, 11, 8, 6, 5]
    assert list(funnel.customdata) == [4, 3, 2, 1, 5]
    assert chart.title == "Zones by stage reached, from proposed to operational"
    assert chart.notes == ["2 stalled zones are not placed in the funnel."]
    assert chart.table.rows[-1] == ("Stalled", 2, None)
    assert chart.table.rows[0] == ("Proposed", 4, 15)


def test_funnel_without_zones_says_so():
    chart = charts.status_funnel(summary())

    assert "No zones match these filters." in annotations(chart)


# --- Readiness distribution -----------------------------------------------------------------


def group(label, zones, scored, *stats):
    mean, low, q1, median, q3, high = stats if stats else (None,) * 6
    return ReadinessGroup(label, label, zones, scored, mean, low, q1, median, q3, high)


def test_readiness_distribution_draws_each_scored_zone_and_the_spread_per_province():
    groups = [
        group("Punjab", 3, 2, 50.0, 40.0, 42.5, 50.0, 57.5, 60.0),
        group("Sindh", 1, 0),
    ]
    points = [
        point("Alpha", "Punjab", 40.0),
        point("Beta", "Punjab", 60.0),
        point("Gamma", "Punjab", None),
        point("Delta", "Sindh", None),
    ]

    chart = readiness_charts.readiness_distribution(
        groups, points, by="province", group_title="Province"
    )

    (box,) = traces(chart, "box")
    assert len(box.y) == 1 and box.y[0].startswith("Punjab<br>")
    assert "2 of 3 scored" in box.y[0]
    assert (box.q1, box.median, box.q3) == ((42.5,), (50.0,), (57.5,))
    assert (box.lowerfence, box.upperfence) == ((40.0,), (60.0,))
    (dots,) = traces(chart, "scatter")
    assert list(dots.x) == [40.0, 60.0]
    assert [c[0] for c in dots.customdata] == ["Alpha", "Beta"]
    assert list(chart.figure.layout.yaxis.categoryarray) == [
        "Punjab<br><sup>2 of 3 scored</sup>",
        "Sindh<br><sup>0 of 1 scored</sup>",
    ]
    assert chart.figure.layout.xaxis.title.text == "Readiness score (0–100)"
    assert chart.notes[0].startswith("2 zones have no readiness score yet (not yet computed)")
    assert chart.table.rows == [
        ("Punjab", 3, 2, 50.0, 40.0, 50.0, 60.0),
        ("Sindh", 1, 0, None, None, None, None),
    ]


def test_readiness_distribution_never_draws_an_unscored_zone_at_zero():
    chart = readiness_charts.readiness_distribution(
        [group("Sindh", 2, 0)],
        [point("Delta", "Sindh"), point("Echo", "Sindh")],
        by="province",
        group_title="Province",
    )

    assert not traces(chart, "box")
    assert all(len(t.x) == 0 for t in traces(chart, "scatter"))
    assert "Readiness not yet computed for these zones." in annotations(chart)


def test_readiness_distribution_of_many_zones_shows_boxes_only():
    chart = readiness_charts.readiness_distribution(
        [group("Punjab", 5000, 5000, 50.0, 1.0, 30.0, 50.0, 70.0, 99.0)],
        None,
        by="province",
        group_title="Province",
    )

    assert [t.type for t in chart.figure.data] == ["box"]
    assert any("Too many zones" in note for note in chart.notes)


# --- Map ------------------------------------------------------------------------------------


def test_map_colours_scored_zones_by_score_and_shows_unscored_apart_over_provinces():
    zones = ZonePoints(
        points=[
            point("Alpha", score=80.0, lat=31.5, lon=74.3),
            point("Beta", score=None, lat=24.8, lon=67.0),
            point("Gamma", score=20.0, lat=None, lon=None),
        ],
        truncated=False,
    )
    provinces = [
        ProvinceArea("PK-PB", "Punjab", 2),
        ProvinceArea("PK-SD", "Sindh", 1),
    ]

    chart = readiness_charts.zone_map(zones, provinces, geojson_url="/static/geo/provinces.json")

    (outline,) = traces(chart, "choropleth")
    assert outline.geojson == "/static/geo/provinces.json"
    assert list(outline.locations) == ["PK-PB", "PK-SD"]
    unscored, scored = traces(chart, "scattergeo")
    assert (list(scored.lat), list(scored.lon), list(scored.marker.color)) == (
        [31.5],
        [74.3],
        [80.0],
    )
    assert scored.marker.cmin == 0 and scored.marker.cmax == 100
    assert list(unscored.lat) == [24.8]
    assert unscored.marker.color == readiness_charts.UNSCORED_COLOUR
    assert unscored.name == "Readiness not yet computed"
    assert "1 zone has no recorded location and is not on the map." in chart.notes
    assert chart.figure.layout.geo.scope == "asia"
    assert len(chart.table.rows) == 3


def test_map_of_many_zones_draws_cells_sized_by_zone_count():
    zones = ZonePoints(
        points=[],
        truncated=True,
        cells=[MapCell(31.5, 74.0, 120, 100, 45.0), MapCell(25.0, 67.0, 3, 0, None)],
    )

    chart = readiness_charts.zone_map(zones, [], geojson_url="/g.json")

    (cells,) = traces(chart, "scattergeo")
    assert list(cells.lat) == [31.5, 25.0]
    assert cells.marker.size[0] > cells.marker.size[1]
    assert list(cells.marker.color) == [45.0, readiness_charts.UNSCORED_COLOUR]
    assert chart.table.rows == [(31.5, 74.0, 120, 100, 45.0), (25.0, 67.0, 3, 0, None)]


# --- Milestone slippage ---------------------------------------------------------------------


def test_slippage_orders_zones_by_worst_slip_and_splits_levels_and_measures():
    bars = [
        SlippageBar("far", "Far Zone", "federal", "plan", 900, 2, 1),
        SlippageBar("far", "Far Zone", "developer", "actual", 100, 1, 0),
        SlippageBar("near", "Near Zone", "federal", "actual", 30, 1, 0),
    ]

    chart = charts.milestone_slippage(bars, limit=15)

    assert list(chart.figure.layout.yaxis.categoryarray) == ["Far Zone", "Near Zone"]
    by_name = {t.name: t for t in traces(chart, "bar")}
    assert set(by_name) == {
        "Federal: not yet delivered (current plan vs baseline)",
        "Federal: delivered (actual vs baseline)",
        "Developer: delivered (actual vs baseline)",
    }
    plan = by_name["Federal: not yet delivered (current plan vs baseline)"]
    assert (list(plan.y), list(plan.x)) == (["Far Zone"], [900])
    assert plan.marker.pattern.shape == "/"
    assert by_name["Federal: delivered (actual vs baseline)"].marker.pattern.shape == ""
    assert chart.figure.layout.xaxis.title.text.startswith("Slippage (days")
    assert chart.table.rows[0] == (
        "Far Zone",
        "Federal",
        "not yet delivered (current plan vs baseline)",
        900,
        2,
        1,
    )


def test_slippage_without_dated_milestones_says_so():
    chart = charts.milestone_slippage([], limit=15)

    assert not traces(chart, "bar")
    assert "No milestones with a baseline and a later date recorded." in annotations(chart)


# --- Utilities ------------------------------------------------------------------------------


def test_utilities_stack_zones_by_status_per_core_kind_with_missing_records_apart():
    statuses = ["not_started", "planned", "under_construction", "at_zero_point", "connected"]
    counts = [
        UtilityCounts(
            "electricity", "Electricity", dict(zip(statuses, [1, 0, 2, 3, 4], strict=True)), 0
        ),
        UtilityCounts("gas", "Gas", dict(zip(statuses, [0, 0, 0, 1, 0], strict=True)), 9),
    ]

    chart = charts.zones_by_utility_status(counts, zone_count=10)

    by_name = {t.name: t for t in traces(chart, "bar")}
    assert list(by_name) == [
        "Connected inside the zone",
        "Delivered to zero point",
        "Under construction",
        "Planned",
        "Not started",
        "No record",
    ]
    assert list(by_name["Connected inside the zone"].x) == [4, 0]
    assert list(by_name["Delivered to zero point"].x) == [3, 1]
    assert list(by_name["No record"].x) == [0, 9]
    assert list(by_name["Connected inside the zone"].y) == ["Electricity", "Gas"]
    assert chart.figure.layout.barmode == "stack"
    assert chart.table.rows[1] == ("Gas", 0, 1, 0, 0, 0, 9)


# --- Disputes -------------------------------------------------------------------------------


def test_disputes_show_acres_at_stake_per_province_and_unknown_acres_as_unknown():
    rows = [
        ProvinceDisputes("PK-KP", "Khyber Pakhtunkhwa", 2, 350.0, 1),
        ProvinceDisputes("PK-BA", "Balochistan", 1, None, 1),
    ]

    chart = charts.disputes_by_province(rows)

    (bar,) = traces(chart, "bar")
    assert list(bar.x) == ["Khyber Pakhtunkhwa", "Balochistan"]
    assert list(bar.y) == [350.0, None]
    assert list(bar.text) == ["2 disputes", "1 dispute"]
    assert chart.figure.layout.yaxis.title.text == "Acres at stake"
    assert "2 disputes have no recorded acreage and add nothing to the bars." in chart.notes
    assert chart.table.rows == [("Khyber Pakhtunkhwa", 2, 350.0, 1), ("Balochistan", 1, None, 1)]


# --- Firms ----------------------------------------------------------------------------------


def test_firms_stack_by_status_for_each_origin_group_in_a_fixed_order():
    firms = FirmSummary(
        groups=[
            FirmGroup("pakistani", "Pakistani", "operating", "Operating", 5),
            FirmGroup("chinese", "Chinese", "operating", "Operating", 2),
            FirmGroup("chinese", "Chinese", "allotted", "Allotted", 3),
            FirmGroup("joint_venture", "Joint venture", "withdrawn", "Withdrawn", 1),
        ],
        operating=7,
        holding_land=10,
        idle=0,
        jobs_actual=None,
        jobs_reported=0,
        exports_usd=None,
        exports_reported=0,
        investment_usd=None,
        investment_reported=0,
    )

    chart = charts.firms_by_origin(firms)

    by_name = {t.name: t for t in traces(chart, "bar")}
    assert list(by_name["Operating"].x) == [
        "Chinese",
        "Pakistani",
        "Joint venture",
        "Other foreign",
    ]
    assert list(by_name["Operating"].y) == [2, 5, 0, 0]
    assert list(by_name["Allotted"].y) == [3, 0, 0, 0]
    assert list(by_name["Withdrawn"].y) == [0, 0, 1, 0]
    assert chart.table.rows[0] == ("Chinese", 2, 0, 3, 0, 0, 5)


# --- Readiness over time --------------------------------------------------------------------


def test_readiness_over_time_draws_one_line_per_group():
    series = [
        ReadinessSeries(
            "PK-PB",
            "Punjab",
            [datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)],
            [30.0, 42.5],
            [3, 4],
        ),
        ReadinessSeries("PK-SD", "Sindh", [datetime.date(2025, 2, 1)], [10.0], [1]),
    ]

    chart = readiness_charts.readiness_over_time(series, all_label="All zones")

    punjab, sindh = traces(chart, "scatter")
    assert punjab.name == "Punjab"
    assert list(punjab.x) == ["2025-01-01", "2025-02-01"]
    assert list(punjab.y) == [30.0, 42.5]
    assert list(punjab.customdata) == [3, 4]
    assert list(sindh.y) == [10.0]
    assert chart.table.rows[1] == ("Punjab", datetime.date(2025, 2, 1), 42.5, 4)


def test_readiness_over_time_without_snapshots_says_not_yet_computed():
    chart = readiness_charts.readiness_over_time([], all_label="All zones")

    assert "Readiness not yet computed: no snapshots recorded." in annotations(chart)


# --- Zone page ------------------------------------------------------------------------------


def test_zone_readiness_history_plots_each_snapshot_with_its_components():
    moment = datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC)
    snapshots = [
        ZoneSnapshot(moment, 41.5, 0.5, 1.0, 0.25, 0.1),
        ZoneSnapshot(moment + datetime.timedelta(days=30), 55.0, 0.8, 1.0, 0.5, 0.1),
    ]

    chart = zone_page_charts.zone_readiness_history(snapshots)

    (line,) = traces(chart, "scatter")
    assert list(line.y) == [41.5, 55.0]
    assert [list(c) for c in line.customdata] == [[50, 100, 25, 10], [80, 100, 50, 10]]
    assert chart.table.rows[0] == (moment, 41.5, 0.5, 1.0, 0.25, 0.1)


def test_zone_without_snapshots_shows_readiness_not_yet_computed():
    chart = zone_page_charts.zone_readiness_history([])

    assert "Readiness not yet computed for this zone." in annotations(chart)
    assert chart.table.rows == []


def test_zone_milestone_timeline_marks_baseline_plan_and_actual_dates():
    d = datetime.date
    milestones = [
        ZoneMilestone(
            "Notified", "notified", "federal", "Federal", "done", "Done",
            d(2020, 1, 1), d(2020, 6, 1), d(2020, 9, 1), False,
        ),
        ZoneMilestone(
            "Power at zero point", "power", "provincial", "Provincial", "in_progress",
            "In progress", d(2021, 1, 1), d(2023, 1, 1), None, True,
        ),
    ]  # fmt: skip

    chart = zone_page_charts.zone_milestone_timeline(milestones, today=d(2024, 1, 1))

    markers = {t.name: t for t in traces(chart, "scatter") if t.mode == "markers"}
    assert list(markers["Baseline (first plan)"].x) == ["2020-01-01", "2021-01-01"]
    assert list(markers["Current plan"].x) == ["2020-06-01", "2023-01-01"]
    assert list(markers["Actual"].x) == ["2020-09-01"]
    assert list(markers["Actual"].y) == ["Notified"]
    lines = {t.name: t for t in traces(chart, "scatter") if t.mode == "lines"}
    assert list(lines["Slippage (Federal)"].x) == ["2020-01-01", "2020-09-01", None]
    assert list(lines["Slippage (Provincial)"].x) == ["2021-01-01", "2023-01-01", None]
    assert list(chart.figure.layout.yaxis.categoryarray) == ["Notified", "Power at zero point"]
    assert chart.table.rows[1][2] == "In progress (overdue)"


def test_zone_utilities_place_each_kind_at_its_status_and_missing_core_kinds_as_no_record():
    utilities = [
        ZoneUtility("electricity", "Electricity", "at_zero_point", "Delivered to zero point",
                    160.0, 10.0, "MW", "PESCO", None),
        ZoneUtility("gas", "Gas", None, None, None, None, "", "", None),
    ]  # fmt: skip

    chart = zone_page_charts.zone_utilities(utilities)

    (dots,) = traces(chart, "scatter")
    assert list(dots.y) == ["Electricity", "Gas"]
    assert list(dots.x) == ["Delivered to zero point", "No record"]
    assert list(chart.figure.layout.xaxis.categoryarray)[:2] == ["No record", "Not started"]
    assert list(dots.customdata[0][:2]) == ["10 MW", "160 MW"]
    assert chart.table.rows[1] == ("Gas", "No record", "unknown", "unknown", None, None)


def test_readiness_distribution_draws_the_largest_groups_and_tabulates_them_all():
    groups = [
        group(f"District {n:02d}", n, n, 50.0, 40.0, 45.0, 50.0, 55.0, 60.0) for n in (1, 5, 3)
    ]
    points = [
        point("Small", district="District 01", score=50.0),
        point("Big", district="District 05", score=40.0),
    ]

    chart = readiness_charts.readiness_distribution(
        groups, points, by="district", group_title="District", max_groups=2
    )

    (box,) = traces(chart, "box")
    assert [label.split("<br>")[0] for label in box.y] == ["District 05", "District 03"]
    (dots,) = traces(chart, "scatter")
    assert [c[0] for c in dots.customdata] == ["Big"]
    assert [row[0] for row in chart.table.rows] == ["District 01", "District 05", "District 03"]
    assert "Showing the 2 of 3 groups with the most zones; the table lists all." in chart.notes


def test_a_chart_reaches_the_page_in_the_house_style_and_an_empty_one_hides_every_axis():
    figure = figures.figure(
        "Jobs by year",
        y_title="Jobs",
        yaxis2={"overlaying": "y"},
        no_data="No annual returns yet.",
    )

    sent = json.loads(figures.figure_json(figure))

    assert sent["layout"]["template"]["layout"]["font"]["family"] == "system-ui, sans-serif"
    assert sent["layout"]["template"]["layout"]["plot_bgcolor"] == "#ffffff"
    assert [note["text"] for note in sent["layout"]["annotations"]] == ["No annual returns yet."]
    assert {axis: sent["layout"][axis]["visible"] for axis in ("xaxis", "yaxis", "yaxis2")} == {
        "xaxis": False,
        "yaxis": False,
        "yaxis2": False,
    }
    assert sent["layout"]["yaxis"]["title"]["text"] == "Jobs"


@pytest.mark.parametrize(
    ("rows", "cols", "shared", "titles"),
    [(1, 1, False, ["A"]), (3, 1, True, ["A", "B", "C"]), (2, 3, False, ["A", "", "C", "D"])],
)
def test_the_grid_of_panels_is_the_one_plotly_makes(rows, cols, shared, titles):
    """``subplot_grid`` writes the layout of plotly's ``make_subplots`` without building its
    figure: the same domains, anchors, shared axes and panel titles, to the last digit."""
    from plotly.subplots import make_subplots

    made = make_subplots(
        rows=rows,
        cols=cols,
        shared_xaxes=shared,
        subplot_titles=titles,
        horizontal_spacing=0.1,
        vertical_spacing=0.07,
    ).layout.to_plotly_json()
    made.pop("template")

    written = figures.subplot_grid(
        rows, cols, titles=titles, horizontal_spacing=0.1, vertical_spacing=0.07,
        shared_xaxes=shared,
    )  # fmt: skip

    assert written == made
