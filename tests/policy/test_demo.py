"""The demo's policy events: every real one has its source, the invented ones say so, and the
seeded zones get the events that apply to them (the SEZ Act everywhere, Bostan's provincial
declaration at Bostan only, the 2020 plot sales at the three zones named)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from policy.models import Application, PolicyEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    call_command("seed_demo")


def _references(client, slug, *extra):
    query = "&".join([f"zone={slug}", *extra])
    response = client.get(f"/api/policy-events/?{query}")
    assert response.status_code == 200
    return [item["reference"] for item in response.json()]


def test_real_events_are_sourced_and_invented_ones_flagged(seeded):
    events = PolicyEvent.objects.all()
    assert events.filter(is_illustrative=False).count() == 7
    assert not events.filter(is_illustrative=False, source_url="").exists()
    for event in events.filter(is_illustrative=True):
        assert "illustrative" in event.title.lower() or "illustrative" in event.instrument.lower()
    assert not Application.objects.filter(is_illustrative=False).exists()


def test_the_seeded_zones_get_the_events_that_apply(client, seeded):
    bostan = _references(client, "bostan")
    assert bostan[:3] == ["ac-9-interval-7-days", "boa-7-admission-regulations",
                          "boa-7-one-window-mis"]  # fmt: skip
    assert {"boi-plot-sales-2020", "bostan-declared-2018", "sez-act-2012-income-tax"} <= set(bostan)
    rashakai = set(_references(client, "rashakai"))
    assert "sez-act-2012-capital-goods" in rashakai
    assert not {"bostan-declared-2018", "boi-plot-sales-2020"} & rashakai
    assert "finance-act-example" not in rashakai
    assert "finance-act-example" in _references(client, "rashakai", "illustrative=include")


def test_the_demo_zone_page_lists_the_sourced_incentives(client, seeded):
    html = client.get("/zones/rashakai/").content.decode()
    section = html[html.index('id="policy"') :]
    assert "Income tax exemption for 10 years" in section
    assert "http://invest.gov.pk/index.php/sez" in section
