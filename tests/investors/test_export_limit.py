"""The exports are limited per client: a clear 429 page with ``Retry-After`` past the rate,
counted by the client's address behind our proxy, not by the proxy's."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import ZoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limit(settings):
    """Three exports a minute, counted afresh in every test."""
    settings.EXPORT_RATE_LIMIT = "3/m"
    cache.clear()
    yield
    cache.clear()


def test_past_the_limit_an_export_is_refused_with_a_page_and_retry_after(client):
    ZoneFactory(name="Rashakai SEZ")
    answers = [
        client.get(url)
        for url in (
            "/zones/export.csv",
            "/zones/export.xlsx",
            "/zones/export.csv?province=PK-KP",
        )
    ]
    refused = client.get("/zones/export.xlsx?junk=1")

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Content-Type"].startswith("text/html")
    page = refused.content.decode()
    assert "Too many exports in a short time" in page
    assert f"Try again in {refused['Retry-After']} second" in page
    assert "Rashakai SEZ" not in page


def test_the_limit_is_per_client_address(client):
    for _ in range(3):
        client.get("/zones/export.csv", REMOTE_ADDR="203.0.113.7")

    assert client.get("/zones/export.csv", REMOTE_ADDR="203.0.113.7").status_code == 429
    assert client.get("/zones/export.csv", REMOTE_ADDR="198.51.100.9").status_code == 200


def test_behind_the_proxy_each_forwarded_client_has_its_own_count(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(3):
        client.get("/zones/export.csv", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)

    attacker = client.get("/zones/export.csv", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    forged = client.get("/zones/export.csv", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7", **proxy)
    other = client.get("/zones/export.csv", HTTP_X_FORWARDED_FOR="198.51.100.9", **proxy)

    assert attacker.status_code == 429
    assert forged.status_code == 429, "a forged left-most address does not reset the count"
    assert other.status_code == 200


def test_an_empty_rate_turns_the_limit_off(client, settings):
    settings.EXPORT_RATE_LIMIT = None

    assert {client.get("/zones/export.csv").status_code for _ in range(5)} == {200}
