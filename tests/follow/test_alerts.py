"""E-mail alerts on a saved search: double opt-in, digests (content, batching, language,
headers) and one-click unsubscribe; bad links and bad sign-ups change nothing."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from follow import alerts
from follow.models import AlertSubscription
from tests.factories import DisputeFactory, MilestoneFactory, ZoneFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/alerts/"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def sign_up(client, **data):
    form = {"email": "reader@example.org", "frequency": "daily", "query": "", "zone": ""}
    return client.post(SUBSCRIBE, {**form, **data})


def link_in(message, name):
    return re.search(rf"http://testserver(/\S*/{name}/\S+/)", message.body)[1]


@pytest.fixture
def site(settings):
    settings.SITE_URL = "http://testserver"


def confirm(client, message):
    url = link_in(message, "confirm")
    assert client.get(url).status_code == 200  # a page with a button: scanners confirm nothing
    return client.post(url)


def test_nothing_is_stored_or_sent_but_the_confirmation_before_the_link_is_opened(client, site):
    ZoneFactory(province__code="PK-SD")

    response = sign_up(client, query="province=PK-SD&page=2&sort=name", frequency="weekly")

    assert response.status_code == 200
    assert "Check your inbox" in response.content.decode()
    assert AlertSubscription.objects.count() == 0
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["reader@example.org"]
    assert "Province: Sindh" in confirmation.body
    assert alerts.alert_digests_send(frequency="weekly") == 0
    assert len(mail.outbox) == 1

    confirmed = confirm(client, confirmation)

    assert confirmed.status_code == 200
    assert "Your alert is on" in confirmed.content.decode()
    subscription = AlertSubscription.objects.get()
    assert (subscription.email, subscription.query, subscription.frequency) == (
        "reader@example.org",
        "province=PK-SD",
        "weekly",
    )
    confirm(client, confirmation)  # twice: still one alert
    assert AlertSubscription.objects.count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "not-an-address"}, "Enter a valid e-mail address"),
        ({"frequency": "hourly"}, "Choose daily or weekly"),
        ({"query": "readiness_min=lots"}, "Enter a number"),
        ({"zone": "no-such-zone"}, "No published zone has this address"),
    ],
)
def test_a_bad_sign_up_says_why_and_stores_and_sends_nothing(client, data, message):
    response = sign_up(client, **data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert AlertSubscription.objects.count() == 0
    assert mail.outbox == []


def test_tampered_unknown_and_expired_links_store_nothing(client, site, settings):
    sign_up(client)
    url = link_in(mail.outbox[0], "confirm")
    token = url.split("/")[-2]
    forged = signing.dumps(
        {"e": "victim@example.org", "q": "", "z": "", "f": "daily", "l": "en"}, salt="other"
    )

    tampered = client.post(url.replace(token, token[:-3] + "abc"))
    unknown = client.post("/alerts/confirm/nonsense/")
    wrong_salt = client.post(f"/alerts/confirm/{forged}/")
    settings.ALERT_CONFIRM_DAYS = 0
    expired = client.post(url)

    for response in (tampered, unknown, wrong_salt):
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
    assert expired.status_code == 400
    assert "expired" in expired.content.decode()
    assert AlertSubscription.objects.count() == 0
    assert len(mail.outbox) == 1


def test_sign_ups_are_rate_limited_per_address_and_per_client(client, settings):
    settings.ALERT_SIGNUP_RATE_PER_ADDRESS = "2/h"
    settings.ALERT_SIGNUP_RATE_PER_CLIENT = "5/h"

    same_address = [sign_up(client).status_code for _ in range(3)]
    other_addresses = [
        sign_up(client, email=f"reader{n}@example.org").status_code for n in range(3)
    ]

    assert same_address == [200, 200, 429]
    assert other_addresses == [200, 200, 429]  # the client's sixth sign-up
    assert len(mail.outbox) == 4
    assert "Too many sign-ups" in sign_up(client).content.decode()


def subscribe(email="reader@example.org", *, frequency="daily", language="en", query="",
              zone=None, confirmed_at=None):  # fmt: skip
    return AlertSubscription.objects.create(
        email=email, query=query, zone=zone, frequency=frequency, language=language,
        confirmed_at=confirmed_at or timezone.now() - datetime.timedelta(days=2),
    )  # fmt: skip


def test_a_digest_lists_the_changes_of_the_search_since_the_last_one_with_unsubscribe_headers(
    site,
):
    sindh = ZoneFactory(name="Dhabeji", province__code="PK-SD")
    punjab = ZoneFactory(name="Allama Iqbal", province__code="PK-PB")
    subscribe(query="province=PK-SD")
    milestone = MilestoneFactory(zone=sindh, title="Groundbreaking", status="in_progress")
    milestone.status = "done"
    milestone.save()
    MilestoneFactory(zone=punjab, title="Punjab milestone")
    dispute = DisputeFactory(zone=sindh, parties="Mr Confidential")
    dispute.parties = "Mrs Secret"
    dispute.save()

    sent = alerts.alert_digests_send(frequency="daily")

    assert sent == 1
    message = mail.outbox[0]
    assert "milestone “Groundbreaking” changed" in message.body
    assert "status: In progress → Done" in message.body
    assert "Punjab milestone" not in message.body
    assert "Confidential" not in message.body and "Secret" not in message.body
    unsubscribe = link_in(message, "unsubscribe")
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    mail.outbox.clear()
    assert alerts.alert_digests_send(frequency="daily") == 0  # once per period
    later = timezone.now() + datetime.timedelta(days=1)
    assert alerts.alert_digests_send(frequency="daily", now=later) == 0  # nothing new


def test_one_email_per_address_for_all_its_searches_in_batches(site, monkeypatch):
    zone = ZoneFactory(name="Bostan", province__code="PK-BA")
    other = ZoneFactory(name="Rashakai", province__code="PK-KP")
    subscribe(query="province=PK-BA")
    subscribe(zone=other)
    for n in range(5):
        subscribe(f"reader{n}@example.org", query="province=PK-KP")
    MilestoneFactory(zone=zone, title="Bostan gas")
    MilestoneFactory(zone=other, title="Rashakai power")
    monkeypatch.setattr(alerts, "BATCH_SIZE", 2)

    sent = alerts.alert_digests_send(frequency="daily")

    assert sent == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["reader@example.org", *(f"reader{n}@example.org" for n in range(5))]
    )
    mine = next(m for m in mail.outbox if m.to == ["reader@example.org"])
    assert "Bostan gas" in mine.body and "Rashakai power" in mine.body


def test_a_digest_is_in_the_language_the_person_chose(site):
    zone = ZoneFactory(name="Mirpur")
    subscribe(language="ur", zone=zone)
    MilestoneFactory(zone=zone, title="Groundbreaking")

    alerts.alert_digests_send(frequency="daily")

    message = mail.outbox[0]
    assert "/ur/" in message.body
    assert message.subject == "ان زونز میں تبدیلیاں جن کی آپ پیروی کرتے ہیں"


def test_weekly_alerts_wait_for_their_week(site):
    zone = ZoneFactory()
    subscribe(frequency="weekly", zone=zone)
    MilestoneFactory(zone=zone, title="Weekly news")

    assert alerts.alert_digests_send(frequency="daily") == 0
    assert alerts.alert_digests_send(frequency="weekly") == 1
    in_three_days = timezone.now() + datetime.timedelta(days=3)
    MilestoneFactory(zone=zone, title="More news")
    assert alerts.alert_digests_send(frequency="weekly", now=in_three_days) == 0
    in_a_week = timezone.now() + datetime.timedelta(days=7)
    assert alerts.alert_digests_send(frequency="weekly", now=in_a_week) == 1
    assert "More news" in mail.outbox[-1].body and "Weekly news" not in mail.outbox[-1].body


def test_one_click_unsubscribe_deletes_the_address_without_csrf_and_twice_is_harmless(site):
    zone = ZoneFactory()
    subscribe(zone=zone)
    subscribe(query="province=PK-PB")
    subscribe("someone-else@example.org", zone=zone)
    MilestoneFactory(zone=zone)
    alerts.alert_digests_send(frequency="daily")
    url = link_in(next(m for m in mail.outbox if m.to == ["reader@example.org"]), "unsubscribe")
    mail_client = Client(enforce_csrf_checks=True)

    shown = mail_client.get(url)
    first = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    again = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    tampered = mail_client.post(url[:-5] + "xxxx/")

    assert shown.status_code == 200
    assert AlertSubscription.objects.filter(email="someone-else@example.org").count() == 1
    assert first.status_code == again.status_code == 200
    assert not AlertSubscription.objects.filter(email="reader@example.org").exists()
    assert tampered.status_code == 400


def test_the_finder_and_zone_page_offer_the_alert_and_the_task_is_on_beat(client, settings):
    zone = ZoneFactory()

    finder = client.get("/zones/", {"province": "PK-PB"}).content.decode()
    page = client.get(zone.get_absolute_url()).content.decode()

    assert "E-mail me when this changes" in finder
    assert 'name="query" value="province=PK-PB"' in finder
    assert f'name="zone" value="{zone.slug}"' in page
    scheduled = {
        tuple(entry.get("args", ())) for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "follow.send_alert_digests"
    }  # fmt: skip
    assert scheduled == {("daily",), ("weekly",)}
