"""The zone detail's ``returns``: DOMAIN.md's names and figures, illustrative returns only on
request, described in the OpenAPI schema, within a fixed query budget."""

from decimal import Decimal

import pytest

from tests.factories import AnnualReturnFactory, FirmFactory, ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    zone = ZoneFactory(slug="returns-zone")
    a, b = FirmFactory(zone=zone), FirmFactory(zone=zone)
    AnnualReturnFactory(
        firm=a, year=2023, employees=300, employees_local=240, employees_women=45,
        employees_trained=30, exports_usd=Decimal("2000000"), imports_usd=Decimal("1500000"),
        export_markets=["CN", "AE"],
    )  # fmt: skip
    AnnualReturnFactory(
        firm=b, year=2023, employees=100, employees_local=None, exports_usd=Decimal("500000"),
        export_markets=["CN"],
    )  # fmt: skip
    AnnualReturnFactory(
        firm=a, year=2024, employees=320, employees_local=250, employees_women=64,
        exports_usd=Decimal("2100000"), imports_usd=Decimal("2600000"),
        export_markets=["CN", "AE", "GB"],
    )  # fmt: skip
    AnnualReturnFactory(firm=b, year=2025, employees=999, is_illustrative=True)
    return zone


def test_detail_publishes_returns_per_year(zone, client, django_assert_max_num_queries):
    url = f"/api/zones/{zone.slug}/"
    client.get(url)  # warm the caches that are not ours
    # the detail's 16 (reported totals and approvals among them), and the returns' two
    with django_assert_max_num_queries(18):
        body = client.get(url).json()
    # By hand: 2023 employees 400; local 240/300 (b gives no split) = 0.8; women 45/300 = 0.15;
    # exports 2.5 M; imports 1.5 M; net over a only 0.5 M; new AE, CN. 2024: local 250/320 =
    # 0.78125 -> 0.7813; women 64/320 = 0.2; net 2.1 M - 2.6 M = -0.5 M; new GB.
    # 2025: b's return is illustrative, so no year.
    assert body["returns"] == {
        "2023": {
            "firms_reporting": 2, "employees": 400, "local_share": 0.8, "women_share": 0.15,
            "trained": 30, "exports_usd": 2500000.0, "imports_usd": 1500000.0,
            "net_foreign_exchange_usd": 500000.0, "new_markets": ["AE", "CN"],
        },
        "2024": {
            "firms_reporting": 1, "employees": 320, "local_share": 0.7813, "women_share": 0.2,
            "trained": None, "exports_usd": 2100000.0, "imports_usd": 2600000.0,
            "net_foreign_exchange_usd": -500000.0, "new_markets": ["GB"],
        },
    }  # fmt: skip


def test_illustrative_returns_on_request(zone, client):
    body = client.get(f"/api/zones/{zone.slug}/?illustrative=include").json()
    assert body["returns"]["2025"]["employees"] == 999


def test_a_zone_without_returns_has_none(client):
    zone = ZoneFactory()
    assert client.get(f"/api/zones/{zone.slug}/").json()["returns"] == {}


def test_the_schema_describes_returns(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    detail = schema["components"]["schemas"]["ZoneDetail"]["properties"]
    assert "returns" in detail
    year = schema["components"]["schemas"]["ReturnYear"]["properties"]
    assert {
        "firms_reporting", "employees", "local_share", "women_share", "trained", "exports_usd",
        "imports_usd", "net_foreign_exchange_usd", "new_markets",
    } == set(year)  # fmt: skip
