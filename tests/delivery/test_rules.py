"""The pure "announced vs delivered" core: shares, gaps, restated targets, completion dates,
ranking, totals and new export markets, on plain inputs (no database)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from delivery import rules
from delivery.rules import (
    Delivered,
    MarketFact,
    MilestoneFact,
    Statement,
    ZoneInputs,
    compute_delivery,
    delivery_totals,
    new_markets_by_year,
    rank_by_delivery,
)

TODAY = datetime.date(2025, 6, 30)
D = Decimal


def inputs(*statements, zone_id=1, name="Rashakai", **delivered) -> ZoneInputs:
    return ZoneInputs(
        zone_id, name.lower(), name, "Khyber Pakhtunkhwa", statements, Delivered(**delivered)
    )


def jobs(value, announced_on, target_date=None) -> Statement:
    return Statement("jobs", announced_on, D(value), target_date, source_url="https://x.org")


def test_share_and_gap_hold_delivered_jobs_against_the_target():
    result = compute_delivery(
        inputs(jobs(200_000, datetime.date(2021, 1, 16)), jobs=1_610, jobs_reported=3),
        today=TODAY,
    )

    promise = result.promise("jobs")
    assert promise.share == pytest.approx(1_610 / 200_000)
    assert promise.gap == D(198_390)
    assert promise.delivered == D(1_610)
    assert promise.reported == 3
    assert promise.status == rules.NO_DEADLINE
    assert promise.days_since_announced == (TODAY - datetime.date(2021, 1, 16)).days
    assert result.delivery_share == pytest.approx(0.00805)


def test_the_latest_statement_is_current_and_earlier_ones_stay_as_history():
    statements = [
        jobs(250_000, datetime.date(2023, 2, 13)),
        jobs(200_000, datetime.date(2021, 1, 16)),
        jobs(320_000, datetime.date(2023, 7, 21)),
        jobs(200_000, datetime.date(2022, 6, 16)),
    ]

    promise = compute_delivery(inputs(*statements, jobs=32_000), today=TODAY).promise("jobs")

    assert promise.current.value == D(320_000)
    assert [s.value for s in promise.history] == [D(200_000), D(200_000), D(250_000), D(320_000)]
    assert promise.restated
    assert promise.share == pytest.approx(0.1)
    assert promise.days_since_first_announced == (TODAY - datetime.date(2021, 1, 16)).days


def test_a_target_delivered_in_full_is_met_even_past_its_date():
    promise = compute_delivery(
        inputs(
            Statement(
                "firms_operating", datetime.date(2020, 1, 1), D(10), datetime.date(2022, 1, 1)
            ),
            firms_operating=12,
        ),
        today=TODAY,
    ).promise("firms_operating")

    assert promise.status == rules.MET
    assert promise.share == pytest.approx(1.2)
    assert promise.gap == D(-2)


@pytest.mark.parametrize(
    ("target_date", "status", "passed"),
    [
        (datetime.date(2024, 12, 31), rules.MISSED, True),
        (datetime.date(2026, 12, 31), rules.PENDING, False),
        (None, rules.NO_DEADLINE, None),
    ],
)
def test_a_short_target_is_missed_pending_or_open_ended_by_its_date(target_date, status, passed):
    statement = Statement("investment_usd", datetime.date(2020, 1, 1), D(1_000), target_date)

    promise = compute_delivery(inputs(statement, investment_usd=D(400)), today=TODAY).promise(
        "investment_usd"
    )

    assert promise.status == status
    assert promise.due_passed is passed
    assert promise.gap == D(600)


def test_a_zero_target_has_no_share():
    statement = Statement("exports_usd", datetime.date(2020, 1, 1), D(0))

    promise = compute_delivery(inputs(statement), today=TODAY).promise("exports_usd")

    assert promise.share is None
    assert promise.status == rules.MET  # nothing was promised, nothing is owed


def power(announced_on, promised, code="power_at_zero_point") -> Statement:
    return Statement("completion_date", announced_on, None, promised, code, source_url="https://x")


def test_a_completion_date_is_delivered_when_the_milestone_has_an_actual_date():
    milestone = MilestoneFact(
        "power_at_zero_point", "Power at zero point", datetime.date(2024, 1, 10)
    )

    promise = compute_delivery(
        inputs(
            power(datetime.date(2021, 8, 5), datetime.date(2021, 12, 31)),
            milestones={"power_at_zero_point": milestone},
        ),
        today=TODAY,
    ).promise("completion_date", "power_at_zero_point")

    assert promise.status == rules.MET_LATE
    assert promise.delivered_on == datetime.date(2024, 1, 10)
    assert promise.days_late == (datetime.date(2024, 1, 10) - datetime.date(2021, 12, 31)).days
    assert promise.milestone_title == "Power at zero point"


def test_an_undelivered_completion_date_counts_days_late_until_today():
    milestone = MilestoneFact("gas_at_zero_point", "Gas", None, datetime.date(2026, 1, 1))

    promise = compute_delivery(
        inputs(
            power(datetime.date(2020, 12, 23), datetime.date(2021, 12, 31), "gas_at_zero_point"),
            milestones={"gas_at_zero_point": milestone},
        ),
        today=TODAY,
    ).promises[0]

    assert promise.status == rules.MISSED
    assert promise.days_late == (TODAY - datetime.date(2021, 12, 31)).days
    assert promise.delivered_on is None


def test_a_completion_date_for_an_unrecorded_milestone_cannot_be_judged():
    promise = compute_delivery(
        inputs(power(datetime.date(2020, 1, 1), datetime.date(2021, 1, 1))), today=TODAY
    ).promises[0]

    assert promise.status == rules.UNKNOWN
    assert promise.days_late is None
    assert not promise.milestone_recorded


def test_completion_dates_of_different_milestones_are_separate_promises():
    milestones = {
        "power_at_zero_point": MilestoneFact("power_at_zero_point", "Power", None),
        "phase1_complete": MilestoneFact("phase1_complete", "Phase 1", datetime.date(2023, 7, 21)),
    }

    result = compute_delivery(
        inputs(
            power(datetime.date(2021, 8, 5), datetime.date(2021, 12, 31)),
            power(datetime.date(2023, 2, 13), datetime.date(2023, 3, 31), "phase1_complete"),
            milestones=milestones,
        ),
        today=TODAY,
    )

    assert [(p.milestone_code, p.status) for p in result.promises] == [
        ("power_at_zero_point", rules.MISSED),
        ("phase1_complete", rules.MET_LATE),
    ]
    assert not any(p.restated for p in result.promises)


def test_zones_rank_by_jobs_share_and_those_without_a_jobs_target_come_last():
    day = datetime.date(2021, 1, 1)
    zones = [
        compute_delivery(inputs(jobs(100, day), zone_id=1, name="Low", jobs=10), today=TODAY),
        compute_delivery(
            inputs(
                Statement("investment_usd", day, D(5)), zone_id=2, name="Aaa no jobs target",
                investment_usd=D(5),
            ),
            today=TODAY,
        ),
        compute_delivery(inputs(jobs(100, day), zone_id=3, name="High", jobs=90), today=TODAY),
    ]  # fmt: skip

    assert [z.name for z in rank_by_delivery(zones)] == ["High", "Low", "Aaa no jobs target"]


def test_totals_compare_the_same_zones_and_report_what_every_zone_delivered():
    day = datetime.date(2021, 1, 1)
    zones = [
        compute_delivery(inputs(jobs(1_000, day), zone_id=1, jobs=100), today=TODAY),
        compute_delivery(inputs(jobs(3_000, day), zone_id=2, jobs=200), today=TODAY),
        compute_delivery(inputs(power(day, datetime.date(2022, 1, 1)), zone_id=3), today=TODAY),
    ]

    totals = delivery_totals(zones, everywhere=Delivered(jobs=1_000, firms_operating=4))

    by_metric = {t.metric: t for t in totals.metrics}
    assert by_metric["jobs"].zones == 2
    assert by_metric["jobs"].announced == D(4_000)
    assert by_metric["jobs"].delivered == D(300)
    assert by_metric["jobs"].share == pytest.approx(0.075)
    assert by_metric["jobs"].delivered_everywhere == D(1_000)
    assert by_metric["firms_operating"].zones == 0
    assert by_metric["firms_operating"].share is None
    assert totals.completions.by_status[rules.UNKNOWN] == 1
    assert totals.zones_with_targets == 3


def test_a_market_is_new_in_the_year_its_first_firm_was_allotted():
    markets = [
        MarketFact("US", 3, D(43_900_000), 2016),
        MarketFact("DE", 2, D(19_500_000), 2020),
        MarketFact("AE", 3, D(6_100_000), 2016),
        MarketFact("TR", 1, None, 2021),
        MarketFact("AF", 1, None, None),
    ]

    years, undated = new_markets_by_year(markets)

    assert [(y.year, y.new, y.total, y.markets) for y in years] == [
        (2016, 2, 2, ("AE", "US")),
        (2017, 0, 2, ()),
        (2018, 0, 2, ()),
        (2019, 0, 2, ()),
        (2020, 1, 3, ("DE",)),
        (2021, 1, 4, ("TR",)),
    ]
    assert undated == 1


def test_no_markets_give_no_years():
    assert new_markets_by_year([]) == ([], 0)
