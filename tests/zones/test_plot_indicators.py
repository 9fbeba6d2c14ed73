"""The plot indicators, the utility clock and outages against hand calculations: the pure
reference in zones.plot_rules and the set-based SQL in zones.plot_selectors alike."""

import datetime
from decimal import Decimal

import pytest

from tests.factories import (
    FirmFactory,
    OutageFactory,
    PlotFactory,
    UtilityRequestFactory,
    ZoneFactory,
)
from zones import plot_rules, plot_selectors
from zones.plot_rules import OutageRecord, PlotRecord, RequestRecord

D = datetime.date
TODAY = D(2026, 6, 15)
IDLE_EDGE = D(2025, 6, 15)  # exactly 365 days before TODAY: not yet idle

# (number, acres, land use, status, allotted on, construction, production)
PLOTS = [
    ("A", "10", "industrial", "allotted", D(2025, 6, 14), None, None),  # 366 days: idle
    ("B", "5", "industrial", "allotted", IDLE_EDGE, None, None),  # 365 days: not idle
    ("C", "20", "commercial", "available", None, None, None),
    ("D", "8", "warehousing", "reserved", None, None, None),
    ("E", "30", "amenity", "available", None, None, None),  # not saleable, not offered
    ("F", "7", "industrial", "cancelled", None, None, None),  # not saleable
    ("G", "4", "industrial", "allotted", D(2020, 1, 1), None, D(2020, 1, 11)),  # 10 days
    ("H", "6", "industrial", "allotted", D(2020, 1, 1), D(2020, 1, 5), D(2020, 1, 21)),  # 20
    ("I", "3", "industrial", "available", None, None, None),
]
# By hand: saleable 10+5+20+8+4+6+3 = 56; available 20+3 = 23; allotted 10+5+4+6 = 25;
# reserved + allotted 33 -> 33/56 = 0.589285… -> 0.5893; largest available 20; idle A only;
# producing G, H; median of (10, 20) = 15.
EXPECTED_PLOTS = plot_rules.PlotFigures(
    saleable_acres=Decimal(56),
    available_acres=Decimal(23),
    allotted_acres=Decimal(25),
    allocation_rate=Decimal("0.5893"),
    largest_available_plot_acres=Decimal(20),
    idle_plots=1,
    producing_plots=2,
    median_days_allotment_to_production=Decimal("15.0"),
    plot_records=9,
)


def _records():
    return [
        PlotRecord(Decimal(acres), use, status, allotted, construction, production)
        for _n, acres, use, status, allotted, construction, production in PLOTS
    ]


# --- Pure ----------------------------------------------------------------------------------


def test_plot_figures_by_hand():
    assert plot_rules.plot_indicators(_records(), TODAY) == EXPECTED_PLOTS


def test_a_zone_of_amenity_and_cancelled_plots_has_no_rate_and_no_largest_plot():
    figures = plot_rules.plot_indicators(
        [
            PlotRecord(Decimal(5), "amenity", "available"),
            PlotRecord(Decimal(5), "industrial", "cancelled"),
        ],
        TODAY,
    )
    assert figures.saleable_acres == 0
    assert figures.allocation_rate is None
    assert figures.largest_available_plot_acres is None
    assert figures.median_days_allotment_to_production is None


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([], None),
        ([7], Decimal("7.0")),
        ([3, 1, 2], Decimal("2.0")),
        ([4, 1, 3, 2], Decimal("2.5")),
    ],
)
def test_median_of_an_even_count_is_the_mean_of_the_middle_two(values, expected):
    assert plot_rules.median(values) == expected


def test_ratio_rounds_half_up_to_four_places():
    assert plot_rules.ratio(Decimal(1), Decimal(8)) == Decimal("0.1250")
    assert plot_rules.ratio(Decimal("0.00005"), Decimal(1)) == Decimal("0.0001")
    assert plot_rules.ratio(Decimal(1), Decimal(0)) is None


def test_the_twelve_month_window_is_the_whole_months_before_the_current_one():
    assert plot_rules.outage_window(TODAY) == (D(2025, 6, 1), D(2026, 6, 1))
    assert plot_rules.outage_window(D(2026, 1, 1)) == (D(2025, 1, 1), D(2026, 1, 1))


REQUESTS = [
    # kind, status, applied, connected, provider
    ("electricity", "connected", D(2024, 1, 1), D(2024, 1, 31), "FESCO"),  # 30 days
    ("electricity", "connected", D(2024, 2, 1), D(2024, 2, 11), "K-Electric"),  # 10 days
    ("electricity", "waiting", D(2026, 6, 5), None, "FESCO"),  # 10 days
    ("electricity", "waiting", D(2026, 5, 16), None, "FESCO"),  # 30 days
    ("electricity", "withdrawn", D(2019, 1, 1), None, "FESCO"),  # counts nowhere
    ("gas", "connected", D(2023, 3, 1), D(2023, 3, 6), "SNGPL"),  # 5 days
]
EXPECTED_CLOCK = {
    "electricity": plot_rules.ClockFigures(2, Decimal("20.0"), 2, 30),
    "gas": plot_rules.ClockFigures(1, Decimal("5.0"), 0, None),
}

OUTAGES = [
    # kind, month, reporter, hours
    ("electricity", D(2025, 5, 1), "developer", "100"),  # before the window
    ("electricity", D(2025, 6, 1), "developer", "72"),  # June: 720 hours
    ("electricity", D(2026, 5, 1), "developer", "24"),  # May: 744 hours
    ("electricity", D(2026, 6, 1), "developer", "50"),  # the current month: not whole
    ("electricity", D(2026, 5, 1), "tenant", "372"),
    ("gas", D(2024, 1, 1), "developer", "10"),  # records, none in the window
]
# developer: 72 + 24 = 96 hours over 720 + 744 = 1464 reported hours -> 0.065573… -> 0.0656
EXPECTED_OUTAGES = {
    "electricity": {
        "developer": plot_rules.OutageFigures(Decimal(96), Decimal("0.0656")),
        "tenant": plot_rules.OutageFigures(Decimal(372), Decimal("0.5000")),
    },
    "gas": {"developer": plot_rules.OutageFigures(Decimal(0), None)},
}


def test_utility_clock_by_hand():
    records = [
        RequestRecord(kind, status, applied, connected)
        for kind, status, applied, connected, _p in REQUESTS
    ]
    assert plot_rules.utility_clock(records, TODAY) == EXPECTED_CLOCK


def test_outages_by_hand():
    records = [
        OutageRecord(kind, month, who, Decimal(hours)) for kind, month, who, hours in OUTAGES
    ]
    assert plot_rules.outages(records, TODAY) == EXPECTED_OUTAGES


# --- SQL, set-based ------------------------------------------------------------------------


@pytest.fixture
def zone(db):
    zone = ZoneFactory()
    firm = FirmFactory(zone=zone)
    for number, acres, use, status, allotted, construction, production in PLOTS:
        PlotFactory(
            zone=zone, number=number, acres=Decimal(acres), land_use=use, status=status,
            firm=firm if status in ("allotted", "reserved") else None, allotted_on=allotted,
            construction_started_on=construction, production_started_on=production,
        )  # fmt: skip
    for kind, status, applied, connected, provider in REQUESTS:
        UtilityRequestFactory(
            zone=zone, firm=firm, kind=kind, status=status, applied_on=applied,
            connected_on=connected, provider=provider,
        )  # fmt: skip
    for kind, month, who, hours in OUTAGES:
        OutageFactory(zone=zone, kind=kind, month=month, reported_by=who, hours=Decimal(hours))
    return zone


def test_sql_plot_figures_match_the_hand_calculation(zone):
    empty = ZoneFactory()
    figures = plot_selectors.plot_figures_by_zone([zone.pk, empty.pk], today=TODAY)
    assert figures[zone.pk] == EXPECTED_PLOTS
    assert figures[empty.pk] == plot_rules.plot_indicators([], TODAY)


def test_sql_clock_and_outages_match_the_hand_calculation(zone):
    indicators = plot_selectors.zone_plot_indicators(zone.pk, today=TODAY)
    assert indicators.clock_by_kind() == EXPECTED_CLOCK
    assert indicators.outages_by_kind() == EXPECTED_OUTAGES


def test_clock_by_provider_splits_each_kind(zone):
    rows = plot_selectors.clock_by_zone([zone.pk], by_provider=True, today=TODAY)[zone.pk]
    by = {(row.kind, row.provider): row.figures for row in rows}
    assert by[("electricity", "FESCO")] == plot_rules.ClockFigures(1, Decimal("30.0"), 2, 30)
    assert by[("electricity", "K-Electric")] == plot_rules.ClockFigures(1, Decimal("10.0"), 0, None)


def test_a_constant_number_of_queries_whatever_the_number_of_zones(zone, django_assert_num_queries):
    zones = [zone.pk] + [PlotFactory().zone_id for _ in range(5)]
    with django_assert_num_queries(3):
        plot_selectors.plot_figures_by_zone(zones, today=TODAY)
        plot_selectors.clock_by_zone(zones, today=TODAY)
        plot_selectors.outages_by_zone(zones, today=TODAY)


# --- API -----------------------------------------------------------------------------------


def test_api_detail_publishes_plots_clock_and_outages_by_their_contract_names(
    zone, client, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(plot_selectors.timezone, "localdate", lambda: TODAY)
    url = f"/api/zones/{zone.slug}/"
    client.get(url)  # warm the caches that are not ours
    # the detail's 11, one per indicator group, one for the reported totals, two for returns,
    # one for approvals
    with django_assert_max_num_queries(18):
        body = client.get(url).json()

    assert body["plots"] == {
        "saleable_acres": 56.0, "available_acres": 23.0, "allotted_acres": 25.0,
        "allocation_rate": 0.5893, "largest_available_plot_acres": 20.0, "idle_plots": 1,
        "producing_plots": 2, "median_days_allotment_to_production": 15.0,
        "plot_records": 9,
    }  # fmt: skip
    assert body["utility_clock"] == {
        "electricity": {"connected": 2, "median_days_to_connect": 20.0, "waiting": 2,
                        "oldest_waiting_days": 30},
        "gas": {"connected": 1, "median_days_to_connect": 5.0, "waiting": 0,
                "oldest_waiting_days": None},
    }  # fmt: skip
    assert body["outages"] == {
        "electricity": {
            "developer": {"hours_12m": 96.0, "share_12m": 0.0656},
            "tenant": {"hours_12m": 372.0, "share_12m": 0.5},
        },
        "gas": {"developer": {"hours_12m": 0.0, "share_12m": None}},
    }


def test_a_zone_without_plots_or_reports_has_zeros_and_no_kinds(db, client):
    zone = ZoneFactory()
    body = client.get(f"/api/zones/{zone.slug}/").json()
    assert body["plots"]["saleable_acres"] == 0
    assert body["plots"]["allocation_rate"] is None
    assert body["utility_clock"] == {}
    assert body["outages"] == {}


def test_the_schema_describes_the_new_fields(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    detail = schema["components"]["schemas"]["ZoneDetail"]["properties"]
    assert {"plots", "utility_clock", "outages", "investor_contact"} <= set(detail)
    plots = schema["components"]["schemas"]["PlotFigures"]["properties"]
    assert "allocation_rate" in plots and "idle_plots" in plots
