"""Feeds and e-mail alerts carry the policy events that apply to the followed zones:
federal ones everywhere, provincial ones in their province, named ones in those zones;
illustrative events and events for other zones stay out."""

from __future__ import annotations

import datetime

import feedparser
import pytest
from django.core import mail

from follow import alerts
from tests.factories import PolicyEventFactory, ProvinceFactory, ZoneFactory
from tests.follow.test_alerts import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    sindh, punjab = ProvinceFactory(code="PK-SD"), ProvinceFactory(code="PK-PB")
    ZoneFactory(slug="dhabeji", name="Dhabeji", province=sindh)
    aiic = ZoneFactory(slug="aiic", name="Allama Iqbal", province=punjab)
    PolicyEventFactory(reference="act", title="Income tax exemption for 10 years",
                       date=datetime.date(2012, 9, 13), instrument="SEZ Act 2012",
                       source_url="https://example.org/act")  # fmt: skip
    PolicyEventFactory(reference="sindh", title="Sindh water tariff", level="provincial",
                       province=sindh, effect="tariff_changed")  # fmt: skip
    PolicyEventFactory(reference="aiic", title="AIIC plot sales allowed", zones=[aiic],
                       effect="procedure_changed")  # fmt: skip
    PolicyEventFactory(reference="made-up", title="Invented event", is_illustrative=True)


def _titles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    return feed, [entry.title for entry in feed.entries]


def test_a_zone_feed_carries_the_events_that_apply(client, world):
    feed, titles = _titles(client, "/feeds/zones/dhabeji/")
    policy = [title for title in titles if title.startswith("Policy:")]
    assert sorted(policy) == [
        "Policy: Income tax exemption for 10 years (2012-09-13)",
        "Policy: Sindh water tariff (2013-01-01)",
    ]
    entry = next(e for e in feed.entries if e.title.startswith("Policy: Income"))
    assert entry.link == "http://testserver/policy/#event-act"
    assert "Source: https://example.org/act" in entry.summary
    assert len({e.id for e in feed.entries}) == len(feed.entries)


def test_the_finder_feed_follows_its_filters(client, world):
    _feed, titles = _titles(client, "/feeds/changes/?province=PK-PB")
    policy = sorted(title for title in titles if title.startswith("Policy:"))
    assert policy == [
        "Policy: AIIC plot sales allowed (2013-01-01)",
        "Policy: Income tax exemption for 10 years (2012-09-13)",
    ]


def test_a_digest_lists_new_policy_events_once(settings):
    settings.SITE_URL = "http://testserver"
    sindh = ProvinceFactory(code="PK-SD")
    ZoneFactory(slug="dhabeji", name="Dhabeji", province=sindh)
    ZoneFactory(slug="aiic", name="Allama Iqbal", province=ProvinceFactory(code="PK-PB"))
    subscribe(query="province=PK-SD")
    PolicyEventFactory(title="Sindh water tariff", level="provincial", province=sindh,
                       effect="tariff_changed", instrument="Sindh order",
                       source_url="https://example.org/sindh")  # fmt: skip
    PolicyEventFactory(title="Punjab only", level="provincial",
                       province=ProvinceFactory(code="PK-PB"))  # fmt: skip

    assert alerts.alert_digests_send(frequency="daily") == 1
    body = mail.outbox[0].body
    assert "Policy: Sindh water tariff (Tariff changed; Sindh order)" in body
    assert "https://example.org/sindh" in body
    assert "Punjab only" not in body
    mail.outbox.clear()
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=1)
    assert alerts.alert_digests_send(frequency="daily", now=later) == 0  # nothing new since
