"""The dashboards' plot charts (allocation, idle plots, the utility clock, outage hours) show
figures one can work out by hand, narrowed by the finder's filters, real records only unless
illustrative ones are asked for; each with its table and finder link."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from aggregates.services import aggregates_refresh
from dashboards import plot_selectors
from tests.dashboards.test_views import figure, trace_values
from tests.factories import (
    FirmFactory,
    OutageFactory,
    PlotFactory,
    UtilityRequestFactory,
    ZoneFactory,
)
from tests.html import cells
from zones import plot_rules
from zones.models import Plot, Province, Zone
from zones.vocabulary import LandUse, PlotStatus, Reporter, RequestKind, RequestStatus

pytestmark = pytest.mark.django_db

PLOT_CHARTS = ("plot-allocation", "idle-plots", "utility-clock", "outage-hours")


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def table_rows(response, key: str) -> list[list[str]]:
    html = response.content.decode()
    table = re.search(rf'id="table-{key}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert table, f"no table for {key}"
    return [cells(row) for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)]


@pytest.fixture
def country():
    """Punjab: 60 saleable acres, 30 held (50 %), one idle plot 400 days old; Sindh: 50
    saleable, all allotted (100 %), one plot idle for 800 days and one being built on."""
    punjab = ZoneFactory(name="Loom Park", province__code="PK-PB", sectors=["textiles"])
    sindh = ZoneFactory(name="Port Park", province__code="PK-SD", sectors=["steel"])
    a1, a2 = FirmFactory(zone=punjab), FirmFactory(zone=punjab)
    b1, b2 = FirmFactory(zone=sindh), FirmFactory(zone=sindh)
    allotted = {"status": PlotStatus.ALLOTTED}
    PlotFactory(zone=punjab, acres=Decimal("10"), firm=a1, allotted_on=days_ago(400), **allotted)
    PlotFactory(zone=punjab, acres=Decimal("20"), firm=a2, status=PlotStatus.RESERVED)
    PlotFactory(zone=punjab, acres=Decimal("30"))
    PlotFactory(zone=punjab, acres=Decimal("5"), land_use=LandUse.AMENITY, lease_years=None)
    PlotFactory(zone=punjab, acres=Decimal("40"), status=PlotStatus.CANCELLED)
    PlotFactory(zone=sindh, acres=Decimal("25"), firm=b1, allotted_on=days_ago(800), **allotted)
    PlotFactory(
        zone=sindh,
        acres=Decimal("25"),
        firm=b2,
        allotted_on=days_ago(1200),
        construction_started_on=days_ago(1000),
        **allotted,
    )
    # Electricity from LESCO: connected in 10 and 30 days (median 20), one waiting 50 days.
    connected = {"status": RequestStatus.CONNECTED, "provider": "LESCO", "firm": a1}
    UtilityRequestFactory(
        zone=punjab, applied_on=days_ago(300), connected_on=days_ago(290), **connected
    )
    UtilityRequestFactory(
        zone=punjab, applied_on=days_ago(200), connected_on=days_ago(170), **connected
    )
    UtilityRequestFactory(zone=punjab, firm=a1, provider="LESCO", applied_on=days_ago(50))
    # Gas from SSGC: one waiting 100 days, one withdrawn (not counted).
    gas = {"kind": RequestKind.GAS, "provider": "SSGC", "firm": b1}
    UtilityRequestFactory(zone=sindh, applied_on=days_ago(100), **gas)
    UtilityRequestFactory(
        zone=sindh, applied_on=days_ago(90), status=RequestStatus.WITHDRAWN, **gas
    )
    first, current = plot_rules.outage_window(timezone.localdate())
    second = (first + datetime.timedelta(days=32)).replace(day=1)
    developer = {"zone": punjab, "reported_by": Reporter.DEVELOPER}
    OutageFactory(month=first, hours=Decimal("10"), **developer)
    OutageFactory(month=second, hours=Decimal("20"), **developer)
    OutageFactory(month=current, hours=Decimal("500"), **developer)  # this month: not counted
    OutageFactory(zone=punjab, month=first, reported_by=Reporter.TENANT, hours=Decimal("50"))
    OutageFactory(zone=sindh, kind=RequestKind.GAS, month=first, reported_by=Reporter.TENANT,
                  hours=Decimal("5"))  # fmt: skip
    return {"punjab": punjab, "sindh": sindh, "first": first, "second": second}


def test_the_national_page_draws_the_plot_charts_with_their_tables_and_finder_links(
    client, country
):
    response = client.get("/", {"sector": "textiles"})

    assert response.status_code == 200
    html = response.content.decode()
    for key in PLOT_CHARTS:
        assert figure(response, key)["data"] is not None
        section = html[html.index(f'id="chart-{key}"') :]
        section = section[: section.index("</section>")]
        assert 'href="/zones/?sector=textiles"' in section
        assert f'id="table-{key}"' in section


def test_allocation_rate_by_province_counts_saleable_acres_only(client, country):
    response = client.get("/")

    assert table_rows(response, "plot-allocation") == [
        ["Punjab", "5", "60.0", "10.0", "20.0", "30.0", "50.0"],
        ["Sindh", "2", "50.0", "50.0", "0.0", "0.0", "100.0"],
    ]
    allocation = figure(response, "plot-allocation")
    assert trace_values(allocation, "Allotted", field="y") == [10.0, 50.0]
    assert trace_values(allocation, "Available", field="text") == [
        "50.0 % allocated",
        "100.0 % allocated",
    ]


def test_idle_plots_by_province_with_their_ages(client, country):
    response = client.get("/")

    # Province, allotted, idle, idle acres, 1-2 years, 2-3 years, over 3 years, median, oldest.
    assert table_rows(response, "idle-plots") == [
        ["Punjab", "1", "1", "10.0", "1", "0", "0", "400.0", "400"],
        ["Sindh", "2", "1", "25.0", "0", "1", "0", "800.0", "800"],
    ]


def test_a_province_page_lists_idle_plots_by_zone(client, country):
    response = client.get("/provinces/PK-SD/")

    assert table_rows(response, "idle-plots") == [
        ["Port Park", "2", "1", "25.0", "0", "1", "0", "800.0", "800"],
    ]
    assert trace_values(figure(response, "idle-plots"), field="y") == ["Port Park"] * 3


def test_the_utility_clock_by_provider_and_kind(client, country):
    response = client.get("/")

    assert table_rows(response, "utility-clock") == [
        ["Electricity · LESCO", "2", "20.0", "1", "50"],
        ["Gas · SSGC", "0", "—", "1", "100"],
    ]
    clock = figure(response, "utility-clock")
    assert clock["data"][0]["x"] == [20.0, None]
    assert clock["data"][1]["x"] == [50, 100]


def test_outage_hours_of_the_last_12_months_developer_beside_tenants(client, country):
    first, second = country["first"], country["second"]
    month_hours = plot_rules.hours_in_month(first.year, first.month)
    both = month_hours + plot_rules.hours_in_month(second.year, second.month)

    response = client.get("/")

    rows = table_rows(response, "outage-hours")
    assert rows[0][:3] == ["Loom Park", "Electricity", "30.0"]
    assert rows[0][3] == f"{round(30 / both * 100, 1)}"
    assert rows[0][4:] == ["50.0", f"{round(50 / month_hours * 100, 1)}"]
    assert rows[1][:5] == ["Port Park", "Gas", "—", "—", "5.0"]
    outages = figure(response, "outage-hours")
    assert trace_values(outages, "Developer's report") == [30.0, None]
    assert trace_values(outages, "Tenants' report") == [50.0, 5.0]


def test_the_finders_filters_narrow_the_plot_charts(client, country):
    response = client.get("/", {"province": "PK-SD"})

    assert [row[0] for row in table_rows(response, "plot-allocation")] == ["Sindh"]
    assert [row[0] for row in table_rows(response, "utility-clock")] == ["Gas · SSGC"]
    assert [row[0] for row in table_rows(response, "outage-hours")] == ["Port Park"]


def test_illustrative_plots_count_only_when_asked_for(client, country):
    Plot.objects.filter(zone=country["punjab"], status=PlotStatus.AVAILABLE).update(
        is_illustrative=True
    )

    real = table_rows(client.get("/"), "plot-allocation")
    including = table_rows(client.get("/", {"illustrative": "include"}), "plot-allocation")

    assert real[0] == ["Punjab", "3", "30.0", "10.0", "20.0", "0.0", "100.0"]
    assert including[0] == ["Punjab", "5", "60.0", "10.0", "20.0", "30.0", "50.0"]


def test_without_plots_each_chart_says_so(client):
    ZoneFactory()

    response = client.get("/")

    for key, message in (
        ("plot-allocation", "No plots recorded for these zones."),
        ("idle-plots", "No idle plots recorded for these zones."),
        ("utility-clock", "No utility requests recorded for these zones."),
        ("outage-hours", "No outage reports for the last 12 months for these zones."),
    ):
        assert figure(response, key)["layout"]["annotations"][0]["text"] == message


def test_the_plot_charts_speak_urdu_and_chinese(client, country):
    urdu = client.get("/ur/")
    chinese = client.get("/zh-hans/")

    assert urdu.status_code == chinese.status_code == 200
    allocation = figure(urdu, "plot-allocation")
    assert allocation["layout"]["title"]["text"].startswith("پلاٹ: قابلِ فروخت ایکڑ")
    assert trace_values(allocation, field="text")[-2:] == ["50.0 % الاٹ شدہ", "100.0 % الاٹ شدہ"]
    assert figure(chinese, "outage-hours")["layout"]["title"]["text"].startswith("停供小时数")


@pytest.mark.parametrize(
    ("read", "queries"),
    [
        (lambda zones, provinces: plot_selectors.allocation_by_province(zones, provinces), 1),
        (
            lambda zones, provinces: plot_selectors.idle_plots(
                zones, by="province", provinces=provinces
            ),
            3,
        ),
        (lambda zones, provinces: plot_selectors.idle_plots(zones, by="zone"), 3),
        (lambda zones, provinces: plot_selectors.clock_by_provider(zones), 2),
        (lambda zones, provinces: plot_selectors.outages_by_zone(zones), 1),
    ],
)
def test_each_plot_figure_takes_a_few_queries_however_many_zones(
    country, django_assert_num_queries, read, queries
):
    provinces = list(Province.objects.all())
    for _ in range(5):
        zone = ZoneFactory(province__code="PK-SD")
        firm = FirmFactory(zone=zone)
        PlotFactory(zone=zone, firm=firm, status=PlotStatus.ALLOTTED, allotted_on=days_ago(900))
        UtilityRequestFactory(zone=zone, firm=firm, provider=f"P{zone.pk}")
        OutageFactory(zone=zone, month=country["first"], hours=Decimal("3"))
    aggregates_refresh()  # the worker's catch-up

    with django_assert_num_queries(queries):
        rows = read(Zone.objects.all(), provinces)

    assert rows
