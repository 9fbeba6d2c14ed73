"""The national and province dashboards' annual returns charts (employees and exports by
year, shares by province or zone, net foreign exchange by zone, new markets by year), real
returns only by default, in a fixed number of queries; and the delivery page's new markets
now dated by the returns where they exist (the allotment year only where none names them)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aggregates.services import aggregates_refresh, aggregates_refresh_uncommitted
from dashboards.returns_dashboard import build_returns
from delivery import inputs as delivery_inputs
from delivery import rules as delivery_rules
from tests.dashboards.test_views import figure, trace_values
from tests.factories import AnnualReturnFactory, FirmFactory, ZoneFactory
from zones.models import Province, Zone

pytestmark = pytest.mark.django_db


@pytest.fixture
def country():
    punjab = ZoneFactory(name="Allama Iqbal", province__code="PK-PB")
    sindh = ZoneFactory(name="Dhabeji", province__code="PK-SD")
    AnnualReturnFactory(
        firm=FirmFactory(zone=punjab), year=2023, employees=100, employees_local=90,
        employees_women=10, exports_usd=Decimal(1000), imports_usd=Decimal(400),
        export_markets=["CN"],
    )  # fmt: skip
    AnnualReturnFactory(
        firm=FirmFactory(zone=sindh), year=2024, employees=300, employees_local=150,
        employees_women=90, exports_usd=Decimal(500), imports_usd=Decimal(2500),
        export_markets=["CN", "AE"],
    )  # fmt: skip
    AnnualReturnFactory(
        firm=FirmFactory(zone=sindh), year=2024, employees=5000, is_illustrative=True,
        export_markets=["US"],
    )  # fmt: skip
    return {"punjab": punjab, "sindh": sindh}


def test_national_dashboard_draws_the_returns(client, country):
    response = client.get("/")
    html = response.content.decode()
    assert 'id="annual-returns"' in html

    employees = figure(response, "returns-employees")
    assert trace_values(employees, "Employees") == ["2023", "2024"]
    assert trace_values(employees, "Employees", field="y") == [100, 300]  # illustrative left out
    trade = figure(response, "returns-trade")
    assert trace_values(trade, "Net foreign exchange", field="y") == [600.0, -2000.0]
    shares = figure(response, "returns-shares")
    # Punjab 2023: 90 % local, 10 % women; Sindh 2024: 50 %, 30 %.
    assert trace_values(shares, "Local share", field="y") == [90.0, 50.0]
    assert trace_values(shares, "Women's share", field="y") == [10.0, 30.0]
    net = figure(response, "returns-net-fx")
    assert trace_values(net, field="y") == ["Allama Iqbal", "Dhabeji"]
    assert trace_values(net, field="x") == [600.0, -2000.0]
    # New markets: CN in 2023; AE in 2024 (CN was listed before); US only illustrative.
    assert trace_values(figure(response, "returns-new-markets"), field="y") == [1, 1]
    for key in ("employees", "trade", "shares", "net-fx", "new-markets"):
        assert f'id="table-returns-{key}"' in html


def test_illustrative_returns_on_request(client, country):
    response = client.get("/?illustrative=include")
    employees = figure(response, "returns-employees")
    assert trace_values(employees, "Employees", field="y") == [100, 5300]


def test_province_dashboard_compares_its_zones(client, country):
    response = client.get("/provinces/PK-SD/")
    shares = figure(response, "returns-shares")
    assert trace_values(shares, "Local share") == ["Dhabeji"]
    assert trace_values(figure(response, "returns-employees"), "Employees", field="y") == [300]


def test_no_returns_no_section(client):
    ZoneFactory()
    assert 'id="annual-returns"' not in client.get("/").content.decode()


def test_a_fixed_number_of_queries_whatever_the_zones(country):
    provinces = list(Province.objects.all())

    def queries(province=None) -> int:
        aggregates_refresh()  # the worker's catch-up
        with CaptureQueriesContext(connection) as captured:
            assert build_returns(
                Zone.objects.all(), provinces=provinces, province=province, rows_url="/zones/"
            )
        return len(captured)

    few = queries()
    for index in range(8):
        zone = ZoneFactory(province__code="PK-KP" if index % 2 else "PK-PB")
        for year in (2021, 2022):
            AnnualReturnFactory(firm=FirmFactory(zone=zone), year=year, export_markets=["SA"])
    assert queries() == few == 3
    assert queries(Province.objects.get(code="PK-SD")) == 3


def test_delivery_new_markets_take_the_returns_year_where_one_lists_the_market():
    zone = ZoneFactory()
    firm = FirmFactory(
        zone=zone, allotted_on=datetime.date(2019, 5, 1), export_markets=["CN", "DE"]
    )
    # The firm's returns list CN from 2022 (DE never): its figures now follow the latest
    # return, which lists CN and AE; the stand-in stays for a market no return names.
    AnnualReturnFactory(firm=firm, year=2022, export_markets=["CN"])
    AnnualReturnFactory(firm=firm, year=2024, export_markets=["CN", "AE"])
    other = FirmFactory(zone=zone, allotted_on=datetime.date(2020, 1, 1), export_markets=["GB"])
    aggregates_refresh()
    markets = delivery_inputs.export_markets(Zone.objects.filter(pk=zone.pk))
    first = {m.market: m.first_year for m in markets}
    assert first == {"CN": 2022, "AE": 2024, "GB": 2020}
    years, undated = delivery_rules.new_markets_by_year(markets)
    assert [(y.year, y.markets) for y in years if y.new] == [
        (2020, ("GB",)), (2022, ("CN",)), (2024, ("AE",)),
    ]  # fmt: skip
    assert other.pk and undated == 0


def test_net_fx_by_zone_draws_the_largest_earners_and_spenders_with_their_table():
    from dashboards import return_charts
    from investors.return_rules import YearFigures

    rows = [
        return_charts.PlaceYear(
            f"Zone {n}",
            YearFigures(2025, 1, 10, None, None, None, Decimal(n), Decimal(15), Decimal(n - 15)),
        )
        for n in range(30)
    ]
    chart = return_charts.net_fx_by_zone(rows, limit=10)
    drawn = chart.figure.data[0].y
    assert drawn[:5] == ("Zone 29", "Zone 28", "Zone 27", "Zone 26", "Zone 25")
    assert drawn[5:] == ("Zone 4", "Zone 3", "Zone 2", "Zone 1", "Zone 0")
    assert [row[0] for row in chart.table.rows] == list(drawn)
    assert "10 largest earners and spenders of 30 zones" in chart.notes[0]


def test_dashboard_figures_from_the_aggregates_match_the_grouped_reads(country):
    import dataclasses
    import random

    from dashboards.returns_selectors import returns_figures
    from investors import return_selectors

    rng = random.Random(5)
    for _ in range(6):
        zone = ZoneFactory(province__code=rng.choice(["PK-PB", "PK-SD", "PK-KP"]))
        for year in rng.sample(range(2019, 2025), 3):
            employees = rng.randint(0, 300)
            AnnualReturnFactory(
                firm=FirmFactory(zone=zone), year=year, employees=employees,
                employees_local=rng.choice([None, rng.randint(0, employees)]),
                exports_usd=rng.choice([None, Decimal(rng.randint(0, 9999))]),
                imports_usd=rng.choice([None, Decimal(rng.randint(0, 9999))]),
                export_markets=rng.sample(["CN", "AE", "GB", "SA"], rng.randint(0, 2)),
            )  # fmt: skip
    aggregates_refresh()  # the worker's catch-up
    returns = return_selectors.counted_returns(Zone.objects.all())
    found = returns_figures(Zone.objects.all(), net_fx_zones=100, most_employees=100)

    assert found.years == return_selectors.yearly_figures(returns)[()]

    def latest(grouped):
        return {
            key[0]: dataclasses.replace(years[max(years)], new_markets=())
            for key, years in grouped.items()
        }

    by_zone = latest(return_selectors.yearly_figures(returns, ("zone_id",)))
    assert found.zones == by_zone
    assert found.zones_reporting == len(by_zone)
    assert found.zones_with_net == sum(
        1 for f in by_zone.values() if f.net_foreign_exchange_usd is not None
    )
    assert found.provinces == latest(
        return_selectors.yearly_figures(returns, ("zone__province_id",))
    )


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    zones=st.lists(
        st.tuples(
            st.sampled_from([None, 0, 50, 120]),  # employees
            st.sampled_from([None, 0, 100, 700]),  # exports
            st.sampled_from([None, 0, 100, 700]),  # imports
            st.sampled_from([2022, 2024]),
        ),
        min_size=1,
        max_size=14,
    ),
    limit=st.integers(0, 7),
)
def test_the_zones_the_charts_draw_are_ranked_as_the_charts_rank_every_zone(zones, limit):
    """The database sends only the zones the net foreign exchange and employees charts draw;
    the charts built from those equal the charts built from every zone's latest year."""
    savepoint = transaction.savepoint()
    try:
        _compare_ranked_charts(zones, limit)
    finally:
        transaction.savepoint_rollback(savepoint)


def _compare_ranked_charts(zones, limit):
    import dataclasses

    from dashboards import return_charts
    from dashboards.return_charts import PlaceYear
    from dashboards.returns_selectors import returns_figures
    from investors import return_selectors

    for employees, exports, imports, year in zones:
        zone = ZoneFactory(province__code="PK-PB")
        AnnualReturnFactory(
            firm=FirmFactory(zone=zone), year=year, employees=employees,
            employees_local=None, employees_women=None, employees_trained=None,
            exports_usd=None if exports is None else Decimal(exports),
            imports_usd=None if imports is None else Decimal(imports),
        )  # fmt: skip
    aggregates_refresh_uncommitted()
    returns = return_selectors.counted_returns(Zone.objects.all())
    every = {
        key[0]: dataclasses.replace(years[max(years)], new_markets=())
        for key, years in return_selectors.yearly_figures(returns, ("zone_id",)).items()
    }
    found = returns_figures(Zone.objects.all(), net_fx_zones=limit, most_employees=limit)

    def place(pk, figures):
        return PlaceYear(str(pk), figures)

    def drawn(chart):
        return (
            (chart.figure.data[0].y if chart.figure.data else None),
            chart.table.rows,
            chart.notes,
        )

    all_rows = [place(pk, f) for pk, f in sorted(every.items())]
    few_rows = [place(pk, f) for pk, f in found.zones.items()]
    assert drawn(
        return_charts.net_fx_by_zone(few_rows, total=found.zones_with_net, limit=limit)
    ) == drawn(return_charts.net_fx_by_zone(all_rows, limit=limit))

    def by_employees(rows):
        return sorted(rows, key=lambda row: -(row.figures.employees or 0))

    assert drawn(
        return_charts.shares_by_place(
            by_employees(few_rows), by_zone=True, total=found.zones_reporting, limit=limit
        )
    ) == drawn(return_charts.shares_by_place(by_employees(all_rows), by_zone=True, limit=limit))
