"""The formula's clauses about which records count, from database rows through the selector."""

from decimal import Decimal

import pytest

from readiness.inputs import readiness_inputs
from readiness.rules import compute_readiness
from tests.factories import (
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    UtilityFactory,
    ZoneFactory,
)
from zones.vocabulary import DisputeStatus, FirmStatus, MilestoneStatus, UtilityKind, UtilityStatus

pytestmark = pytest.mark.django_db

D = Decimal


def score_of(zone):
    return compute_readiness(readiness_inputs(zone_ids=[zone.pk])[zone.pk])


@pytest.mark.parametrize(
    ("status", "counts"),
    [
        (DisputeStatus.OPEN, True),
        (DisputeStatus.IN_COURT, True),
        (DisputeStatus.IN_MEDIATION, True),
        (DisputeStatus.RESOLVED, False),
        (DisputeStatus.DISMISSED, False),
    ],
)
def test_only_open_in_court_and_in_mediation_disputes_take_land(status, counts):
    zone = ZoneFactory(area_acres=D("1000"))
    DisputeFactory(zone=zone, status=status, affected_acres=D("250"))

    assert score_of(zone).land == (D("0.7500") if counts else D("1.0000"))


def test_disputes_with_unknown_acres_take_no_land():
    zone = ZoneFactory(area_acres=D("1000"))
    DisputeFactory(zone=zone, affected_acres=None)
    DisputeFactory(zone=zone, affected_acres=D("100"))

    assert score_of(zone).land == D("0.9000")


def test_cancelled_milestones_leave_the_denominator_and_other_statuses_stay():
    zone = ZoneFactory()
    MilestoneFactory(zone=zone, status=MilestoneStatus.DONE, weight=D("2"))
    MilestoneFactory(zone=zone, status=MilestoneStatus.IN_PROGRESS, weight=D("1"))
    MilestoneFactory(zone=zone, status=MilestoneStatus.BLOCKED, weight=D("1"))
    MilestoneFactory(zone=zone, status=MilestoneStatus.NOT_STARTED, weight=D("1"))
    MilestoneFactory(zone=zone, status=MilestoneStatus.CANCELLED, weight=D("5"))

    assert score_of(zone).milestones == D("0.4000")  # 2 / (2 + 1 + 1 + 1)


def test_a_zone_whose_milestones_are_all_cancelled_scores_zero_for_milestones():
    zone = ZoneFactory()
    MilestoneFactory(zone=zone, status=MilestoneStatus.CANCELLED)

    assert score_of(zone).milestones == D("0.0000")


@pytest.mark.parametrize(
    ("status", "counts"),
    [
        (FirmStatus.INTERESTED, False),
        (FirmStatus.ALLOTTED, True),
        (FirmStatus.UNDER_CONSTRUCTION, True),
        (FirmStatus.OPERATING, True),
        (FirmStatus.WITHDRAWN, False),
    ],
)
def test_only_allotted_building_and_operating_firms_occupy_land(status, counts):
    zone = ZoneFactory(area_acres=D("200"))
    FirmFactory(zone=zone, status=status, allotted_acres=D("50"))

    assert score_of(zone).occupancy == (D("0.2500") if counts else D("0.0000"))


def test_firms_with_unknown_acres_occupy_nothing():
    zone = ZoneFactory(area_acres=D("200"))
    FirmFactory(zone=zone, allotted_acres=None)

    assert score_of(zone).occupancy == D("0.0000")


def test_only_the_four_core_utilities_count():
    zone = ZoneFactory()
    for kind in (
        UtilityKind.TELECOM,
        UtilityKind.RAIL,
        UtilityKind.SEWERAGE,
    ):
        UtilityFactory(zone=zone, kind=kind, status=UtilityStatus.CONNECTED)
    UtilityFactory(
        zone=zone,
        kind=UtilityKind.WATER,
        status=UtilityStatus.AT_ZERO_POINT,
        required_capacity=D("4"),
        available_capacity=D("3"),
    )

    assert score_of(zone).utilities == D("0.1500")  # 0.8 × 3/4 / 4


def test_a_zone_with_no_records_and_no_area_scores_zero():
    zone = ZoneFactory(area_acres=None)

    result = score_of(zone)

    assert result.score == D("0.0")
    assert set(result.components().values()) == {D("0.0000")}


def test_a_zone_with_an_area_and_no_records_scores_only_for_undisputed_land():
    zone = ZoneFactory(area_acres=D("10"))

    assert score_of(zone).score == D("15.0")  # 100 × 0.15 × land 1
