"""Zones side by side: /zones/compare/?zone=a&zone=b."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.factories import DisputeFactory, UtilityFactory, ZoneFactory
from tests.html import cells, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    zone = ZoneFactory(
        name="Rashakai SEZ",
        slug="rashakai",
        province__code="PK-KP",
        district="Nowshera",
        area_acres=Decimal("1000"),
        sectors=["textiles", "steel"],
    )
    UtilityFactory(zone=zone, kind="electricity", status="at_zero_point")
    UtilityFactory(zone=zone, kind="road", status="connected")
    DisputeFactory(zone=zone, status="in_court", affected_acres=Decimal("120"))
    return zone


def test_compare_shows_zones_side_by_side(client, zone):
    ZoneFactory(name="Dhabeji SEZ", slug="dhabeji", province__code="PK-SD")

    response = client.get("/zones/compare/?zone=rashakai&zone=dhabeji")
    html = response.content.decode()

    assert response.status_code == 200
    headers = re.findall(r'<th scope="col"><a href="/zones/([\w-]+)/">', html)
    assert headers == ["rashakai", "dhabeji"]
    assert "Khyber Pakhtunkhwa" in html and "Sindh" in html


def test_compare_lines_up_utilities_and_open_disputes(client, zone):
    ZoneFactory(name="Dhabeji SEZ", slug="dhabeji", province__code="PK-SD")

    html = client.get("/zones/compare/?zone=rashakai&zone=dhabeji").content.decode()
    rows = {row[0]: row[1:] for row in map(cells, re.findall(r"<tr>.*?</tr>", html, re.S))}

    assert rows["Electricity"] == ["Delivered to zero point", "no record"]
    assert rows["Road"] == ["Connected inside the zone", "no record"]
    assert rows["Land disputes open"] == ["1", "0"]


def test_compare_takes_at_most_four_zones(client):
    slugs = [ZoneFactory().slug for _ in range(5)]

    response = client.get("/zones/compare/?" + "&".join(f"zone={s}" for s in slugs))

    assert response.status_code == 400
    assert "Pick at most 4 zones to compare; 5 were picked." in text_of(response)


def test_compare_names_zones_it_cannot_show(client, zone):
    ZoneFactory(slug="draft", published=False)

    page = text_of(client.get("/zones/compare/?zone=rashakai&zone=draft&zone=nope"))

    assert "These zones could not be found: draft, nope" in page
    assert "Rashakai SEZ" in page
