"""Every change through review: an editor's import is a batch a reviewer decides whole; the
preview is what gets applied; fields only administrators set; history follows visibility."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import MilestoneFactory, ZoneFactory, make_user
from tests.workspace.imports.helpers import csv_upload, milestone_row, milestones
from workspace.models import ChangeRequest, ImportJob, ImportJobStatus
from zones.models import Milestone, Zone

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("workspace:import_upload")


@pytest.fixture
def rashakai():
    return ZoneFactory(slug="rashakai", name="Rashakai", province__code="PK-KP")


@pytest.fixture
def groundbreaking(rashakai):
    return MilestoneFactory(
        zone=rashakai, code="groundbreaking", title="Milestone groundbreaking",
        responsible="provincial", status="done", baseline_date=datetime.date(2024, 1, 1),
        planned_date=datetime.date(2025, 1, 1), actual_date=datetime.date(2025, 1, 2),
    )  # fmt: skip


@pytest.fixture
def editor(rashakai):
    return make_user("editor", zones=[rashakai], username="editor-ali", email="ali@example.org")


@pytest.fixture
def reviewer():
    return make_user("reviewer", provinces=["PK-KP"], username="reviewer-sara")


def job_url(job, name="import_job"):
    return reverse(f"workspace:{name}", args=[job.pk])


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def blocked_row():
    return milestone_row("rashakai", "groundbreaking", status="blocked", actual_date="")


def propose(client, user, file) -> ImportJob:
    client.force_login(user)
    client.post(UPLOAD_URL, {"file": file})
    job = ImportJob.objects.without_data().latest("pk")
    assert job.status == ImportJobStatus.PREVIEWED, job.errors
    client.post(job_url(job, "import_apply"))
    job.refresh_from_db()
    return job


# --- An editor's import is a proposal -----------------------------------------------------------


def test_an_editors_import_changes_nothing_until_a_reviewer_approves_it(
    client, rashakai, groundbreaking, editor, reviewer
):
    public_before = text(client.get(rashakai.get_absolute_url()))
    file = csv_upload("milestones", milestones(blocked_row(), milestone_row("rashakai", "power")))

    job = propose(client, editor, file)

    assert job.status == ImportJobStatus.PROPOSED
    groundbreaking.refresh_from_db()
    assert groundbreaking.status == "done"  # nothing stored changed
    assert not Milestone.objects.filter(code="power").exists()
    client.logout()
    assert text(client.get(rashakai.get_absolute_url())).count("Blocked") == public_before.count(
        "Blocked"
    )
    requests = {r.sheet + ":" + str(r.line): r for r in job.change_requests.all()}
    assert set(requests) == {"milestones:2", "milestones:3"}  # one per changed record
    assert requests["milestones:2"].action == "update"
    assert requests["milestones:2"].record_id == groundbreaking.pk
    assert requests["milestones:3"].action == "create"
    assert requests["milestones:3"].record_id is None

    # The reviewer sees the batch, field by field, and approves it whole.
    client.force_login(reviewer)
    home = text(client.get(reverse("workspace:home")))
    assert job_url(job, "import_review") in home
    page = text(client.get(job_url(job, "import_review")))
    assert "<code>status</code></th><td>done</td><td><strong>blocked</strong>" in page
    assert "rashakai · power" in page
    response = client.post(job_url(job, "import_approve"))

    assert response.status_code == 302
    groundbreaking.refresh_from_db()
    assert groundbreaking.status == "blocked"
    assert Milestone.objects.filter(code="power").exists()
    assert set(job.change_requests.values_list("status", flat=True)) == {"approved"}
    history = Milestone.history.filter(id=groundbreaking.pk).latest("history_date")
    assert history.history_user.username == "reviewer-sara"


def test_a_returned_batch_writes_nothing_and_tells_the_editor(
    client, rashakai, groundbreaking, editor, reviewer, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    job = propose(client, editor, csv_upload("milestones", milestones(blocked_row())))
    client.force_login(reviewer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(job_url(job, "import_return"), {"note": "Attach the minutes."})

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJobStatus.RETURNED
    groundbreaking.refresh_from_db()
    assert groundbreaking.status == "done"
    assert set(job.change_requests.values_list("status", flat=True)) == {"returned"}
    assert "Attach the minutes." in mailoutbox[0].body
    assert client.post(job_url(job, "import_approve")).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJobStatus.RETURNED  # decided once


@pytest.mark.parametrize(
    ("role", "expected"),
    [("editor", 403), ("other_reviewer", 404), ("official", 404)],
)
def test_only_a_reviewer_of_the_zones_approves_a_batch(
    client, rashakai, groundbreaking, editor, role, expected
):
    job = propose(client, editor, csv_upload("milestones", milestones(blocked_row())))
    users = {
        "editor": editor,
        "other_reviewer": make_user("reviewer", provinces=["PK-SD"]),
        "official": make_user("official"),
    }
    client.force_login(users[role])

    assert client.post(job_url(job, "import_approve")).status_code == expected
    groundbreaking.refresh_from_db()
    assert groundbreaking.status == "done"


def test_approval_is_refused_whole_when_a_record_changed_since_the_preview(
    client, rashakai, groundbreaking, editor, reviewer
):
    job = propose(
        client,
        editor,
        csv_upload("milestones", milestones(blocked_row(), milestone_row("rashakai", "power"))),
    )
    Milestone.objects.filter(pk=groundbreaking.pk).update(status="in_progress")
    client.force_login(reviewer)

    response = client.post(job_url(job, "import_approve"))

    assert response.status_code == 409
    page = text(response)
    assert "milestones:2: status: stored done when previewed, in_progress now" in page
    groundbreaking.refresh_from_db()
    assert groundbreaking.status == "in_progress"  # not overwritten
    assert not Milestone.objects.filter(code="power").exists()  # all or nothing
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert set(job.change_requests.values_list("status", flat=True)) == {"returned"}


def test_an_administrators_apply_after_a_concurrent_change_is_refused_with_the_change(
    client, rashakai, groundbreaking
):
    admin = make_user("administrator")
    client.force_login(admin)
    client.post(UPLOAD_URL, {"file": csv_upload("milestones", milestones(blocked_row()))})
    job = ImportJob.objects.without_data().get()
    someone = Milestone.objects.get(pk=groundbreaking.pk)
    someone.planned_date = datetime.date(2025, 6, 30)
    someone.save()

    response = client.post(job_url(job, "import_apply"), follow=True)

    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert "milestones:2: planned_date: stored 2025-01-01 when previewed, 2025-06-30 now" in (
        text(response)
    )
    groundbreaking.refresh_from_db()
    assert (groundbreaking.status, groundbreaking.planned_date) == (
        "done",
        datetime.date(2025, 6, 30),
    )


def test_an_administrators_import_still_applies_at_once_naming_them(
    client, rashakai, groundbreaking
):
    client.force_login(make_user("administrator", username="admin-zara"))
    client.post(UPLOAD_URL, {"file": csv_upload("milestones", milestones(blocked_row()))})
    job = ImportJob.objects.without_data().get()

    client.post(job_url(job, "import_apply"))

    job.refresh_from_db()
    assert job.status == ImportJobStatus.APPLIED
    assert not ChangeRequest.objects.exists()
    latest = Milestone.history.filter(id=groundbreaking.pk).latest("history_date")
    assert latest.history_user.username == "admin-zara"


# --- Fields only administrators set ---------------------------------------------------------------


ZONE_ROW = {
    "slug": "rashakai", "name": "Rashakai", "province": "PK-KP", "status": "under_development",
}  # fmt: skip


@pytest.mark.parametrize(
    ("column", "value"),
    [("published", "false"), ("province", "PK-PB"), ("cpec_priority", "true")],
)
def test_an_editors_sheet_changing_an_administrators_field_is_refused(
    client, rashakai, editor, column, value
):
    from tests.factories import ProvinceFactory

    ProvinceFactory(code="PK-PB")
    row = {**ZONE_ROW, column: value}
    client.force_login(editor)

    response = client.post(
        UPLOAD_URL, {"file": csv_upload("zones", [list(row), list(row.values())])}, follow=True
    )

    job = ImportJob.objects.without_data().get()
    assert job.status == ImportJobStatus.FAILED
    assert job.errors == [f"zones:2: {column}: Only an administrator may change this."]
    assert f"zones:2: {column}: Only an administrator may change this." in text(response)


def test_an_editor_cannot_publish_a_hidden_zone_by_import(client, editor):
    hidden = ZoneFactory(slug="hidden", name="Hidden", province__code="PK-KP", published=False)
    editor_of_hidden = make_user("editor", zones=[hidden])
    client.force_login(editor_of_hidden)
    row = {**ZONE_ROW, "slug": "hidden", "name": "Hidden", "published": "true"}

    client.post(UPLOAD_URL, {"file": csv_upload("zones", [list(row), list(row.values())])})

    assert ImportJob.objects.without_data().get().status == ImportJobStatus.FAILED
    client.logout()
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_an_administrator_may_change_those_fields_by_import(client, rashakai):
    client.force_login(make_user("administrator"))
    row = {**ZONE_ROW, "published": "false", "cpec_priority": "true"}
    client.post(UPLOAD_URL, {"file": csv_upload("zones", [list(row), list(row.values())])})
    job = ImportJob.objects.without_data().get()

    client.post(job_url(job, "import_apply"))

    rashakai.refresh_from_db()
    assert (rashakai.published, rashakai.cpec_priority) == (False, True)


def test_the_api_is_read_only_for_editors(client, rashakai, editor):
    client.force_login(editor)
    url = reverse("api:zone-detail", args=[rashakai.slug])

    for method in ("patch", "put", "delete"):
        response = getattr(client, method)(
            url, {"published": False}, content_type="application/json"
        )
        assert response.status_code == 405
    rashakai.refresh_from_db()
    assert rashakai.published is True


def test_the_editing_form_ignores_an_administrators_field(client, rashakai, editor):
    client.force_login(editor)
    url = reverse("workspace:edit", args=["zone_text", rashakai.pk])
    form = client.get(url).context["form"]
    data = {**dict.fromkeys(form.fields, ""), "base": form.initial["base"]}
    data |= {"name_ur": "رشکئی", "comment": "Urdu name.", "published": "false", "slug": "x"}

    client.post(url, data)

    rashakai.refresh_from_db()
    assert (rashakai.published, rashakai.slug) == (True, "rashakai")
    proposed = ChangeRequest.objects.get().proposed
    assert "published" not in proposed and "slug" not in proposed


def test_the_admin_shows_administrators_fields_read_only_to_other_staff(client, rashakai):
    from django.contrib.auth.models import Permission

    staff = make_user("official")
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(
        Permission.objects.get(codename="change_zone", content_type__app_label="zones")
    )
    client.force_login(staff)
    url = reverse("admin:zones_zone_change", args=[rashakai.pk])

    page = client.get(url).content.decode()

    assert 'name="published"' not in page
    assert 'name="province"' not in page
    assert 'name="slug"' not in page
    assert 'name="cpec_priority"' not in page
    assert 'name="district"' in page  # the rest stays editable
    client.force_login(make_user("administrator", is_superuser=True))
    assert 'name="published"' in client.get(url).content.decode()


# --- History follows visibility ----------------------------------------------------------------


def test_history_shown_to_an_editor_has_no_internal_field(client, rashakai, editor):
    zone = Zone.objects.get(pk=rashakai.pk)
    zone.internal_notes = "Land acquisition contested by two villages."
    zone.save()

    client.force_login(editor)
    as_editor = text(client.get(rashakai.get_absolute_url()))
    client.force_login(make_user("official"))
    as_official = text(client.get(rashakai.get_absolute_url()))

    assert "Change history" in as_editor
    assert "internal notes" not in as_editor
    assert "two villages" not in as_editor
    assert "internal notes" in as_official
    assert "two villages" in as_official


def test_an_editors_preview_has_no_internal_column(client, rashakai, editor):
    from tests.factories import UtilityFactory

    UtilityFactory(zone=rashakai, kind="gas", notes="Old secret note")
    header = ["zone", "kind", "status", "notes"]
    file = csv_upload("utilities", [header, ["rashakai", "gas", "planned", "New secret note"]])

    job = propose(client, editor, file)

    page = text(client.get(job_url(job, "import_review")))
    assert "secret note" not in page
    client.force_login(make_user("reviewer", provinces=["PK-KP"]))
    assert "New secret note" in text(client.get(job_url(job, "import_review")))


def test_an_editable_that_names_an_administrators_field_is_still_refused_to_editors(
    client, rashakai, editor, monkeypatch
):
    from workspace.review.editable import EDITABLE, Editable

    zone_text = EDITABLE["zone_text"]
    widened = Editable(zone_text.kind, Zone, (*zone_text.fields, "cpec_priority"))
    monkeypatch.setitem(EDITABLE, "zone_text", widened)
    client.force_login(editor)
    url = reverse("workspace:edit", args=["zone_text", rashakai.pk])
    form = client.get(url).context["form"]
    data = {**dict.fromkeys(form.fields, ""), "base": form.initial["base"]}
    data |= {"cpec_priority": "on", "comment": "Priority now."}

    response = client.post(url, data)

    assert "Only an administrator may change: CPEC priority zone." in text(response)
    rashakai.refresh_from_db()
    assert rashakai.cpec_priority is False
    assert not ChangeRequest.objects.exists()


def test_the_batch_page_reads_in_a_fixed_number_of_queries(client, rashakai, editor, reviewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for(count: int) -> int:
        rows = [milestone_row("rashakai", f"m-{count}-{i}") for i in range(count)]
        job = propose(client, editor, csv_upload("milestones", milestones(*rows)))
        client.force_login(reviewer)
        url = job_url(job, "import_review")
        client.get(url)  # the session and the user's roles, read once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few, many = queries_for(2), queries_for(12)
    assert few == many <= 8, (few, many)
