"""Spreadsheet import in the workspace: who may upload, preview, apply, scope and atomicity."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Assignment
from aggregates.services import aggregates_refresh_uncommitted
from tests.factories import MilestoneFactory, ZoneFactory, make_user
from tests.workspace.imports.helpers import (
    csv_bytes,
    csv_upload,
    many_milestones,
    milestone_row,
    milestones,
    xlsx_upload,
    zip_upload,
)
from workspace.imports.tasks import apply_import_job
from workspace.models import ImportJob, ImportJobStatus
from zones.models import Milestone, Zone
from zones.vocabulary import MilestoneStatus

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("workspace:import_upload")
ZONES_HEADER = ["slug", "name", "province", "status", "sectors"]


@pytest.fixture
def rashakai():
    return ZoneFactory(slug="rashakai", name="Rashakai", province__code="PK-KP")


@pytest.fixture
def dhabeji():
    return ZoneFactory(slug="dhabeji", name="Dhabeji", province__code="PK-SD")


@pytest.fixture
def admin():
    return make_user("administrator", username="admin")


def upload(client, file):
    """Upload as the form does and follow to the job page."""
    return client.post(UPLOAD_URL, {"file": file}, follow=True)


def job_url(job, name="import_job"):
    return reverse(f"workspace:{name}", args=[job.pk])


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- Who may import ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("editor", 200), ("administrator", 200), ("reviewer", 403), ("official", 403), (None, 403)],
)
def test_only_administrators_and_editors_may_open_the_upload_page(client, role, expected):
    client.force_login(make_user(role))

    assert client.get(UPLOAD_URL).status_code == expected
    assert client.get(reverse("workspace:import_template")).status_code == expected


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(UPLOAD_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_reviewer_can_post_no_upload(client, rashakai):
    client.force_login(make_user("reviewer", provinces=["PK-KP"]))

    response = client.post(UPLOAD_URL, {"file": csv_upload("milestones", milestones())})

    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_the_workspace_links_editors_to_the_upload_page(client, rashakai):
    client.force_login(make_user("editor", zones=[rashakai]))

    assert UPLOAD_URL in client.get(reverse("workspace:home")).content.decode()


# --- Preview and apply ------------------------------------------------------------------------


def test_a_preview_shows_what_would_be_created_updated_and_unchanged_and_writes_nothing(
    client, admin, rashakai
):
    MilestoneFactory(zone=rashakai, code="groundbreaking", title="Milestone groundbreaking",
                     responsible="provincial", baseline_date=datetime.date(2024, 1, 1),
                     planned_date=datetime.date(2025, 1, 1))  # fmt: skip
    MilestoneFactory(zone=rashakai, code="gas", title="Milestone gas", responsible="provincial",
                     baseline_date=datetime.date(2024, 1, 1),
                     planned_date=datetime.date(2025, 1, 1))  # fmt: skip
    client.force_login(admin)

    response = upload(
        client,
        csv_upload(
            "milestones",
            milestones(
                milestone_row("rashakai", "groundbreaking"),  # as stored
                milestone_row("rashakai", "gas", status="blocked"),
                milestone_row("rashakai", "power", title="Power at zero point"),
            ),
        ),
    )

    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.PREVIEWED
    assert job.preview["counts"] == [
        {"sheet": "milestones", "created": 1, "updated": 1, "unchanged": 1}
    ]
    page = page_text(response)
    assert "Nothing has been written yet" in page
    assert "rashakai · gas" in page
    assert "<code>status</code>: not_started → blocked" in page
    assert "rashakai · power" in page
    assert "rashakai · groundbreaking" not in page  # unchanged rows are only counted
    assert Milestone.objects.get(code="gas").status == MilestoneStatus.NOT_STARTED
    assert not Milestone.objects.filter(code="power").exists()


def test_applying_writes_every_row_and_shows_the_report(client, admin, rashakai):
    client.force_login(admin)
    upload(
        client,
        csv_upload(
            "milestones",
            milestones(milestone_row("rashakai", "power"), milestone_row("rashakai", "gas")),
        ),
    )
    job = ImportJob.objects.get()

    response = client.post(job_url(job, "import_apply"), follow=True)

    job.refresh_from_db()
    assert job.status == ImportJobStatus.APPLIED
    assert job.applied_at is not None
    assert set(rashakai.milestones.values_list("code", flat=True)) == {"power", "gas"}
    page = page_text(response)
    assert "The spreadsheet was imported." in page
    assert "Import report" in page
    assert re.search(r"<th scope=\"row\">milestones</th><td class=\"num\">2</td>", page)


def test_applying_twice_applies_once(client, admin, rashakai):
    client.force_login(admin)
    upload(client, csv_upload("milestones", milestones(milestone_row("rashakai", "power"))))
    job = ImportJob.objects.get()
    client.post(job_url(job, "import_apply"))

    response = client.post(job_url(job, "import_apply"), follow=True)

    assert "This import is not waiting to be applied." in page_text(response)
    assert Milestone.objects.filter(code="power").count() == 1
    job.refresh_from_db()
    assert job.report["counts"][0]["created"] == 1


@pytest.mark.parametrize("kind", ["xlsx", "zip"])
def test_workbooks_and_zip_archives_of_csv_files_are_read_sheet_by_sheet(client, admin, kind):
    zones = [ZONES_HEADER, ["bostan", "Bostan", "PK-BA", "under_development", "food-processing"]]
    rows = milestones(milestone_row("bostan", "land"))
    client.force_login(admin)
    if kind == "xlsx":
        file = xlsx_upload({"zones": zones, "milestones": rows})
    else:
        file = zip_upload(
            {"bundle/zones.csv": csv_bytes(zones), "bundle/milestones.csv": csv_bytes(rows)}
        )

    upload(client, file)
    job = ImportJob.objects.get()
    client.post(job_url(job, "import_apply"))

    job.refresh_from_db()
    assert job.status == ImportJobStatus.APPLIED, job.errors
    assert [c["sheet"] for c in job.report["counts"]] == ["zones", "milestones"]
    assert Zone.objects.get(slug="bostan").milestones.get().code == "land"


# --- Errors and atomicity ---------------------------------------------------------------------


def test_every_bad_row_is_listed_as_sheet_line_column_message_and_nothing_is_written(
    client, admin, rashakai
):
    client.force_login(admin)
    bad = xlsx_upload(
        {
            "zones": [
                ZONES_HEADER,
                ["new-zone", "New zone", "PK-PB", "proposed", "textiles"],
                ["other", "Other", "PK-XX", "proposed", ""],
            ],
            "milestones": milestones(
                milestone_row("rashakai", "power"),
                milestone_row("rashakai", "gas", status="finished"),
            ),
        }
    )

    response = upload(client, bad)

    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    assert job.errors == [
        "zones:3: province: Unknown province 'PK-XX'; use an ISO code such as PK-PB.",
        "milestones:3: status: Select a valid choice. finished is not one of the available "
        "choices.",
    ]
    page = page_text(response)
    assert "The file was refused: 2 errors" in page
    assert "<code>milestones:3: status: Select a valid choice." in page
    assert not Zone.objects.filter(slug="new-zone").exists()
    assert not Milestone.objects.exists()
    assert client.post(job_url(job, "import_apply")).status_code == 302
    assert not Milestone.objects.exists()


def test_a_file_that_turns_bad_between_preview_and_apply_is_refused_whole(
    client, admin, rashakai, dhabeji
):
    client.force_login(admin)
    upload(
        client,
        csv_upload(
            "milestones",
            milestones(milestone_row("rashakai", "power"), milestone_row("dhabeji", "power")),
        ),
    )
    job = ImportJob.objects.get()
    dhabeji.delete()

    response = client.post(job_url(job, "import_apply"), follow=True)

    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert job.errors == [
        "milestones:3: zone: Unknown zone 'dhabeji': not in the database nor in the zones sheet."
    ]
    assert "nothing was imported" in page_text(response)
    assert not Milestone.objects.exists()  # the good rashakai row was not written either


# --- An editor's scope ------------------------------------------------------------------------


@pytest.mark.parametrize("scope", ["zone", "province"])
def test_an_editor_imports_rows_for_their_own_zones_through_review(client, rashakai, scope):
    scope_kwargs = {"zones": [rashakai]} if scope == "zone" else {"provinces": ["PK-KP"]}
    editor = make_user("editor", **scope_kwargs)
    client.force_login(editor)
    upload(client, csv_upload("milestones", milestones(milestone_row("rashakai", "power"))))
    job = ImportJob.objects.get()

    client.post(job_url(job, "import_apply"))

    job.refresh_from_db()
    assert job.status == ImportJobStatus.PROPOSED  # a batch for a reviewer, nothing written
    assert not rashakai.milestones.exists()
    client.force_login(make_user("reviewer", provinces=["PK-KP"]))
    client.post(job_url(job, "import_approve"))
    job.refresh_from_db()
    assert job.status == ImportJobStatus.APPLIED
    assert rashakai.milestones.get().code == "power"


def test_a_row_for_another_zone_refuses_an_editors_whole_file(client, rashakai, dhabeji):
    client.force_login(make_user("editor", zones=[rashakai]))

    response = upload(
        client,
        csv_upload(
            "milestones",
            milestones(milestone_row("rashakai", "power"), milestone_row("dhabeji", "power")),
        ),
    )

    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    assert job.errors == ["milestones:3: zone: You may not change zone 'dhabeji'."]
    assert "milestones:3: zone: You may not change zone &#x27;dhabeji&#x27;." in page_text(response)
    assert not Milestone.objects.exists()


def test_an_editor_may_update_their_zone_but_not_create_or_change_others(client, rashakai, dhabeji):
    client.force_login(make_user("editor", provinces=["PK-KP"]))

    upload(
        client,
        csv_upload(
            "zones",
            [
                ZONES_HEADER,
                ["rashakai", "Rashakai SEZ", "PK-KP", "operational", "textiles"],
                ["dhabeji", "Dhabeji SEZ", "PK-SD", "stalled", ""],
                ["new-zone", "A new zone", "PK-KP", "proposed", ""],
            ],
        ),
    )

    job = ImportJob.objects.get()
    assert job.errors == [
        "zones:3: slug: You may not change zone 'dhabeji'.",
        "zones:4: slug: You may not change zone 'new-zone'.",
    ]
    assert Zone.objects.get(slug="rashakai").name == "Rashakai"
    assert not Zone.objects.filter(slug="new-zone").exists()


def test_an_administrator_may_create_zones(client, admin):
    client.force_login(admin)
    upload(
        client,
        csv_upload("zones", [ZONES_HEADER, ["new-zone", "A new zone", "PK-KP", "proposed", ""]]),
    )

    client.post(job_url(ImportJob.objects.get(), "import_apply"))

    assert Zone.objects.get(slug="new-zone").province_id == "PK-KP"


def test_scope_is_checked_again_when_applying(client, rashakai):
    editor = make_user("editor", zones=[rashakai])
    client.force_login(editor)
    upload(client, csv_upload("milestones", milestones(milestone_row("rashakai", "power"))))
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.PREVIEWED
    Assignment.objects.filter(user=editor).delete()

    client.post(job_url(job, "import_apply"))

    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert job.errors == ["milestones:2: zone: You may not change zone 'rashakai'."]
    assert not Milestone.objects.exists()


def test_nobody_else_sees_or_applies_an_editors_import(client, rashakai, admin):
    owner = make_user("editor", zones=[rashakai])
    client.force_login(owner)
    upload(client, csv_upload("milestones", milestones(milestone_row("rashakai", "power"))))
    job = ImportJob.objects.get()

    client.force_login(make_user("editor", zones=[rashakai]))
    assert client.get(job_url(job)).status_code == 404
    assert client.get(job_url(job, "import_status")).status_code == 404
    assert client.post(job_url(job, "import_apply")).status_code == 404

    client.force_login(admin)
    assert client.get(job_url(job)).status_code == 200  # administrators may look
    assert client.post(job_url(job, "import_apply")).status_code == 403
    assert not Milestone.objects.exists()


# --- Files refused before they are read -------------------------------------------------------


def test_an_oversized_upload_is_refused_before_it_is_read(client, admin, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    client.force_login(admin)
    huge = csv_upload("milestones", many_milestones("rashakai", 2000))

    response = client.post(UPLOAD_URL, {"file": huge})

    assert response.status_code == 413
    assert "The file is larger than the upload limit of 1000" in page_text(response)
    assert not ImportJob.objects.exists()


def test_a_file_just_over_the_limit_is_refused_by_the_form(client, admin, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    client.force_login(admin)
    file = csv_upload("milestones", many_milestones("rashakai", 12))
    assert 1000 < file.size < 2000

    response = client.post(UPLOAD_URL, {"file": file})

    assert response.status_code == 400
    assert "The file is larger than the upload limit of 1000" in page_text(response)
    assert not ImportJob.objects.exists()


def test_a_file_of_another_type_is_refused_by_the_form(client, admin):
    client.force_login(admin)

    response = client.post(UPLOAD_URL, {"file": csv_upload("notes", [["a"]], name="notes.txt")})

    assert response.status_code == 400
    assert "Upload a .csv, .xlsx or .zip file." in page_text(response)


@pytest.mark.parametrize(
    ("file", "error"),
    [
        (
            csv_upload("budget", [["a"]]),
            "budget.csv:0: -: Name a CSV file after its sheet: zones.csv, utilities.csv",
        ),
        (SimpleUploadedFile("broken.xlsx", b"not a workbook"),
         "workbook:0: -: Not a readable .xlsx workbook."),
        (zip_upload({"readme.txt": b"hello"}),
         "readme.txt:0: -: Unexpected file in the archive; expected files such as zones.csv."),
        (zip_upload({"a/zones.csv": b"slug\n", "b/zones.csv": b"slug\n"}),
         "zones.csv:0: -: The sheet appears twice."),
    ],
    ids=["csv-name", "xlsx", "zip-member", "zip-duplicate"],
)  # fmt: skip
def test_a_file_the_importer_cannot_read_is_refused_with_the_reason(client, admin, file, error):
    client.force_login(admin)

    response = upload(client, file)

    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.FAILED
    assert job.errors[0].startswith(error)
    assert "The file was refused" in page_text(response)


# --- Large files: queued for a worker ---------------------------------------------------------


def test_a_large_file_is_checked_and_applied_by_tasks_queued_on_commit(
    client, admin, rashakai, settings, django_capture_on_commit_callbacks
):
    """The queued path, with Celery eager; tests/workspace/imports/test_worker.py runs it on a
    real worker."""
    settings.IMPORT_SYNC_MAX_ROWS = 3
    client.force_login(admin)
    aggregates_refresh_uncommitted()  # the worker has counted the fixtures' records

    with django_capture_on_commit_callbacks(execute=False) as queued:
        upload(client, csv_upload("milestones", many_milestones("rashakai", 4)))
    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.UPLOADED
    assert len(queued) == 1
    page = page_text(client.get(job_url(job)))
    assert f'data-status-url="{job_url(job, "import_status")}"' in page
    assert "js/import-progress.js" in page

    queued[0]()
    job.refresh_from_db()
    assert job.status == ImportJobStatus.PREVIEWED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(job_url(job, "import_apply"))

    job.refresh_from_db()
    assert job.status == ImportJobStatus.APPLIED
    assert rashakai.milestones.count() == 4


def test_rerunning_a_finished_job_changes_nothing(client, admin, rashakai):
    client.force_login(admin)
    upload(client, csv_upload("milestones", milestones(milestone_row("rashakai", "power"))))
    job = ImportJob.objects.get()
    client.post(job_url(job, "import_apply"))
    job.refresh_from_db()
    Milestone.objects.update(title="Edited since")

    assert apply_import_job.delay(job.pk).get() == "applied"

    assert Milestone.objects.get().title == "Edited since"
    assert ImportJob.objects.get().updated_at == job.updated_at


def test_the_status_endpoint_reports_progress_in_a_few_queries(
    client, admin, rashakai, django_assert_max_num_queries
):
    client.force_login(admin)
    upload(client, csv_upload("milestones", milestones(milestone_row("rashakai", "power"))))
    job = ImportJob.objects.get()

    with django_assert_max_num_queries(4):
        state = client.get(job_url(job, "import_status")).json()

    assert state["status"] == "previewed"
    assert state["finished"] is True
    assert state["done"] == state["total"]
    assert "no-cache" in client.get(job_url(job, "import_status"))["Cache-Control"]


def test_a_zones_sheet_without_some_columns_leaves_those_fields_as_stored(client, admin):
    zone = ZoneFactory(slug="mirpur", name="Mirpur", province__code="PK-JK", sectors=["textiles"])
    client.force_login(admin)
    upload(client, csv_upload("zones", [["slug", "name", "province", "status"],
                                        ["mirpur", "Mirpur SEZ", "PK-JK", "stalled"]]))  # fmt: skip
    job = ImportJob.objects.get()
    assert job.preview["rows"][0]["changes"] == [
        {"column": "name", "value": "Mirpur SEZ", "was": "Mirpur"},
        {"column": "status", "value": "stalled", "was": "under_development"},
    ]

    client.post(job_url(job, "import_apply"))

    zone.refresh_from_db()
    assert (zone.name, zone.status) == ("Mirpur SEZ", "stalled")
    assert list(zone.sectors.values_list("slug", flat=True)) == ["textiles"]
    assert zone.district == "Faisalabad"  # the factory's, untouched


def test_a_csv_file_name_is_matched_to_its_sheet_whatever_its_case(client, admin, rashakai):
    client.force_login(admin)
    file = csv_upload("milestones", milestones(milestone_row("rashakai", "power")))
    file.name = "Milestones.CSV"

    upload(client, file)

    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.PREVIEWED, job.errors
    assert job.filename == "Milestones.CSV"
