"""Illustrative records (invented for the demo) never count unless the reader asks for them.

On the demo bundle: with the switch off, deleting every illustrative record changes no
figure on the national page, the delivery page or the API's list; with it on, they count."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command

from investors.models import Firm
from readiness.services import readiness_recompute
from tests.html import text_of
from zones.models import (
    LandDispute,
    Milestone,
    OutageReport,
    Plot,
    UtilityConnection,
    UtilityRequest,
    Zone,
)

pytestmark = pytest.mark.django_db

PAGES = ("/", "/delivery/", "/api/zones/?page_size=100")
VOLATILE = (
    re.compile(r'<p class="as-of muted">.*?</p>', re.S),  # the moment the page was built
    re.compile(r'nonce="[^"]*"'),
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
)


def _seen(client, url: str) -> str:
    cache.clear()
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    for pattern in VOLATILE:
        body = pattern.sub("", body)
    return body


def _delete_every_illustrative_record() -> None:
    # Plots, requests and outages first: they name firms.
    for model in (
        OutageReport,
        UtilityRequest,
        Plot,
        Firm,
        Milestone,
        UtilityConnection,
        LandDispute,
        Zone,
    ):
        model.objects.filter(is_illustrative=True).delete()
    readiness_recompute()


@pytest.fixture
def demo(db):
    call_command("seed_demo")
    readiness_recompute()
    assert Firm.objects.filter(is_illustrative=True).exists()
    assert Milestone.objects.filter(is_illustrative=True).exists()


@pytest.mark.parametrize("url", PAGES)
def test_with_the_switch_off_no_figure_rests_on_an_illustrative_record(demo, client, url):
    before = _seen(client, url)

    _delete_every_illustrative_record()

    assert _seen(client, url) == before


@pytest.mark.parametrize("url", PAGES[:2])
def test_with_the_switch_on_illustrative_records_count(demo, client, url):
    shown = url + ("&" if "?" in url else "?") + "illustrative=include"
    before = _seen(client, shown)

    _delete_every_illustrative_record()

    assert _seen(client, shown) != before


def test_the_national_page_says_which_records_it_counts_and_keeps_the_choice(demo, client):
    real = text_of(client.get("/"))
    response = client.get("/?illustrative=include&status=operational")
    shown = text_of(response)

    assert "counts only real, sourced records" in real
    assert "Include illustrative records" in real
    assert "illustrative records (invented for the demo)" in shown
    assert "Show real records only" in shown
    assert 'name="illustrative" value="include"' in response.content.decode()
    assert "/delivery/?status=operational&amp;illustrative=include" in response.content.decode()


def test_a_bad_choice_is_refused_with_a_message(demo, client):
    response = client.get("/delivery/?illustrative=maybe")

    assert response.status_code == 400
    assert "is not a choice" in text_of(response)


def test_the_jobs_delivered_headline_counts_real_firms_only_by_default(demo, client):
    real = Firm.objects.filter(is_illustrative=False, status__in=["allotted", "operating"])
    assert not any(real.values_list("jobs_actual", flat=True))

    page = text_of(client.get("/delivery/"))

    assert "2,460" not in page
