"""The dashboards' aggregates, computed in PostgreSQL, against small known data."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aggregates.services import aggregates_refresh
from dashboards import readiness_selectors, selectors
from tests.factories import (
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    UtilityFactory,
    ZoneFactory,
)
from zones.models import Province, ReadinessSnapshot, Zone
from zones.vocabulary import (
    FirmStatus,
    MilestoneStatus,
    Ownership,
    UtilityStatus,
    ZoneStatus,
)

WEIGHTS = {"utilities": "0.35", "land": "0.15", "milestones": "0.30", "occupancy": "0.20"}
pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 1)


def scored(zone: Zone, score: str) -> Zone:
    Zone.objects.filter(pk=zone.pk).update(readiness_score=Decimal(score))
    return zone


def snapshot(zone: Zone, score: str, at: datetime.datetime) -> ReadinessSnapshot:
    return ReadinessSnapshot.objects.create(
        zone=zone,
        score=Decimal(score),
        utilities=Decimal("0.5"),
        land=Decimal("1"),
        milestones=Decimal("0.5"),
        occupancy=Decimal("0"),
        weights=WEIGHTS,
        profile_version=1,
        computed_at=at,
        inputs_digest="x" * 64,
    )


def test_zone_summary_counts_statuses_and_averages_only_scored_zones():
    scored(ZoneFactory(status=ZoneStatus.OPERATIONAL), "60")
    scored(ZoneFactory(status=ZoneStatus.OPERATIONAL), "40")
    ZoneFactory(status=ZoneStatus.STALLED)

    result = selectors.zone_summary(Zone.objects.all())

    assert result.total == 3
    assert result.scored == 2
    assert result.unscored == 1
    assert result.readiness_avg == 50.0
    counts = {row.status: row.count for row in result.by_status}
    assert counts["operational"] == 2 and counts["stalled"] == 1 and counts["proposed"] == 0


def test_zone_summary_of_unscored_zones_has_no_average():
    ZoneFactory()

    assert selectors.zone_summary(Zone.objects.all()).readiness_avg is None


def test_firm_summary_sums_what_land_holding_firms_report_and_finds_idle_ones():
    zone = ZoneFactory()
    FirmFactory(zone=zone, status=FirmStatus.OPERATING, jobs_actual=100, exports_usd=Decimal(5))
    FirmFactory(zone=zone, status=FirmStatus.OPERATING, jobs_actual=None, exports_usd=None)
    FirmFactory(
        zone=zone,
        status=FirmStatus.ALLOTTED,
        allotted_on=TODAY - datetime.timedelta(days=400),
        jobs_actual=None,
        origin_country="CN",
        ownership=Ownership.FOREIGN,
    )
    FirmFactory(
        zone=zone,
        status=FirmStatus.ALLOTTED,
        allotted_on=TODAY - datetime.timedelta(days=30),
        jobs_actual=None,
    )
    FirmFactory(zone=zone, status=FirmStatus.WITHDRAWN, jobs_actual=999)
    FirmFactory(zone=ZoneFactory(), status=FirmStatus.OPERATING, jobs_actual=7)

    aggregates_refresh(today=TODAY)
    result = selectors.firm_summary(Zone.objects.filter(pk=zone.pk))

    assert result.operating == 2
    assert result.holding_land == 4
    assert result.idle == 1
    assert result.idle_share == 0.25
    assert result.jobs_actual == 100 and result.jobs_reported == 1
    assert result.exports_usd == 5.0 and result.exports_reported == 1
    assert result.investment_usd is None and result.investment_reported == 0
    groups = {(g.origin_group, g.status): g.count for g in result.groups}
    assert groups[("chinese", "allotted")] == 1
    assert groups[("pakistani", "allotted")] == 1
    assert groups[("pakistani", "withdrawn")] == 1


def test_open_disputes_by_province_sum_acres_of_unsettled_disputes_only():
    kp = ZoneFactory(province__code="PK-KP")
    DisputeFactory(zone=kp, affected_acres=Decimal("100"), status="open")
    DisputeFactory(zone=kp, affected_acres=Decimal("50"), status="in_court")
    DisputeFactory(zone=kp, affected_acres=None, status="in_mediation")
    DisputeFactory(zone=kp, affected_acres=Decimal("900"), status="resolved")
    DisputeFactory(zone=ZoneFactory(province__code="PK-SD"), affected_acres=None)

    aggregates_refresh()
    rows = selectors.open_disputes_by_province(Zone.objects.all(), list(Province.objects.all()))

    by_code = {row.code: row for row in rows}
    assert set(by_code) == {"PK-KP", "PK-SD"}
    assert (by_code["PK-KP"].count, by_code["PK-KP"].acres, by_code["PK-KP"].without_acres) == (
        3,
        150.0,
        1,
    )
    assert by_code["PK-SD"].acres is None


def test_overdue_milestones_are_counted_by_responsible_level():
    zone = ZoneFactory()
    past, future = TODAY - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=1)
    MilestoneFactory(zone=zone, responsible="federal", planned_date=past, status="in_progress")
    MilestoneFactory(zone=zone, responsible="federal", planned_date=past, status="blocked")
    MilestoneFactory(zone=zone, responsible="developer", planned_date=past, status="not_started")
    MilestoneFactory(zone=zone, responsible="federal", planned_date=past, status="done")
    MilestoneFactory(zone=zone, responsible="provincial", planned_date=past, status="cancelled")
    MilestoneFactory(zone=zone, responsible="provincial", planned_date=future)

    aggregates_refresh(today=TODAY)
    result = selectors.overdue_milestones(Zone.objects.all())

    assert result.total == 3
    assert result.by_level == {"federal": 2, "provincial": 0, "developer": 1}


def test_readiness_by_province_gives_quartiles_of_scored_zones():
    for score in ("10", "20", "30", "40"):
        scored(ZoneFactory(province__code="PK-PB"), score)
    ZoneFactory(province__code="PK-PB")
    ZoneFactory(province__code="PK-SD")

    groups = readiness_selectors.readiness_by_group(Zone.objects.all(), by="province")

    punjab, sindh = groups
    assert (punjab.label, punjab.zones, punjab.scored) == ("Punjab", 5, 4)
    assert (punjab.minimum, punjab.q1, punjab.median, punjab.q3, punjab.maximum) == (
        10.0,
        17.5,
        25.0,
        32.5,
        40.0,
    )
    assert punjab.mean == 25.0
    assert (sindh.zones, sindh.scored, sindh.median) == (1, 0, None)


def test_zone_points_become_map_cells_above_the_limit():
    ZoneFactory(latitude=Decimal("31.40"), longitude=Decimal("73.10"))
    scored(ZoneFactory(latitude=Decimal("31.45"), longitude=Decimal("73.05")), "50")
    ZoneFactory(latitude=Decimal("24.90"), longitude=Decimal("67.10"))

    few = readiness_selectors.zone_points(Zone.objects.all(), limit=10)
    many = readiness_selectors.zone_points(Zone.objects.all(), limit=2)

    assert not few.truncated and len(few.points) == 3
    assert many.truncated and not many.points
    cells = {(c.latitude, c.longitude): c for c in many.cells}
    assert (cells[(31.5, 73.0)].zones, cells[(31.5, 73.0)].scored) == (2, 1)
    assert cells[(31.5, 73.0)].mean_score == 50.0
    assert cells[(25.0, 67.0)].mean_score is None
    # Told how many zones there are, it reads only what it draws, and draws the same.
    with CaptureQueriesContext(connection) as queries:
        assert readiness_selectors.zone_points(Zone.objects.all(), limit=2, total=3) == many
    assert len(queries) == 1
    assert readiness_selectors.zone_points(Zone.objects.all(), limit=10, total=3) == few


def test_readiness_history_averages_each_zones_latest_score_at_the_end_of_each_day():
    start = timezone.make_aware(datetime.datetime(2025, 3, 1, 10))
    a, b = ZoneFactory(), ZoneFactory()
    snapshot(a, "20", start)
    snapshot(a, "40", start + datetime.timedelta(days=2))
    snapshot(b, "60", start + datetime.timedelta(days=1))
    snapshot(ZoneFactory(), "99", start)  # not among the zones asked about
    aggregates_refresh()  # the worker's catch-up

    (series,) = readiness_selectors.readiness_history(
        Zone.objects.filter(pk__in=[a.pk, b.pk]), by="all"
    )

    assert series.means == [20.0, 40.0, 50.0]
    assert series.zones == [1, 2, 2]
    assert len(series.periods) == 3


def test_milestone_slippage_keeps_the_zones_that_slipped_most():
    worst, middle, least = ZoneFactory(name="Worst"), ZoneFactory(name="Middle"), ZoneFactory()
    base = datetime.date(2020, 1, 1)
    MilestoneFactory(
        zone=worst,
        responsible="federal",
        baseline_date=base,
        planned_date=datetime.date(2023, 1, 1),
    )
    MilestoneFactory(
        zone=worst,
        responsible="developer",
        baseline_date=base,
        planned_date=datetime.date(2020, 3, 1),
        actual_date=datetime.date(2020, 2, 1),
        status="done",
    )
    MilestoneFactory(
        zone=middle,
        responsible="provincial",
        baseline_date=base,
        planned_date=datetime.date(2021, 1, 1),
    )
    MilestoneFactory(zone=least, baseline_date=base, planned_date=datetime.date(2020, 1, 2))
    MilestoneFactory(
        zone=least, baseline_date=base, planned_date=datetime.date(2030, 1, 1), status="cancelled"
    )

    aggregates_refresh(today=TODAY)
    bars = selectors.milestone_slippage(Zone.objects.all(), limit=2)

    assert [(b.zone_name, b.responsible, b.measure, b.days) for b in bars] == [
        ("Worst", "developer", "actual", 31),
        ("Worst", "federal", "plan", 1096),
        ("Middle", "provincial", "plan", 366),
    ]
    assert bars[1].overdue == 1


def test_utility_counts_count_statuses_and_zones_without_a_record():
    a, b, _c = ZoneFactory(), ZoneFactory(), ZoneFactory()
    UtilityFactory(zone=a, kind="electricity", status="connected")
    UtilityFactory(zone=b, kind="electricity", status="at_zero_point")
    UtilityFactory(zone=a, kind="telecom", status="connected")

    aggregates_refresh()
    counts = {c.kind: c for c in selectors.utility_counts(Zone.objects.all(), zone_count=3)}

    assert list(counts) == ["electricity", "gas", "water", "road"]
    assert counts["electricity"].by_status["connected"] == 1
    assert counts["electricity"].by_status["at_zero_point"] == 1
    assert counts["electricity"].no_record == 1
    assert counts["gas"].no_record == 3


def test_zone_chart_data_lists_core_utilities_even_without_records():
    zone = ZoneFactory()
    UtilityFactory(zone=zone, kind="rail", status=UtilityStatus.PLANNED)
    MilestoneFactory(zone=zone, status=MilestoneStatus.CANCELLED)
    kept = MilestoneFactory(zone=zone, planned_date=TODAY - datetime.timedelta(days=3))

    data = selectors.zone_chart_data(zone=zone, today=TODAY)

    assert [u.kind for u in data.utilities] == ["electricity", "gas", "water", "road", "rail"]
    assert data.utilities[0].status is None
    assert [m.code for m in data.milestones] == [kept.code]
    assert data.milestones[0].overdue
    assert data.snapshots == []


def test_zones_ranked_lists_the_most_ready_first_per_province_or_in_all():
    for name, score in (("A", "10"), ("B", "90"), ("C", None), ("D", "50")):
        zone = ZoneFactory(name=name, province__code="PK-PB")
        if score:
            scored(zone, score)
    scored(ZoneFactory(name="E", province__code="PK-SD"), "99")

    top_two = selectors.zones_ranked(Zone.objects.all(), per_province=2)
    first_three = selectors.zones_ranked(Zone.objects.filter(province="PK-PB"), limit=3)

    assert [z.name for z in top_two] == ["B", "D", "E"]
    assert [z.name for z in first_three] == ["B", "D", "A"]
    assert [z.name for z in selectors.zones_ranked(Zone.objects.filter(province="PK-PB"))][
        -1
    ] == "C"
