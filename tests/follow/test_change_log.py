"""The public change log at /changes/: approved changes to public fields of published zones,
newest first, narrowed with the finder's parameters; internal fields and unpublished zones
never appear."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import (
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    TargetFactory,
    UtilityFactory,
    ZoneFactory,
    make_user,
)
from workspace.models import ChangeRequest

pytestmark = pytest.mark.django_db

URL = "/changes/"


def test_an_approved_update_appears_with_its_zone_and_old_and_new_values(client):
    zone = ZoneFactory(name="Rashakai", province__code="PK-KP")
    milestone = MilestoneFactory(zone=zone, title="Groundbreaking", status="in_progress")
    editor = make_user("editor", provinces=["PK-KP"], username="editor-ayesha")
    reviewer = make_user("reviewer", provinces=["PK-KP"], username="reviewer-bilal")
    client.force_login(editor)
    edit = reverse("workspace:edit", args=["milestone", milestone.pk])
    base = client.get(edit).context["form"].initial["base"]
    client.post(
        edit,
        {"status": "done", "planned_date": "2023-01-01", "actual_date": "2023-02-01",
         "base": base, "comment": "Ceremony held, see the minister's speech."},
    )  # fmt: skip
    client.force_login(reviewer)
    client.post(reverse("workspace:approve", args=[ChangeRequest.objects.get().pk]))
    client.logout()

    response = client.get(URL)

    assert response.status_code == 200
    newest = response.context["changes"][0]
    assert newest.zone_name == "Rashakai"
    assert newest.entry.record == "Groundbreaking"
    changes = {c.label: (c.old, c.new) for c in newest.entry.changes}
    assert changes["status"] == ("In progress", "Done")
    html = response.content.decode()
    assert "status: In progress → Done" in html
    # The public log names no one and quotes no reviewer's comment.
    assert "reviewer-bilal" not in html and "editor-ayesha" not in html
    assert "minister" not in html


def test_unpublished_zones_never_appear_even_to_officials(client):
    ZoneFactory(name="Published Park")
    hidden = ZoneFactory(name="Secret Park", published=False)
    MilestoneFactory(zone=hidden, title="Hidden milestone")
    client.force_login(make_user("official"))

    html = client.get(URL).content.decode()

    assert "Published Park" in html
    assert "Secret Park" not in html and "Hidden milestone" not in html


def test_internal_fields_never_appear_and_an_internal_only_save_is_not_a_change(client):
    zone = ZoneFactory(name="Dhabeji")
    dispute = DisputeFactory(zone=zone, reference="D-1", parties="Mr Confidential")
    utility = UtilityFactory(zone=zone, kind="gas", notes="Call the SNGPL man")
    zone.internal_notes = "Board is unhappy"
    zone.save()
    dispute.parties = "Mrs Secret"
    dispute.save()
    utility.notes = "Ask again in June"
    utility.save()
    dispute.status = "resolved"
    dispute.resolved_on = datetime.date(2024, 3, 1)
    dispute.save()

    response = client.get(URL)
    html = response.content.decode()

    assert "Confidential" not in html and "Secret" not in html
    assert "SNGPL" not in html and "June" not in html and "unhappy" not in html
    changed = [c.entry for c in response.context["changes"] if c.entry.action == "changed"]
    assert len(changed) == 1  # only the dispute's status change is public
    assert {c.label for c in changed[0].changes} == {"status", "resolved on"}


def test_every_record_type_is_covered_newest_first(client):
    zone = ZoneFactory(name="Bostan")
    UtilityFactory(zone=zone, kind="water")
    DisputeFactory(zone=zone, reference="BD-7")
    MilestoneFactory(zone=zone, title="Gas")
    FirmFactory(zone=zone, name="Bostan Foods")
    target = TargetFactory(zone=zone)
    target.value = 250000
    target.save()

    entries = [c.entry for c in client.get(URL).context["changes"]]

    assert [e.record_type for e in entries] == [
        "announced target",
        "announced target",
        "firm",
        "milestone",
        "land dispute",
        "utility connection",
        "zone",
    ]
    assert entries[0].action == "changed"
    assert [(c.label, c.new) for c in entries[0].changes] == [("target value", "250000.00")]
    assert entries == sorted(entries, key=lambda e: e.when, reverse=True)


def test_the_finders_parameters_narrow_the_zones(client):
    punjab = ZoneFactory(name="Allama Iqbal", province__code="PK-PB")
    sindh = ZoneFactory(name="Dhabeji", province__code="PK-SD")
    MilestoneFactory(zone=punjab, title="Punjab milestone")
    MilestoneFactory(zone=sindh, title="Sindh milestone")

    html = client.get(URL, {"province": "PK-SD"}).content.decode()

    assert "Sindh milestone" in html
    assert "Punjab milestone" not in html


def test_bad_parameters_say_what_is_wrong_and_show_nothing(client):
    ZoneFactory()

    response = client.get(URL, {"readiness_min": "lots", "province": "XX"})

    assert response.status_code == 400
    assert "changes" not in response.context
    assert "Some filters could not be used" in response.content.decode()


def test_pages_of_fifty_and_a_bad_page_number_is_a_clear_400(client):
    zone = ZoneFactory()
    for number in range(60):
        MilestoneFactory(zone=zone, title=f"M{number}")

    first = client.get(URL)
    second = client.get(URL, {"page": 2})
    beyond = client.get(URL, {"page": 9})

    assert len(first.context["changes"]) == 50
    assert len(second.context["changes"]) == 11  # 60 milestones and the zone itself
    assert beyond.status_code == 400
    assert "There is no page 9" in beyond.content.decode()


def test_the_log_reads_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(5):
        zone = ZoneFactory()
        MilestoneFactory(zone=zone)
        FirmFactory(zone=zone)
        UtilityFactory(zone=zone)

    with django_assert_max_num_queries(15):
        response = client.get(URL, {"province": "PK-PB", "sector": "textiles"})
    with django_assert_max_num_queries(15):
        response = client.get(URL)

    assert response.status_code == 200
    assert len(response.context["changes"]) == 20


def test_the_log_is_in_the_language_of_the_page(client):
    ZoneFactory(name="Mirpur")

    response = client.get("/ur" + URL)

    assert response.status_code == 200
    assert response.context["changes"][0].zone_name == "Mirpur"
