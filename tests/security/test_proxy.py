"""Behind our reverse proxy: sign-in lockouts follow the client's own address, which a
forged X-Forwarded-For cannot choose, and the API offers no password check of its own."""

from __future__ import annotations

import base64

import pytest

from config.proxy import client_address
from tests.factories import ZoneFactory, make_user

PASSWORD = "correct horse battery staple"
PROXY = "10.0.0.1"
ATTACKER = "198.51.100.7"
REVIEWER = "203.0.113.9"


def _sign_in(client, username, password, *, forwarded_for):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_an_attackers_failures_behind_the_proxy_lock_out_only_the_attackers_address(
    client, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("reviewer", username="farah")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "farah", "wrong password", forwarded_for=ATTACKER)

    from django.test import Client

    reviewer = Client()
    signed_in = _sign_in(reviewer, "farah", PASSWORD, forwarded_for=REVIEWER)
    attacker_again = _sign_in(client, "farah", PASSWORD, forwarded_for=ATTACKER)
    # The attacker forges the reviewer's address in front of its own: the proxy appended
    # the attacker's real one, and that is the one counted.
    forged = _sign_in(client, "farah", PASSWORD, forwarded_for=f"{REVIEWER}, {ATTACKER}")

    assert signed_in.status_code == 302
    assert attacker_again.status_code == 429
    assert forged.status_code == 429


@pytest.mark.django_db
def test_without_trusted_proxies_the_forwarded_header_is_ignored(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    make_user("reviewer", username="gul")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # Each request claims another address; none of them is believed.
        _sign_in(client, "gul", "wrong password", forwarded_for=f"198.51.100.{attempt}")

    assert _sign_in(client, "gul", PASSWORD, forwarded_for="203.0.113.1").status_code == 429


@pytest.mark.parametrize(
    ("forwarded", "trusted", "expected"),
    [
        ("198.51.100.7", 0, PROXY),
        ("198.51.100.7", 1, "198.51.100.7"),
        ("203.0.113.9, 198.51.100.7", 1, "198.51.100.7"),
        ("203.0.113.9, 198.51.100.7, 10.0.0.2", 2, "198.51.100.7"),
        ("198.51.100.7", 2, PROXY),  # came through fewer proxies than configured
        ("", 1, PROXY),
        ("not-an-address", 1, PROXY),
        ("2001:db8::1", 1, "2001:db8::1"),
    ],
)
def test_the_client_is_the_nth_address_from_the_right(forwarded, trusted, expected):
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}

    assert client_address(meta, trusted) == expected


@pytest.mark.django_db
def test_the_api_ignores_basic_authentication(client):
    make_user("official", username="hamid")
    ZoneFactory(slug="hidden", published=False)
    ZoneFactory(slug="public")
    for password in (PASSWORD, "wrong password"):
        token = base64.b64encode(f"hamid:{password}".encode()).decode()

        response = client.get("/api/zones/", HTTP_AUTHORIZATION=f"Basic {token}")

        # Neither a 401 that confirms a wrong password nor an official's view for a right one.
        assert response.status_code == 200
        assert [zone["slug"] for zone in response.json()["results"]] == ["public"]
