"""Editors propose updates to one-window applications of their zones; a reviewer approves
them; a decision before the application is refused at once; policy events are national and
have no editor's form (administrators keep them in the admin and the bundle)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from policy.models import Application
from tests.factories import ApplicationFactory, PolicyEventFactory, ZoneFactory, make_user
from workspace.models import ChangeRequest, ChangeRequestStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    zone = ZoneFactory(slug="aiic", province__code="PK-PB")
    return ApplicationFactory(zone=zone, reference="ES-7", applied_on=datetime.date(2025, 3, 1))


def _submit(client, application, **changes):
    url = reverse("workspace:edit", args=["application", application.pk])
    form = client.get(url).context["form"]
    data = {
        "decision": application.decision,
        "decided_on": "",
        "applicant": application.applicant,
        "base": form.initial["base"],
        "comment": "Per the one-window register.",
        **changes,
    }
    return client.post(url, data)


def test_an_editor_proposes_a_decision_and_a_reviewer_applies_it(client, application):
    editor = make_user("editor", provinces=["PK-PB"], username="editor")
    client.force_login(editor)
    home = client.get(reverse("workspace:home")).content.decode()
    assert (
        "ES-7" in home and reverse("workspace:edit", args=["application", application.pk]) in home
    )

    response = _submit(client, application, decision="approved", decided_on="2025-03-20")

    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert (change.kind, change.status) == ("application", ChangeRequestStatus.PENDING)
    application.refresh_from_db()
    assert application.decision == "pending"

    client.force_login(make_user("reviewer", provinces=["PK-PB"], username="reviewer"))
    client.post(reverse("workspace:approve", args=[change.pk]))
    application.refresh_from_db()
    assert (application.decision, application.decided_on) == (
        "approved",
        datetime.date(2025, 3, 20),
    )
    assert application.history.count() == 2


def test_a_decision_before_the_application_is_refused(client, application):
    client.force_login(make_user("editor", provinces=["PK-PB"], username="editor"))

    response = _submit(client, application, decision="rejected", decided_on="2025-02-01")

    assert response.status_code == 200
    assert "on or after the application" in response.content.decode()
    assert not ChangeRequest.objects.exists()
    assert Application.objects.get().decision == "pending"


def test_an_editor_of_another_province_is_refused(client, application):
    client.force_login(make_user("editor", provinces=["PK-SD"], username="other"))
    url = reverse("workspace:edit", args=["application", application.pk])
    assert client.get(url).status_code == 403


def test_policy_events_have_no_editors_form(client):
    event = PolicyEventFactory()
    client.force_login(make_user("editor", provinces=["PK-PB"], username="editor"))
    assert client.get(f"/workspace/edit/policy_event/{event.pk}/").status_code == 404
