"""Every page, export, feed, digest and API response, on the demo bundle: with the switch off
nothing a reader gets changes when every illustrative record is deleted; with it on, the
illustrative records count (and are listed) where the zone has some.

The one exception is the open data package (/data/), which publishes every record with its
``is_illustrative`` flag: records, not figures."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from follow import alerts
from follow.models import AlertSubscription
from investors.models import Firm
from tests.dashboards.test_illustrative import VOLATILE, _delete_every_illustrative_record
from zones.models import Zone

pytestmark = pytest.mark.django_db

#: Zones the demo gives illustrative firms, milestones, plots, requests or outages.
WITH_INVENTED = ("rashakai", "allama-iqbal-industrial-city", "khairpur")
COMPARED = "zone=rashakai&zone=allama-iqbal-industrial-city&zone=dhabeji"

PAGES = (
    "/",
    "/provinces/PK-PB/",
    "/provinces/PK-KP/",
    "/delivery/",
    "/zones/",
    "/zones/?sort=-free_land",
    "/zones/?sort=-delivery",
    f"/zones/compare/?{COMPARED}",
    "/changes/",
    "/feeds/changes/",
    "/feeds/zones/rashakai/",
    "/feeds/provinces/PK-PB/",
    "/api/zones/?page_size=100",
    "/api/zones/?page_size=100&sort=-free_land",
)
EXPORTS = ("/zones/export.csv?sort=-free_land", "/zones/export.xlsx?sort=-free_land")


def _body(client, url: str) -> str:
    cache.clear()  # the rendered-page cache and the export rate limit
    response = client.get(url)
    assert response.status_code == 200, url
    if url.startswith("/zones/export.xlsx"):
        content = b"".join(response.streaming_content)
        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        return repr([list(row) for row in sheet.iter_rows(values_only=True)])
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content).decode()
    else:
        body = response.content.decode()
    for pattern in VOLATILE:
        body = pattern.sub("", body)
    return body


def _every_url() -> list[str]:
    slugs = list(Zone.objects.order_by("slug").values_list("slug", flat=True))
    return [
        *PAGES,
        *EXPORTS,
        *(f"/zones/{slug}/" for slug in slugs),
        *(f"/api/zones/{slug}/" for slug in slugs),
    ]


def _seen_everywhere(client, urls: list[str], *, suffix: str = "") -> dict[str, str]:
    seen = {}
    for url in urls:
        asked = url + (("&" if "?" in url else "?") + suffix if suffix else "")
        seen[url] = _body(client, asked)
    return seen


def _digest() -> str:
    """The daily digest of an alert on every zone, confirmed before the demo was loaded."""
    mail.outbox.clear()
    AlertSubscription.objects.update(last_sent_at=None)
    alerts.alert_digests_send(frequency="daily", now=timezone.now() + datetime.timedelta(days=1))
    assert len(mail.outbox) == 1
    return re.sub(r"https?://\S+", "<url>", mail.outbox[0].body)


@pytest.fixture
def demo(db, settings):
    settings.EXPORT_RATE_LIMIT = "1000/m"
    AlertSubscription.objects.create(
        email="reader@example.org",
        query="",
        frequency="daily",
        language="en",
        confirmed_at=timezone.now() - datetime.timedelta(days=1),
    )
    call_command("seed_demo")
    from readiness.services import readiness_recompute

    readiness_recompute()
    assert Firm.objects.filter(is_illustrative=True, zone__slug__in=WITH_INVENTED).exists()


def test_with_the_switch_off_nothing_anywhere_rests_on_an_illustrative_record(demo, client):
    urls = _every_url()
    before = _seen_everywhere(client, urls)
    digest = _digest()

    _delete_every_illustrative_record()

    after = _seen_everywhere(client, urls)
    changed = [url for url in urls if after[url] != before[url]]
    assert changed == []
    assert _digest() == digest


def test_with_the_switch_on_illustrative_records_count_and_are_listed(demo, client):
    urls = [
        "/",
        "/delivery/",
        *(f"/zones/{slug}/" for slug in WITH_INVENTED),
        *(f"/api/zones/{slug}/" for slug in WITH_INVENTED),
    ]
    before = _seen_everywhere(client, urls, suffix="illustrative=include")

    _delete_every_illustrative_record()

    after = _seen_everywhere(client, urls, suffix="illustrative=include")
    assert [url for url in urls if after[url] == before[url]] == []


def test_the_zone_page_says_which_records_it_counts_and_lists(demo, client):
    invented = Firm.objects.filter(is_illustrative=True, zone__slug="rashakai").first()

    real = client.get("/zones/rashakai/")
    shown = client.get("/zones/rashakai/?illustrative=include")

    assert "counts only real, sourced records" in real.content.decode()
    assert invented.name not in real.content.decode()
    assert "?illustrative=include" in real.content.decode()
    assert "invented for the demo" in shown.content.decode()
    assert invented.name in shown.content.decode()
    assert client.get("/zones/rashakai/?illustrative=maybe").status_code == 400


def test_the_api_detail_lists_and_counts_illustrative_records_only_when_asked(demo, client):
    real = client.get("/api/zones/rashakai/").json()
    shown = client.get("/api/zones/rashakai/?illustrative=include").json()

    assert real["illustrative_included"] is False
    assert not any(firm["is_illustrative"] for firm in real["firms"])
    assert shown["illustrative_included"] is True
    assert any(firm["is_illustrative"] for firm in shown["firms"])
    assert real["coverage"]["firms"] == len(real["firms"])
    assert shown["coverage"]["firms"] == len(shown["firms"]) > real["coverage"]["firms"]
    assert shown["plots"]["saleable_acres"] > real["plots"]["saleable_acres"] == 0


@pytest.mark.parametrize(
    "url",
    ["/", "/provinces/PK-KP/", "/delivery/", "/zones/?q=rashakai", f"/zones/compare/?{COMPARED}"],
)
def test_links_to_a_zone_keep_the_choice(demo, client, url):
    cache.clear()
    real = client.get(url).content.decode()
    cache.clear()
    shown = client.get(url + ("&" if "?" in url else "?") + "illustrative=include").content.decode()

    assert 'href="/zones/rashakai/"' in real or 'href="/zones/rashakai/#targets"' in real
    assert "/zones/rashakai/?illustrative=include" in shown
    assert "/zones/rashakai/?illustrative" not in real
