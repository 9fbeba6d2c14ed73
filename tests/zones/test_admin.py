"""The zone admin: an administrator can record every part of an announced target inline."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.factories import ZoneFactory
from zones.models import Target

pytestmark = pytest.mark.django_db


def test_a_completion_date_target_names_its_milestone_in_the_zone_form(admin_client):
    zone = ZoneFactory()
    Target.objects.create(
        zone=zone, metric="completion_date", announced_on=datetime.date(2021, 3, 1),
        target_date=datetime.date(2023, 6, 30), milestone_code="power-at-zero-point",
        source_url="https://example.org/announcement",
    )  # fmt: skip

    page = admin_client.get(reverse("admin:zones_zone_change", args=[zone.pk]))

    assert page.status_code == 200
    assert 'name="targets-0-milestone_code" value="power-at-zero-point"' in page.content.decode()
