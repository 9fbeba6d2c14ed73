"""The API's serializers read a record's own columns straight off it
(``zones.api.base.ModelSerializer``): what they answer is byte for byte what DRF's own
way of reading fields gives, for the zone list and the zone detail, public and official, with
every kind of record and every kind of empty value."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from rest_framework import serializers as drf

from tests.factories import (
    AnnualReturnFactory,
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    PlotFactory,
    TargetFactory,
    UtilityFactory,
    ZoneFactory,
    make_user,
)
from zones.api import serializers

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    zone = ZoneFactory(
        slug="rashakai",
        province__code="PK-KP",
        area_acres=Decimal("1000.50"),
        latitude=Decimal("34.015300"),
        longitude=None,
        sectors=["textiles", "steel"],
        internal_notes="Hush.",
        approved_on=datetime.date(2019, 3, 1),
    )
    UtilityFactory(zone=zone, kind="electricity", required_capacity=Decimal("160"),
                   available_capacity=None, provider="PESCO")  # fmt: skip
    UtilityFactory(zone=zone, kind="gas", is_illustrative=True)
    DisputeFactory(zone=zone, affected_acres=None, parties="Khan v. SEZ company")
    MilestoneFactory(zone=zone, baseline_date=datetime.date(2021, 1, 1), actual_date=None)
    MilestoneFactory(zone=zone, baseline_date=None, planned_date=None, actual_date=None)
    firm = FirmFactory(zone=zone, name="Century Steel", allotted_acres=Decimal("12.50"),
                       allotted_on=datetime.date(2020, 5, 1), jobs_actual=None)  # fmt: skip
    FirmFactory(zone=zone, sector=None, allotted_acres=None, origin_country="CN",
                ownership="joint_venture", is_illustrative=True)  # fmt: skip
    AnnualReturnFactory(firm=firm)
    PlotFactory(zone=zone, acres=Decimal("7.25"))
    TargetFactory(zone=zone, value=Decimal("5000"))
    TargetFactory(zone=zone, metric="completion_date", value=None,
                  target_date=datetime.date(2025, 1, 1), milestone_code="power")  # fmt: skip
    return zone


def answers(client) -> list[bytes]:
    urls = [
        "/api/zones/",
        "/api/zones/?illustrative=include",
        "/api/zones/rashakai/",
        "/api/zones/rashakai/?illustrative=include",
    ]
    found = []
    client.logout()
    for user in (None, make_user("official")):
        if user:
            client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200
            found.append(response.content)
    return found


def test_the_answers_are_what_drf_would_give(client, zone, monkeypatch):
    ours = answers(client)
    monkeypatch.setattr(
        serializers.ModelSerializer, "to_representation", drf.ModelSerializer.to_representation
    )
    drfs = answers(client)

    assert ours == drfs
    assert b'"Century Steel"' in ours[2] and b'"allotted_acres":12.5' in ours[2]
    assert b'"internal_notes":"Hush."' in ours[-1]
