"""No markup from the records reaches a chart: Plotly draws ``<b>``, ``<br>`` and ``<a href>``
in chart text, so every name, title or label taken from the data goes into a figure escaped
(``dashboards.figures.escaped``), through every chart module. The tables keep the text as
written (templates escape it)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import plotly.io as pio
import pytest

from dashboards import charts, figures, readiness_charts, zone_page_charts
from dashboards.data import (
    ProvinceArea,
    ProvinceDisputes,
    ReadinessGroup,
    ReadinessSeries,
    SlippageBar,
    ZoneMilestone,
    ZonePoint,
    ZonePoints,
    ZoneUtility,
)
from delivery import charts as delivery_charts
from delivery import market_charts, timing_charts
from delivery.rules import (
    Delivered,
    MarketFact,
    MilestoneFact,
    Statement,
    ZoneInputs,
    compute_delivery,
)

HOSTILE = '<a href="https://evil.example">Win</a> & <b>more</b>'
SHOWN = '&lt;a href="https://evil.example"&gt;Win&lt;/a&gt; &amp; &lt;b&gt;more&lt;/b&gt;'
TODAY = datetime.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def no_markup_from_data(chart) -> str:
    """The figure's JSON, checked: the hostile text appears only escaped."""
    serialised = pio.to_json(chart.figure, validate=False)
    assert "<a href" not in serialised and "<b>more" not in serialised
    assert "evil.example" in serialised  # it is there, as text
    return serialised


def test_escaped_turns_markup_into_text_and_keeps_unknowns():
    assert figures.escaped(HOSTILE) == SHOWN
    assert figures.escaped("R&D <Park>") == "R&amp;D &lt;Park&gt;"
    assert figures.escaped(None) is None


def test_a_zone_name_in_the_slippage_chart_is_text_and_the_table_keeps_it():
    chart = charts.milestone_slippage(
        [SlippageBar("z", HOSTILE, "federal", "plan", 9, 1, 0)], limit=5
    )

    no_markup_from_data(chart)
    (bar,) = chart.figure.data
    assert list(bar.y) == [SHOWN]
    assert list(chart.figure.layout.yaxis.categoryarray) == [SHOWN]
    assert chart.table.rows[0][0] == HOSTILE


def test_a_province_name_in_the_disputes_chart_is_text():
    chart = charts.disputes_by_province([ProvinceDisputes("PK-PB", HOSTILE, 1, 10.0, 0)])

    no_markup_from_data(chart)
    assert list(chart.figure.data[0].x) == [SHOWN]


def test_zone_and_district_names_in_the_readiness_charts_are_text():
    group = ReadinessGroup(HOSTILE, HOSTILE, 1, 1, 50.0, 50.0, 50.0, 50.0, 50.0, 50.0)
    point = ZonePoint("z", HOSTILE, HOSTILE, HOSTILE, "approved", 50.0, 31.0, 73.0)

    distribution = readiness_charts.readiness_distribution(
        [group], [point], by="district", group_title="District"
    )
    world = readiness_charts.zone_map(
        ZonePoints([point], truncated=False), [ProvinceArea("PK-PB", HOSTILE, 1)], geojson_url="/g"
    )
    over_time = readiness_charts.readiness_over_time(
        [ReadinessSeries("PK-PB", HOSTILE, [TODAY], [40.0], [1])], all_label="All"
    )

    for chart in (distribution, world, over_time):
        no_markup_from_data(chart)
    dots = next(t for t in distribution.figure.data if t.type == "scatter")
    assert dots.customdata[0][0] == SHOWN
    assert dots.y[0].startswith(SHOWN + "<br><sup>")  # our own markup stays
    assert over_time.figure.data[0].name == SHOWN


def test_milestone_titles_and_providers_on_the_zone_page_are_text():
    d = datetime.date
    milestone = ZoneMilestone(
        HOSTILE, "m", "federal", "Federal", "done", "Done", d(2020, 1, 1), None, d(2020, 9, 1),
        False,
    )  # fmt: skip
    utility = ZoneUtility(
        "electricity", "Electricity", "connected", "Connected", 1.0, 1.0, "MW", HOSTILE, None
    )

    timeline = zone_page_charts.zone_milestone_timeline([milestone], today=d(2024, 1, 1))
    utilities = zone_page_charts.zone_utilities([utility])

    no_markup_from_data(timeline)
    no_markup_from_data(utilities)
    assert SHOWN in {y for trace in timeline.figure.data for y in trace.y if y}
    assert utilities.figure.data[0].customdata[0][2] == SHOWN


def test_zone_names_milestones_announcers_and_markets_in_the_delivery_charts_are_text():
    statements = (
        Statement("jobs", datetime.date(2020, 1, 1), Decimal(100), None, "", HOSTILE, "https://e"),
        Statement("completion_date", datetime.date(2020, 1, 1), None, datetime.date(2021, 1, 1),
                  "power", HOSTILE, "https://e"),
    )  # fmt: skip
    zone = compute_delivery(
        ZoneInputs(1, "z", HOSTILE, "Punjab", statements, Delivered(
            jobs=10, milestones={"power": MilestoneFact("power", HOSTILE, None)}
        )),
        today=TODAY,
    )  # fmt: skip

    built = [
        delivery_charts.delivery_ranking([zone]),
        timing_charts.promise_age([zone]),
        timing_charts.completion_promises([zone]),
        timing_charts.zone_target_history(zone, today=TODAY),
        market_charts.export_markets_chart([MarketFact(HOSTILE, 1, None, 2020)]),
    ]

    for chart in built:
        no_markup_from_data(chart)
    ranking, _age, _completion, history, markets = built
    assert list(ranking.figure.data[0].y) == [SHOWN]
    assert f"Completion: {SHOWN}" in [a.text for a in history.figure.layout.annotations]
    assert list(markets.figure.data[0].x) == [SHOWN]


def test_a_chart_table_escapes_the_records_and_formats_numbers_dates_and_unknowns():
    from django.template import Context, Template
    from django.utils import translation
    from django.utils.html import escape

    table = figures.Table(
        [figures.Column("Zone"), figures.Column("Firms", numeric=True), figures.Column("Since")],
        [(HOSTILE, 1234567, datetime.date(2025, 6, 30)), ("Bostan", None, None)],
    )
    template = Template("{% load dashboards %}{{ table|table_rows }}")
    with translation.override("en"):
        html = template.render(Context({"table": table}))

    rows = html.strip().split("\n")
    assert rows[0] == (
        f'<tr><th scope="row">{escape(HOSTILE)}</th><td class="num">1,234,567</td>'
        "<td>June 30, 2025</td></tr>"
    )
    assert rows[1] == '<tr><th scope="row">Bostan</th><td class="num">—</td><td>—</td></tr>'


@pytest.mark.parametrize("language", ["en", "ur", "zh-hans"])
def test_a_chart_tables_numbers_are_written_as_each_language_writes_them(language):
    from django.template import Context, Template
    from django.utils import formats, translation

    numbers = [1234567, 0, -42, 1234.5, 0.125, 98765432.25]
    table = figures.Table(
        [figures.Column("Zone"), figures.Column("Figure", numeric=True)],
        [(str(n), n) for n in numbers],
    )
    template = Template("{% load dashboards %}{{ table|table_rows }}")
    with translation.override(language):
        html = template.render(Context({"table": table}))
        expected = [formats.number_format(n, use_l10n=True, force_grouping=True) for n in numbers]
    assert [row.split('"num">')[1].split("</td>")[0] for row in html.strip().split("\n")] == (
        expected
    )
