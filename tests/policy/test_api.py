"""``/api/policy-events/?zone=`` lists the events that apply to the zone, newest first, as the
rules define applying; ``approvals`` on ``/api/zones/<slug>/`` is the one-window clock per
kind. Both set-based: the same number of queries however many events, zones and records."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from policy import rules, selectors
from policy.models import PolicyEvent
from tests.factories import (
    ApplicationFactory,
    PolicyEventFactory,
    ProvinceFactory,
    ZoneFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def world():
    sindh, kp = ProvinceFactory(code="PK-SD"), ProvinceFactory(code="PK-KP")
    dhabeji = ZoneFactory(slug="dhabeji", province=sindh)
    ZoneFactory(slug="bin-qasim", province=sindh)
    rashakai = ZoneFactory(slug="rashakai", province=kp)
    PolicyEventFactory(reference="act", date=D(2012, 9, 10))
    PolicyEventFactory(reference="sindh", date=D(2016, 1, 1), level="provincial", province=sindh)
    PolicyEventFactory(reference="kp", date=D(2017, 1, 1), level="provincial", province=kp)
    PolicyEventFactory(reference="named", date=D(2020, 5, 1), zones=[dhabeji])
    PolicyEventFactory(
        reference="kp-named", date=D(2021, 1, 1), level="provincial", province=kp,
        zones=[rashakai],
    )  # fmt: skip
    PolicyEventFactory(reference="invented", date=D(2022, 1, 1), is_illustrative=True)


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("dhabeji", ["named", "sindh", "act"]),
        ("bin-qasim", ["sindh", "act"]),
        ("rashakai", ["kp-named", "kp", "act"]),
    ],
)
def test_the_events_that_apply_newest_first(client, world, slug, expected):
    response = client.get(f"/api/policy-events/?zone={slug}")
    assert response.status_code == 200
    body = response.json()
    assert [item["reference"] for item in body] == expected
    assert set(body[0]) >= {"reference", "date", "level", "effect", "title", "source_url"}


def test_the_selector_agrees_with_the_rule(world):
    from zones.models import Zone

    events = list(PolicyEvent.objects.prefetch_related("zones").select_related("province"))
    for zone in Zone.objects.select_related("province"):
        by_rule = {
            e.reference
            for e in events
            if not e.is_illustrative
            and rules.applies_to(
                selectors.record(e, [z.slug for z in e.zones.all()]),
                zone_slug=zone.slug,
                zone_province=zone.province_id,
            )
        }
        assert {e.reference for e in selectors.events_for_zone(zone)} == by_rule


def test_illustrative_events_only_on_request(client, world):
    plain = client.get("/api/policy-events/?zone=dhabeji").json()
    included = client.get("/api/policy-events/?zone=dhabeji&illustrative=include").json()
    assert "invented" not in [item["reference"] for item in plain]
    assert included[0]["reference"] == "invented"


def test_every_event_without_a_zone(client, world):
    body = client.get("/api/policy-events/").json()
    assert [item["reference"] for item in body] == ["kp-named", "named", "kp", "sindh", "act"]


@pytest.mark.parametrize("slug", ["nowhere", "hidden"])
def test_an_unknown_or_unpublished_zone_is_a_clear_400(client, world, slug):
    ZoneFactory(slug="hidden", published=False)
    response = client.get(f"/api/policy-events/?zone={slug}")
    assert response.status_code == 400
    assert response.json() == {"zone": [f"Unknown zone “{slug}”."]}


def test_the_schema_documents_the_endpoint_and_approvals(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/policy-events/" in schema["paths"]
    detail = schema["components"]["schemas"]["ZoneDetail"]["properties"]
    assert "approvals" in detail


def test_approvals_on_the_zone_detail(client):
    today = timezone.localdate()
    zone = ZoneFactory(slug="dhabeji")
    day = datetime.timedelta(days=1)
    for wait in (10, 20, 30, 41):
        ApplicationFactory(zone=zone, applied_on=today - 100 * day,
                           decided_on=today - (100 - wait) * day, decision="approved")  # fmt: skip
    ApplicationFactory(zone=zone, applied_on=today - 60 * day)
    ApplicationFactory(zone=zone, applied_on=today - 5 * day)
    ApplicationFactory(
        zone=zone, applied_on=today - 9 * day, decided_on=today, decision="withdrawn"
    )
    ApplicationFactory(zone=zone, kind="noc", applied_on=today - 3 * day,
                       decided_on=today, decision="rejected")  # fmt: skip
    # an invented application counts only on request
    ApplicationFactory(zone=zone, kind="allotment", is_illustrative=True)

    approvals = client.get("/api/zones/dhabeji/").json()["approvals"]

    assert approvals == {
        "enterprise_status": {
            "decided": 4,
            "median_days_to_decide": 25.0,
            "pending": 2,
            "oldest_pending_days": 60,
        },
        "noc": {
            "decided": 1,
            "median_days_to_decide": 3.0,
            "pending": 0,
            "oldest_pending_days": None,
        },
    }
    included = client.get("/api/zones/dhabeji/?illustrative=include").json()["approvals"]
    assert included["allotment"]["pending"] == 1


def test_the_sql_clock_agrees_with_the_rule():
    today = timezone.localdate()
    zone = ZoneFactory()
    records = []
    for index in range(13):
        applied = today - datetime.timedelta(days=200 - index * 7)
        decision = ("approved", "rejected", "withdrawn", "pending")[index % 4]
        decided = None if decision == "pending" else applied + datetime.timedelta(days=index * 3)
        kind = ("enterprise_status", "allotment")[index % 2]
        ApplicationFactory(zone=zone, kind=kind, applied_on=applied, decided_on=decided,
                           decision=decision)  # fmt: skip
        records.append(rules.ApplicationRecord(kind, applied, decided, decision))
    by_sql = {row.kind: row.figures for row in selectors.approvals_by_zone([zone.pk])[zone.pk]}
    assert by_sql == rules.approvals(records, today)


def _count(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/api/policy-events/?zone=z-0", "/api/zones/z-0/"])
def test_queries_do_not_grow_with_events_and_applications(
    client, url, django_assert_max_num_queries
):
    zone = ZoneFactory(slug="z-0")
    PolicyEventFactory(zones=[zone])
    ApplicationFactory(zone=zone)
    few = _count(client, url, django_assert_max_num_queries)
    for index in range(15):
        other = ZoneFactory(slug=f"z-{index + 1}")
        PolicyEventFactory(zones=[zone, other])
        PolicyEventFactory(level="provincial", province=zone.province)
        ApplicationFactory(zone=zone, kind=("noc", "allotment", "enterprise_status")[index % 3])
    assert _count(client, url, django_assert_max_num_queries) == few
