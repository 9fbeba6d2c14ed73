"""Editors translate a zone's own words through review, and see what is still missing."""

import pytest
from django.urls import reverse

from tests.factories import MilestoneFactory, ZoneFactory, make_user
from workspace.models import ChangeRequest
from zones.models import Zone

pytestmark = pytest.mark.django_db


def test_a_translated_name_waits_for_review_then_shows_on_the_urdu_page(client):
    zone = ZoneFactory(province__code="PK-KP", name="Rashakai SEZ", description="On the M-1.")
    editor = make_user("editor", provinces=["PK-KP"], username="editor-ayesha")
    reviewer = make_user("reviewer", provinces=["PK-KP"], username="reviewer-bilal")
    client.force_login(editor)
    url = reverse("workspace:edit", args=["zone_text", zone.pk])
    form = client.get(url).context["form"]
    assert set(form.fields) >= {"name_ur", "name_zh_hans", "description_ur"}
    assert "name_en" not in form.fields  # English comes from the bundle and the admin
    client.post(
        url,
        {"name_ur": "رشکئی خصوصی اقتصادی زون", "name_zh_hans": "拉沙卡伊经济特区",
         "base": form.initial["base"], "comment": "Names as the KP board writes them."},
    )  # fmt: skip
    change = ChangeRequest.objects.get()
    assert change.zone == zone and change.kind == "zone_text"
    assert Zone.objects.get(pk=zone.pk).name_ur is None  # not before review

    client.force_login(reviewer)
    client.post(reverse("workspace:approve", args=[change.pk]))

    zone = Zone.objects.get(pk=zone.pk)
    assert zone.name_ur == "رشکئی خصوصی اقتصادی زون"
    assert zone.name_en == "Rashakai SEZ"
    page = client.get(f"/ur/zones/{zone.slug}/").content.decode()
    assert "<h1>رشکئی خصوصی اقتصادی زون</h1>" in page
    assert '<span lang="en" dir="ltr">On the M-1.</span>' in page  # description not yet


def test_a_milestone_title_is_translated_with_its_update(client):
    zone = ZoneFactory(province__code="PK-PB")
    milestone = MilestoneFactory(zone=zone, title="Groundbreaking", status="in_progress")
    admin = make_user("administrator", username="admin-sara")
    client.force_login(admin)
    url = reverse("workspace:edit", args=["milestone", milestone.pk])
    base = client.get(url).context["form"].initial["base"]
    client.post(
        url,
        {"status": "in_progress", "planned_date": "", "actual_date": "",
         "title_zh_hans": "奠基", "base": base, "comment": "Chinese title."},
    )  # fmt: skip
    milestone.refresh_from_db()
    assert milestone.title_zh_hans == "奠基"


def test_the_workspace_shows_each_zones_translation_coverage_and_what_is_missing(client):
    zone = ZoneFactory(
        province__code="PK-SD", name="Dhabeji SEZ", name_zh_hans="达贝吉经济特区", description=""
    )
    MilestoneFactory(zone=zone, title="Groundbreaking", title_ur="سنگ بنیاد")
    client.force_login(make_user("editor", provinces=["PK-SD"]))
    page = client.get(reverse("workspace:home")).content.decode()
    # Two texts to translate (name, milestone title; no description): one of each done.
    assert "Urdu: 1 of 2 texts translated (50 %)" in page
    assert "Simplified Chinese: 1 of 2 texts translated (50 %)" in page
    missing = page.split('class="data missing-translations"')[1].split("</table>")[0]
    assert '<td lang="en" dir="ltr">Dhabeji SEZ</td><td>Urdu</td>' in missing
    assert '<td lang="en" dir="ltr">Groundbreaking</td><td>Simplified Chinese</td>' in missing
    assert reverse("workspace:edit", args=["zone_text", zone.pk]) in missing
