"""``approval_days_max``: zones whose one-window decides enterprise status (approved or
rejected) in at most that many days, as a median; the same zones on the finder page, the
API and both exports; bad values refused with a clear message everywhere."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ApplicationFactory, ZoneFactory
from tests.investors.test_finder import SURFACES

pytestmark = pytest.mark.django_db

D = datetime.date


def decided(zone, *waits, kind="enterprise_status", decision="approved", **kwargs):
    for wait in waits:
        ApplicationFactory(
            zone=zone, kind=kind, applied_on=D(2025, 1, 1),
            decided_on=D(2025, 1, 1) + datetime.timedelta(days=wait), decision=decision,
            **kwargs,
        )  # fmt: skip


@pytest.fixture
def zones():
    fast = ZoneFactory(slug="fast", name="Fast Zone")
    decided(fast, 5, 9)  # median 7
    decided(fast, 100, decision="withdrawn")  # withdrawn: not counted
    slow = ZoneFactory(slug="slow", name="Slow Zone")
    decided(slow, 10, 20)  # median 15
    decided(slow, 30, decision="rejected")  # rejected counts: 10, 20, 30 → median 20
    # quick NOCs but nothing on enterprise status: never matches
    nocs = ZoneFactory(slug="nocs", name="NOC Zone")
    decided(nocs, 1, kind="noc")
    ApplicationFactory(zone=nocs)  # pending
    invented = ZoneFactory(slug="invented", name="Invented Zone")
    decided(invented, 2, is_illustrative=True)
    ZoneFactory(slug="none", name="No Application Zone")


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("approval_days_max=7", {"fast"}),
        ("approval_days_max=6.9", set()),
        ("approval_days_max=20", {"fast", "slow"}),
        ("approval_days_max=19.5", {"fast"}),
        ("approval_days_max=20&illustrative=include", {"fast", "slow", "invented"}),
        ("approval_days_max=30&province=PK-SD", set()),
    ],
)
def test_approval_days_max_gives_the_same_zones_everywhere(client, zones, surface, query, expected):
    assert set(SURFACES[surface](client, query)) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("approval_days_max=-1", "greater than or equal to 0"),
        ("approval_days_max=soon", "Enter a number."),
        ("approval_days_max=" + "9" * 400, "less than or equal to"),
    ],
)
def test_bad_approval_days_max_is_refused_with_a_clear_message(client, query, message):
    page = client.get(f"/zones/?{query}")
    api = client.get(f"/api/zones/?{query}")
    export = client.get(f"/zones/export.csv?{query}")
    assert page.status_code == 400 and message in page.content.decode()
    assert api.status_code == 400 and any(message in t for t in api.json()["approval_days_max"])
    assert export.status_code == 400


def test_the_finder_offers_the_filter_and_explains_an_empty_result(client, zones):
    html = client.get("/zones/?approval_days_max=1").content.decode()
    assert 'name="approval_days_max"' in html
    assert "Enterprise status decided within (median days)" in html


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url", ["/zones/?approval_days_max=50", "/api/zones/?approval_days_max=50"]
)
def test_approval_days_max_costs_no_query_per_zone(client, url):
    for index in range(2):
        decided(ZoneFactory(slug=f"few-{index}"), 10)
    few = _queries(client, url)
    for index in range(20):
        decided(ZoneFactory(slug=f"many-{index}"), 10, 12)
    assert _queries(client, url) == few
