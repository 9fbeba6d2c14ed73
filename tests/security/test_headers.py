"""Every response carries the browser security headers; production adds HTTPS-only ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import ZoneFactory

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


@pytest.mark.parametrize(
    "path", ["/", "/zones/", "/zones/rashakai/", "/api/zones/", "/accounts/login/", "/healthz"]
)
def test_pages_and_api_send_a_strict_policy_and_the_other_headers(client, path):
    ZoneFactory(slug="rashakai")

    response = client.get(path)

    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert not any("unsafe-inline" in v or "unsafe-eval" in v for vs in policy.values() for v in vs)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_style_attributes_are_allowed_only_by_the_hash_of_two_fixed_values(client):
    """The one relaxation: plotly.js's empty style and its <sup> size, by exact hash."""
    import base64
    import hashlib

    policy = _directives(client.get("/accounts/login/")["Content-Security-Policy"])

    def sha(value: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(value.encode()).digest()).decode() + "'"

    assert sorted(policy["style-src-attr"]) == sorted(
        ["'unsafe-hashes'", sha(""), sha("font-size:70%")]
    )


PROBE = """
import json
import django
from django.test import Client
django.setup()
client = Client()
plain = client.get("/healthz")
proxied = client.get("/healthz", headers={"X-Forwarded-Proto": "https"})
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "proxied": [proxied.status_code, proxied.get("Strict-Transport-Security")],
}))
"""


def test_production_redirects_to_https_unless_the_proxy_says_https_and_sets_hsts():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x7Qp2" * 10,
        "DJANGO_ALLOWED_HOSTS": "testserver",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert seen["plain"] == [301, "https://testserver/healthz"]
    status, hsts = seen["proxied"]
    assert status in (200, 503)  # answered, not redirected (503 only if a service is down)
    assert hsts == "max-age=31536000; includeSubDomains; preload"
