"""Administrators keep policy events in the admin: the form refuses a provincial event
without its province with the constraint's message, and each event keeps its history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from policy.models import PolicyEvent
from tests.factories import ApplicationFactory, PolicyEventFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def _form(**changes) -> dict:
    return {
        "reference": "kp-notification",
        "date": "2021-03-01",
        "title": "KP electricity duty waived",
        "instrument": "KP notification",
        "effect": "incentive_granted",
        "incentive": "",
        "level": "provincial",
        "province": "",
        "source_url": "https://example.org/kp",
        "verified_on": "",
        **changes,
    }


def test_a_provincial_event_without_its_province_is_refused_in_the_admin(admin_client):
    response = admin_client.post(reverse("admin:policy_policyevent_add"), _form())
    assert response.status_code == 200
    assert "A provincial event names its province; a federal event names none." in (
        response.content.decode()
    )
    assert not PolicyEvent.objects.exists()

    admin_client.post(reverse("admin:policy_policyevent_add"), _form(province="PK-KP"))
    assert PolicyEvent.objects.get().province_id == "PK-KP"


def test_lists_and_history_pages_open(admin_client):
    event = PolicyEventFactory(zones=[ZoneFactory()])
    application = ApplicationFactory()
    for url in (
        reverse("admin:policy_policyevent_changelist"),
        reverse("admin:policy_application_changelist"),
        reverse("admin:policy_policyevent_history", args=[event.pk]),
        reverse("admin:policy_application_change", args=[application.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url
