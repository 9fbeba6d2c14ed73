"""A zone's page."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    TargetFactory,
    UtilityFactory,
    ZoneFactory,
    make_user,
)
from tests.html import cells, text_of
from zones.locator_map import locator_map
from zones.vocabulary import FirmStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    zone = ZoneFactory(
        name="Rashakai SEZ",
        slug="rashakai",
        province__code="PK-KP",
        district="Nowshera",
        latitude=Decimal("34.0153"),
        longitude=Decimal("71.9747"),
        area_acres=Decimal("1000"),
        sectors=["textiles", "steel"],
        source_url="https://example.org/rashakai",
        internal_notes="Minister to visit; keep quiet.",
    )
    UtilityFactory(
        zone=zone,
        kind="electricity",
        status="at_zero_point",
        required_capacity=Decimal("160"),
        available_capacity=Decimal("80"),
        unit="MW",
        provider="PESCO",
    )
    UtilityFactory(zone=zone, kind="road", status="connected")
    DisputeFactory(
        zone=zone,
        reference="compensation-2017",
        status="in_court",
        affected_acres=Decimal("120"),
        parties="Landowner Khan v. SEZ company",
    )
    MilestoneFactory(
        zone=zone,
        title="Power at zero point",
        baseline_date=datetime.date(2021, 12, 31),
        planned_date=datetime.date(2022, 12, 31),
        actual_date=datetime.date(2024, 1, 10),
        status="done",
    )
    FirmFactory(zone=zone, name="Century Steel", origin_country="CN", ownership="foreign")
    FirmFactory(zone=zone, name="Local Mills", status=FirmStatus.ALLOTTED)
    FirmFactory(zone=zone, name="Sino-Pak JV", origin_country="CN", ownership="joint_venture")
    TargetFactory(zone=zone)
    return zone


def test_the_page_shows_facts_with_their_source(client, zone):
    page = text_of(client.get("/zones/rashakai/"))

    assert "Rashakai SEZ" in page
    assert "Khyber Pakhtunkhwa" in page
    assert "1000 acres" in page
    assert "Free land 970 acres" in page  # 1000 − 3 active firms × 10 acres
    assert "Textiles and garments" in page and "Steel and metal fabrication" in page
    assert "https://example.org/rashakai" in page
    assert "not yet computed" in page


def test_utilities_by_kind_tell_zero_point_from_connected(client, zone):
    html = client.get("/zones/rashakai/").content.decode()

    electricity = re.search(r'<tr class="utility-electricity">(.*?)</tr>', html, re.S).group(1)
    road = re.search(r'<tr class="utility-road">(.*?)</tr>', html, re.S).group(1)
    water = re.search(r'<tr class="utility-water">(.*?)</tr>', html, re.S).group(1)

    assert cells(electricity)[:6] == [
        "Electricity",
        "Delivered to zero point",
        "yes",
        "no",
        "160 MW",
        "80 MW",
    ]
    assert 'class="num shortfall"' in electricity  # less available than needed
    assert cells(road)[2:4] == ["yes", "yes"]
    assert cells(water)[1] == "No record"


def test_milestones_show_planned_and_actual_dates_and_slippage(client, zone):
    page = text_of(client.get("/zones/rashakai/"))

    assert "Power at zero point" in page
    assert "Dec. 31, 2021 Dec. 31, 2022 Jan. 10, 2024 740" in page  # baseline, planned, actual


def test_firms_are_counted_by_origin_and_status(client, zone):
    response = client.get("/zones/rashakai/")
    breakdown = response.context["page"].firm_breakdown

    rows = {label: (cells, total) for label, cells, total in breakdown.rows}
    assert rows["Chinese"][1] == 1
    assert rows["Pakistani"][1] == 1
    assert rows["Joint venture"][1] == 1
    assert breakdown.total == 3
    assert "Firms by origin and status" in text_of(response)


def test_the_public_never_sees_internal_fields(client, zone):
    page = text_of(client.get("/zones/rashakai/"))

    assert "compensation-2017" in page
    assert "Landowner Khan" not in page
    assert "Minister to visit" not in page


def test_officials_see_internal_fields(client, zone):
    client.force_login(make_user("official"))

    page = text_of(client.get("/zones/rashakai/"))

    assert "Landowner Khan v. SEZ company" in page
    assert "Minister to visit; keep quiet." in page


def test_unpublished_zone_is_hidden_from_the_public_only(client):
    ZoneFactory(slug="draft", published=False)

    assert client.get("/zones/draft/").status_code == 404
    client.force_login(make_user("official"))
    assert client.get("/zones/draft/").status_code == 200


def test_the_map_marks_the_zone_without_any_tile_server(client, zone):
    html = client.get("/zones/rashakai/").content.decode()

    svg = re.search(r"<svg class=\"locator-map\".*?</svg>", html, re.S).group(0)
    assert 'class="zone-marker"' in svg
    assert "http" not in svg
    assert "Coordinates are approximate." in html


def test_the_marker_sits_where_the_coordinates_say():
    karachi = locator_map(Decimal("24.86"), Decimal("67.01"))
    gilgit = locator_map(Decimal("35.92"), Decimal("74.31"))

    assert karachi["zone"]["x"] < gilgit["zone"]["x"]  # west of
    assert karachi["zone"]["y"] > gilgit["zone"]["y"]  # south of
    assert locator_map(None, None) is None
    assert locator_map(Decimal("51.5"), Decimal("-0.1")) is None  # London: not on this map


def test_zone_without_coordinates_says_so(client):
    ZoneFactory(slug="nowhere", latitude=None, longitude=None)

    page = text_of(client.get("/zones/nowhere/"))

    assert "The zone's location has not been recorded." in page


def test_zone_page_queries_do_not_grow_with_records(client, zone):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/zones/rashakai/").status_code == 200
        return len(captured)

    few = queries()
    for index in range(10):
        FirmFactory(zone=zone)
        MilestoneFactory(zone=zone)
        DisputeFactory(zone=zone)
        TargetFactory(zone=zone, announced_on=datetime.date(2020, 1, 1 + index))

    assert queries() == few
