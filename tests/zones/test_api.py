"""The public REST API: the contract's fields, readiness from the latest snapshot, the
published/internal split, read-only access, the OpenAPI schema and its offline docs page."""

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
from zones.models import ReadinessSnapshot

pytestmark = pytest.mark.django_db


def _snapshot(zone, *, score: str, utilities: str, when: datetime.datetime, version: int = 1):
    return ReadinessSnapshot.objects.create(
        zone=zone,
        score=Decimal(score),
        utilities=Decimal(utilities),
        land=Decimal("1"),
        milestones=Decimal("0.25"),
        occupancy=Decimal("0.125"),
        weights={"utilities": "0.35", "land": "0.15", "milestones": "0.30", "occupancy": "0.20"},
        profile_version=version,
        computed_at=when,
        inputs_digest=f"{score}-{utilities}",
    )


def test_list_has_the_contract_fields(client):
    ZoneFactory(
        name="Rashakai SEZ",
        slug="rashakai",
        province__code="PK-KP",
        area_acres=Decimal("1000"),
        sectors=["textiles", "steel"],
        status="under_development",
    )

    body = client.get("/api/zones/").json()

    assert body["count"] == 1
    zone = body["results"][0]
    assert zone["slug"] == "rashakai"
    assert zone["name"] == "Rashakai SEZ"
    assert zone["province"] == "PK-KP"
    assert sorted(zone["sectors"]) == ["steel", "textiles"]
    assert zone["status"] == "under_development"
    assert zone["area_acres"] == 1000
    assert zone["readiness"] is None  # never scored
    assert zone["url"].endswith("/api/zones/rashakai/")
    assert zone["page_url"].endswith("/zones/rashakai/")


def test_readiness_comes_from_the_latest_snapshot(client):
    zone = ZoneFactory(slug="scored")
    early = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    late = datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
    _snapshot(zone, score="40.0", utilities="0.2", when=early, version=1)
    _snapshot(zone, score="55.5", utilities="0.6", when=late, version=2)
    zone.readiness_score = Decimal("55.5")
    zone.readiness_computed_at = late
    zone.save()

    listed = client.get("/api/zones/").json()["results"][0]["readiness"]
    detailed = client.get("/api/zones/scored/").json()["readiness"]

    assert listed == detailed
    assert listed["score"] == 55.5
    assert listed["components"] == {
        "utilities": 0.6,
        "land": 1.0,
        "milestones": 0.25,
        "occupancy": 0.125,
    }
    assert listed["profile_version"] == 2
    assert listed["computed_at"].startswith("2025-06-01")


def test_public_sees_only_published_zones(client):
    ZoneFactory(slug="open", published=True)
    ZoneFactory(slug="hidden", published=False)

    slugs = [z["slug"] for z in client.get("/api/zones/").json()["results"]]

    assert slugs == ["open"]
    assert client.get("/api/zones/hidden/").status_code == 404


def test_officials_see_unpublished_zones(client):
    ZoneFactory(slug="hidden", published=False)
    client.force_login(make_user("official"))

    assert [z["slug"] for z in client.get("/api/zones/").json()["results"]] == ["hidden"]
    assert client.get("/api/zones/hidden/").status_code == 200


@pytest.fixture
def zone_with_internals():
    zone = ZoneFactory(slug="internal", internal_notes="Minister to visit; keep quiet.")
    DisputeFactory(zone=zone, reference="case-1", parties="Landowner Khan v. SEZ company")
    return zone


def test_public_detail_never_shows_internal_fields(client, zone_with_internals):
    body = client.get("/api/zones/internal/").json()
    text = client.get("/api/zones/internal/").content.decode()

    assert "internal_notes" not in body
    assert body["disputes"][0]["reference"] == "case-1"
    assert "parties" not in body["disputes"][0]
    assert "Landowner Khan" not in text
    assert "Minister to visit" not in text


def test_officials_detail_shows_internal_fields(client, zone_with_internals):
    client.force_login(make_user("official"))

    body = client.get("/api/zones/internal/").json()

    assert body["internal_notes"] == "Minister to visit; keep quiet."
    assert body["disputes"][0]["parties"] == "Landowner Khan v. SEZ company"


def test_investors_signed_in_without_a_role_are_the_public(client, zone_with_internals):
    client.force_login(make_user())

    body = client.get("/api/zones/internal/").json()

    assert "internal_notes" not in body
    assert "parties" not in body["disputes"][0]


def test_detail_has_utilities_milestones_firms_and_targets(client):
    zone = ZoneFactory(slug="full")
    UtilityFactory(
        zone=zone,
        kind="electricity",
        status="at_zero_point",
        required_capacity=Decimal("160"),
        available_capacity=Decimal("80"),
        unit="MW",
    )
    MilestoneFactory(
        zone=zone,
        code="groundbreaking",
        baseline_date=datetime.date(2020, 1, 1),
        planned_date=datetime.date(2020, 3, 1),
    )
    FirmFactory(zone=zone, name="Century Steel", origin_country="CN", ownership="foreign")
    TargetFactory(zone=zone)

    body = client.get("/api/zones/full/").json()

    assert body["utilities"][0] == {
        "kind": "electricity",
        "status": "at_zero_point",
        "required_capacity": 160,
        "available_capacity": 80,
        "unit": "MW",
        "provider": "",
        "target_date": None,
        "source_url": "",
        "is_illustrative": False,
    }
    assert body["milestones"][0]["slippage_days"] == 60
    assert body["firms"][0]["origin_group"] == "chinese"
    assert body["targets"][0]["metric"] == "jobs"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, method):
    ZoneFactory(slug="zone")
    client.force_login(make_user("administrator"))

    list_response = getattr(client, method)("/api/zones/", {}, content_type="application/json")
    detail_response = getattr(client, method)(
        "/api/zones/zone/", {}, content_type="application/json"
    )

    assert list_response.status_code == 405
    assert detail_response.status_code == 405


def test_pages_of_fifty_with_links(client):
    ZoneFactory.create_batch(51)

    first = client.get("/api/zones/").json()
    second = client.get(first["next"]).json()

    assert first["count"] == 51
    assert len(first["results"]) == 50
    assert len(second["results"]) == 1
    assert second["next"] is None


def test_detail_queries_do_not_grow_with_records(client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/zones/big/").status_code == 200
        return len(captured)

    zone = ZoneFactory(slug="big")
    FirmFactory(zone=zone)
    few = queries()
    for index in range(10):
        FirmFactory(zone=zone)
        MilestoneFactory(zone=zone)
        DisputeFactory(zone=zone)
        TargetFactory(zone=zone, announced_on=datetime.date(2020, 1, 1 + index))

    assert queries() == few


def test_schema_is_openapi_3_with_the_filters(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()

    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    operation = schema["paths"]["/api/zones/"]["get"]
    parameters = {p["name"] for p in operation["parameters"]}
    assert {
        "sector",
        "province",
        "status",
        "readiness_min",
        "readiness_max",
        "utility",
        "free_land_min",
        "cpec_priority",
        "q",
        "sort",
        "page",
    } <= parameters
    assert "/api/zones/{slug}/" in schema["paths"]


def test_docs_page_loads_its_assets_from_our_own_static_files(client):
    html = client.get("/api/docs/").content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in src for src in sources)
    assert all(src.startswith("/") for src in sources), sources
    assert "<style" not in html
