"""Atom feeds of the change log: any finder view, one zone, one province. They parse with
feedparser, keep the log's visibility rule, and refuse bad parameters as the API does."""

import feedparser
import pytest

from tests.factories import DisputeFactory, MilestoneFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_the_changes_feed_lists_the_finders_zones_newest_first(client):
    punjab = ZoneFactory(name="Allama Iqbal", province__code="PK-PB")
    sindh = ZoneFactory(name="Dhabeji", province__code="PK-SD")
    MilestoneFactory(zone=punjab, title="Punjab groundbreaking")
    milestone = MilestoneFactory(zone=sindh, title="Sindh groundbreaking")
    milestone.status = "done"
    milestone.save()

    feed = parse(client.get("/feeds/changes/", {"province": "PK-SD"}))

    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "Dhabeji: milestone “Sindh groundbreaking” changed",
        "Dhabeji: milestone “Sindh groundbreaking” created",
        "Dhabeji: zone “Dhabeji” created",
    ]
    assert "status: Not started → Done" in feed.entries[0].summary
    assert feed.entries[0].link == f"http://testserver{sindh.get_absolute_url()}"
    assert len({entry.id for entry in feed.entries}) == 3
    assert feed.feed.link.endswith("/changes/?province=PK-SD")


def test_feeds_never_show_unpublished_zones_or_internal_fields(client):
    zone = ZoneFactory(name="Rashakai", province__code="PK-KP")
    dispute = DisputeFactory(zone=zone, parties="Mr Confidential")
    dispute.parties = "Mrs Secret"
    dispute.save()
    hidden = ZoneFactory(name="Secret Park", province__code="PK-KP", published=False)
    MilestoneFactory(zone=hidden)

    for url in ("/feeds/changes/", "/feeds/provinces/PK-KP/", f"/feeds/zones/{zone.slug}/"):
        response = client.get(url)
        text = response.content.decode()
        parse(response)
        assert "Confidential" not in text and "Mrs Secret" not in text
        assert "Secret Park" not in text
    assert client.get(f"/feeds/zones/{hidden.slug}/").status_code == 404


def test_the_zone_and_province_feeds_cover_only_their_zones(client):
    rashakai = ZoneFactory(name="Rashakai", province__code="PK-KP")
    mohmand = ZoneFactory(name="Mohmand", province=rashakai.province)
    ZoneFactory(name="Bostan", province__code="PK-BA")

    zone_feed = parse(client.get(f"/feeds/zones/{rashakai.slug}/"))
    province_feed = parse(client.get("/feeds/provinces/PK-KP/"))

    assert [e.title for e in zone_feed.entries] == ["Rashakai: zone “Rashakai” created"]
    assert zone_feed.feed.title == "Changes to Rashakai"
    assert {e.title.split(":")[0] for e in province_feed.entries} == {"Rashakai", "Mohmand"}
    assert province_feed.feed.title == f"Changes to the zones of {mohmand.province}"
    assert client.get("/feeds/provinces/PK-XX/").status_code == 404


def test_bad_parameters_get_a_400_with_the_messages_as_the_api_gives_them(client):
    ZoneFactory()

    response = client.get("/feeds/changes/", {"readiness_min": "lots"})
    api = client.get("/api/zones/", {"readiness_min": "lots"})

    assert response.status_code == 400
    assert response.json() == api.json()
    assert "readiness_min" in response.json()


def test_the_finder_and_the_zone_page_link_their_feeds(client):
    zone = ZoneFactory(name="Bostan", province__code="PK-BA")

    finder = client.get("/zones/", {"province": "PK-BA"}).content.decode()
    page = client.get(zone.get_absolute_url()).content.decode()

    assert 'type="application/atom+xml"' in finder
    assert 'href="/feeds/changes/?province=PK-BA"' in finder
    assert f'href="/feeds/zones/{zone.slug}/"' in page


def test_a_feed_reads_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(5):
        MilestoneFactory(zone=ZoneFactory(province__code="PK-PB"))

    # one per tracked model (zones, their records, reported totals, annual returns), the zones
    # and the policy events that apply
    with django_assert_max_num_queries(14):
        response = client.get("/feeds/changes/", {"province": "PK-PB"})

    assert len(parse(response).entries) == 10


def test_feeds_speak_the_language_of_their_address(client):
    ZoneFactory(name="Mirpur")

    feed = parse(client.get("/ur/feeds/changes/"))

    assert feed.feed.language == "ur"
