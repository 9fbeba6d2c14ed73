"""Every change to a zone's records is kept, with who made it, and shown as a timeline."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import MilestoneFactory, ZoneFactory, make_user
from workspace.models import ChangeRequest
from zones.history import zone_history
from zones.models import Milestone

pytestmark = pytest.mark.django_db


def test_an_approved_update_is_recorded_with_reviewer_old_and_new_values(client):
    zone = ZoneFactory(province__code="PK-PB")
    milestone = MilestoneFactory(zone=zone, title="Groundbreaking", status="in_progress")
    editor = make_user("editor", provinces=["PK-PB"], username="editor-ayesha")
    reviewer = make_user("reviewer", provinces=["PK-PB"], username="reviewer-bilal")
    client.force_login(editor)
    url = reverse("workspace:edit", args=["milestone", milestone.pk])
    base = client.get(url).context["form"].initial["base"]
    client.post(
        url,
        {"status": "done", "planned_date": "2023-01-01", "actual_date": "2023-02-01",
         "base": base, "comment": "Ceremony held."},
    )  # fmt: skip
    client.force_login(reviewer)
    client.post(reverse("workspace:approve", args=[ChangeRequest.objects.get().pk]))

    latest = zone_history(zone=zone, internal=True)[0]

    assert latest.who == "reviewer-bilal"
    assert latest.action == "changed"
    assert latest.record == "Groundbreaking"
    assert latest.reason == "Ceremony held."
    changes = {change.label: (change.old, change.new) for change in latest.changes}
    assert changes["status"] == ("In progress", "Done")
    assert changes["actual date"] == ("—", "2023-02-01")


def test_the_timeline_covers_every_record_type_newest_first():
    zone = ZoneFactory(name="Bostan")
    milestone = MilestoneFactory(zone=zone, title="Gas")
    Milestone.objects.get(pk=milestone.pk).save()  # unchanged saves are not shown
    milestone.planned_date = datetime.date(2026, 6, 30)
    milestone.save()

    entries = zone_history(zone=zone, internal=True)

    assert [(e.action, e.record_type) for e in entries] == [
        ("changed", "milestone"),
        ("created", "milestone"),
        ("created", "zone"),
    ]
    assert entries[0].changes[0].label == "planned date"


def test_the_timeline_is_shown_to_officials_and_not_to_the_public(client):
    zone = ZoneFactory()
    MilestoneFactory(zone=zone, title="Power at zero point")

    public = client.get(zone.get_absolute_url()).content.decode()
    client.force_login(make_user("official"))
    official = client.get(zone.get_absolute_url()).content.decode()

    assert "Change history" not in public
    assert "Change history" in official
    assert "Power at zero point" in official
