"""Maker-checker: editors submit, reviewers approve or return, nothing is lost silently."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import MilestoneFactory, ZoneFactory, make_user
from workspace.models import ChangeRequest, ChangeRequestStatus
from zones.models import Milestone
from zones.vocabulary import MilestoneStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone():
    zone = ZoneFactory(name="Allama Iqbal", province__code="PK-PB")
    return MilestoneFactory(
        zone=zone,
        title="Gas at zero point",
        status=MilestoneStatus.IN_PROGRESS,
        planned_date=datetime.date(2024, 6, 30),
    )


@pytest.fixture
def editor(milestone):
    return make_user("editor", provinces=["PK-PB"], username="editor")


@pytest.fixture
def reviewer():
    return make_user("reviewer", provinces=["PK-PB"], username="reviewer")


def edit_url(milestone):
    return reverse("workspace:edit", args=["milestone", milestone.pk])


def submit(client, milestone, **changes):
    """Open the form as a user would, change fields, submit."""
    form = client.get(edit_url(milestone)).context["form"]
    data = {
        "status": milestone.status,
        "planned_date": milestone.planned_date or "",
        "actual_date": milestone.actual_date or "",
        "base": form.initial["base"],
        "comment": "Per the provincial progress report of May.",
        **changes,
    }
    return client.post(edit_url(milestone), data)


def test_an_editors_update_waits_for_review_and_changes_nothing_yet(client, editor, milestone):
    client.force_login(editor)

    response = submit(client, milestone, status="done", actual_date="2024-05-20")

    assert response.status_code == 302
    change_request = ChangeRequest.objects.get()
    assert change_request.status == ChangeRequestStatus.PENDING
    assert change_request.proposed["status"] == "done"
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.IN_PROGRESS


def test_a_reviewer_approves_and_the_update_applies(client, editor, reviewer, milestone):
    client.force_login(editor)
    submit(client, milestone, status="done", actual_date="2024-05-20")
    change_request = ChangeRequest.objects.get()
    client.force_login(reviewer)

    response = client.post(reverse("workspace:approve", args=[change_request.pk]))

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DONE
    assert milestone.actual_date == datetime.date(2024, 5, 20)
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.APPROVED
    assert change_request.reviewed_by == reviewer


def test_a_returned_update_tells_the_editor_why_by_page_and_email(
    client, editor, reviewer, milestone, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    submit(client, milestone, status="done", actual_date="2024-05-20")
    change_request = ChangeRequest.objects.get()
    client.force_login(reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workspace:return", args=[change_request.pk]),
            {"note": "The gas company's letter says July, not May."},
        )

    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.IN_PROGRESS
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [editor.email]
    assert "The gas company's letter says July" in mail.outbox[0].body
    client.force_login(editor)
    page = client.get(reverse("workspace:home")).content.decode()
    assert "The gas company&#x27;s letter says July, not May." in page


def test_returning_needs_a_reason(client, editor, reviewer, milestone):
    client.force_login(editor)
    submit(client, milestone, status="done", actual_date="2024-05-20")
    client.force_login(reviewer)

    response = client.post(
        reverse("workspace:return", args=[ChangeRequest.objects.get().pk]), {"note": ""}
    )

    assert response.status_code == 400
    assert ChangeRequest.objects.get().status == ChangeRequestStatus.PENDING


def test_saving_over_a_record_changed_since_the_form_opened_is_refused(client, editor, milestone):
    client.force_login(editor)
    form = client.get(edit_url(milestone)).context["form"]
    Milestone.objects.filter(pk=milestone.pk).update(planned_date=datetime.date(2025, 3, 31))

    response = client.post(
        edit_url(milestone),
        {
            "status": "done",
            "planned_date": "2024-06-30",
            "actual_date": "2024-05-20",
            "base": form.initial["base"],
            "comment": "Done in May.",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone changed this record after you opened it" in page
    assert "2024-06-30 → 2025-03-31" in page
    assert not ChangeRequest.objects.exists()


def test_approval_is_refused_when_the_record_changed_since_submission(
    client, editor, reviewer, milestone
):
    client.force_login(editor)
    submit(client, milestone, status="done", actual_date="2024-05-20")
    Milestone.objects.filter(pk=milestone.pk).update(status=MilestoneStatus.BLOCKED)
    client.force_login(reviewer)

    response = client.post(reverse("workspace:approve", args=[ChangeRequest.objects.get().pk]))

    assert response.status_code == 409
    assert "Someone changed this record" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.BLOCKED


def test_an_editor_cannot_update_another_provinces_record(client, milestone):
    outsider = make_user("editor", provinces=["PK-SD"])
    client.force_login(outsider)

    assert client.get(edit_url(milestone)).status_code == 403
    response = client.post(edit_url(milestone), {"status": "done", "comment": "x", "base": "x"})
    assert response.status_code == 403
    assert not ChangeRequest.objects.exists()


def test_a_reviewer_of_another_province_cannot_decide(client, editor, milestone):
    client.force_login(editor)
    submit(client, milestone, status="done", actual_date="2024-05-20")
    client.force_login(make_user("reviewer", provinces=["PK-KP"]))
    change_request = ChangeRequest.objects.get()

    assert client.post(reverse("workspace:approve", args=[change_request.pk])).status_code == 403
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.PENDING


def test_nobody_approves_their_own_update(client, milestone):
    both = make_user("editor", provinces=["PK-PB"])
    from django.contrib.auth.models import Group

    from accounts.models import Assignment

    both.groups.add(Group.objects.get(name="Reviewers"))
    Assignment.objects.create(user=both, role="reviewer", province_id="PK-PB")
    client.force_login(both)
    submit(client, milestone, status="done", actual_date="2024-05-20")

    response = client.post(reverse("workspace:approve", args=[ChangeRequest.objects.get().pk]))

    assert response.status_code == 403
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.IN_PROGRESS


def test_an_administrators_update_applies_at_once(client, milestone):
    client.force_login(make_user("administrator"))

    submit(client, milestone, status="blocked")

    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.BLOCKED
    assert ChangeRequest.objects.get().status == ChangeRequestStatus.APPROVED


def test_an_invalid_update_is_refused_with_the_models_message(client, editor):
    from tests.factories import DisputeFactory

    dispute = DisputeFactory(zone__province__code="PK-PB", opened_on=datetime.date(2020, 1, 1))
    client.force_login(editor)
    url = reverse("workspace:edit", args=["dispute", dispute.pk])
    form = client.get(url).context["form"]

    response = client.post(
        url,
        {
            "status": "resolved",
            "affected_acres": "50",
            "forum": "",
            "resolved_on": "2019-12-31",
            "base": form.initial["base"],
            "comment": "Settled.",
        },
    )

    assert response.status_code == 200
    assert "cannot be resolved before it was opened" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_the_workspace_lists_overdue_milestones_first(client, editor, milestone):
    on_time = ZoneFactory(name="On Time Zone", province__code="PK-PB")
    MilestoneFactory(zone=on_time, planned_date=datetime.date(2099, 1, 1))
    client.force_login(editor)

    page = client.get(reverse("workspace:home")).content.decode()

    assert page.index("Allama Iqbal") < page.index("On Time Zone")
    assert "1 overdue milestone" in page


def test_pending_updates_show_on_the_zone_page_to_officials_not_the_public(
    client, editor, milestone
):
    client.force_login(editor)
    submit(client, milestone, status="done", actual_date="2024-05-20")
    client.logout()

    public_page = client.get(milestone.zone.get_absolute_url()).content.decode()
    client.force_login(make_user("official"))
    official_page = client.get(milestone.zone.get_absolute_url()).content.decode()

    assert "Updates waiting for review" not in public_page
    assert "Updates waiting for review" in official_page
    assert "Per the provincial progress report of May." in official_page
