"""Large spreadsheet imports on a real Celery worker: progress, atomicity, crash and retry."""

import time

import pytest
from django.db import connections
from django.urls import reverse

from tests.conftest import wait_for
from tests.factories import ZoneFactory, make_user
from tests.workspace.imports.helpers import csv_upload, many_milestones
from workspace.imports import steps
from workspace.models import ImportJob, ImportJobStatus
from zones.models import Milestone

ROWS = 400  # the importer reports progress every 200 rows: several reports per phase


@pytest.fixture
def setup(client, settings, transactional_db):
    settings.IMPORT_SYNC_MAX_ROWS = 10
    zone = ZoneFactory(slug="rashakai", province__code="PK-KP")
    client.force_login(make_user("administrator", username="admin-sana"))  # applies at once
    return zone


def job_url(job, name="import_job"):
    return reverse(f"workspace:{name}", args=[job.pk])


def status_of(client, job) -> dict:
    return client.get(job_url(job, "import_status")).json()


def wait_for_status(worker, job, *statuses, timeout=60) -> ImportJob:
    try:
        return wait_for(
            lambda: ImportJob.objects.without_data().filter(pk=job.pk, status__in=statuses).first(),
            timeout=timeout,
            interval=0.05,
        )
    except AssertionError:
        print(worker.log())
        raise


@pytest.mark.worker
def test_a_large_import_runs_on_a_worker_with_progress_the_page_can_see(
    client, setup, celery_worker_process
):
    client.post(
        reverse("workspace:import_upload"),
        {"file": csv_upload("milestones", many_milestones("rashakai", ROWS))},
    )
    job = ImportJob.objects.without_data().get()
    job = wait_for_status(celery_worker_process, job, "previewed", "failed")
    assert job.preview["counts"][0]["created"] == ROWS, job.errors

    client.post(job_url(job, "import_apply"))
    seen = []  # (progress, milestones visible just before) while the worker runs
    while not seen or not seen[-1][0]["finished"]:
        visible = Milestone.objects.count()
        seen.append((status_of(client, job), visible))
        assert len(seen) < 1000, celery_worker_process.log()
        time.sleep(0.05)

    midway = [
        (state, visible)
        for state, visible in seen
        if state["status"] == "running" and 0 < state["done"] < state["total"]
    ]
    assert midway, seen
    assert all(visible == 0 for _state, visible in midway)  # nothing shows before commit
    assert any("writing" in state["message"] for state, _ in midway)
    final, _visible_before = seen[-1]  # counted just before the status said finished
    assert final["status"] == "applied"
    assert final["done"] == final["total"]
    assert Milestone.objects.count() == ROWS
    # The worker names who made the change in every history record.
    users = set(Milestone.history.values_list("history_user__username", flat=True))
    assert users == {"admin-sana"}
    page = client.get(job_url(job)).content.decode()
    assert "Import report" in page
    assert f'<td class="num">{ROWS}</td>' in page


@pytest.mark.worker
def test_an_editors_batch_approved_on_a_worker_records_the_reviewer(
    client, setup, celery_worker_process
):
    client.force_login(make_user("editor", zones=[setup], username="editor-omar"))
    client.post(
        reverse("workspace:import_upload"),
        {"file": csv_upload("milestones", many_milestones("rashakai", 30))},
    )
    job = wait_for_status(celery_worker_process, ImportJob.objects.get(), "previewed", "failed")
    client.post(job_url(job, "import_apply"))
    job = wait_for_status(celery_worker_process, job, "proposed", "failed")
    assert job.status == ImportJobStatus.PROPOSED, job.errors
    assert Milestone.objects.count() == 0
    assert job.change_requests.count() == 30

    client.force_login(make_user("reviewer", provinces=["PK-KP"], username="reviewer-hina"))
    client.post(job_url(job, "import_approve"))
    job = wait_for_status(celery_worker_process, job, "applied", "failed")

    assert job.status == ImportJobStatus.APPLIED, job.errors
    assert Milestone.objects.count() == 30
    users = set(Milestone.history.values_list("history_user__username", flat=True))
    assert users == {"reviewer-hina"}
    assert set(job.change_requests.values_list("status", flat=True)) == {"approved"}


@pytest.mark.worker
def test_a_killed_worker_writes_nothing_and_the_import_can_be_queued_again(
    client, setup, settings, celery_worker_process
):
    settings.IMPORT_SYNC_MAX_ROWS = ROWS  # checked in the request, applied by the worker
    client.post(
        reverse("workspace:import_upload"),
        {"file": csv_upload("milestones", many_milestones("rashakai", ROWS))},
    )
    job = ImportJob.objects.without_data().get()
    assert job.status == ImportJobStatus.PREVIEWED
    settings.IMPORT_SYNC_MAX_ROWS = 10
    client.post(job_url(job, "import_apply"))
    wait_for(lambda: status_of(client, job)["done"] > 0, timeout=60, interval=0.05)

    celery_worker_process.kill()

    job.refresh_from_db()
    assert job.status == ImportJobStatus.RUNNING
    assert Milestone.objects.count() == 0
    page = client.get(job_url(job)).content.decode()
    assert "Queue it again" not in page  # not stalled yet: it might still be working
    settings.IMPORT_STALLED_AFTER = 0
    assert "Nothing of it was written." in client.get(job_url(job)).content.decode()

    client.post(job_url(job, "import_retry"))
    celery_worker_process.start()

    job = wait_for_status(celery_worker_process, job, "applied", "failed")
    assert job.status == ImportJobStatus.APPLIED, job.errors
    assert job.report["counts"][0]["created"] == ROWS
    assert Milestone.objects.count() == ROWS


@pytest.mark.django_db
def test_a_job_another_worker_holds_is_left_alone(
    client, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_SYNC_MAX_ROWS = 0  # nothing runs in the request; the task is not sent
    ZoneFactory(slug="rashakai", province__code="PK-KP")
    client.force_login(make_user("administrator"))
    with django_capture_on_commit_callbacks(execute=False):
        client.post(
            reverse("workspace:import_upload"),
            {"file": csv_upload("milestones", many_milestones("rashakai", 3))},
        )
    job = ImportJob.objects.without_data().get()
    job.status = ImportJobStatus.QUEUED
    job.save()
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:  # another worker's transaction holds the job's lock
            cursor.execute("BEGIN")
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)", [steps.ADVISORY_LOCK_CLASS, job.pk]
            )
            assert steps.import_job_run(job_id=job.pk, track_progress=False) == "busy"
            cursor.execute("ROLLBACK")
    finally:
        other.close()

    assert ImportJob.objects.get().status == ImportJobStatus.QUEUED
    assert Milestone.objects.count() == 0
    assert steps.import_job_run(job_id=job.pk, track_progress=False) == "applied"
    assert Milestone.objects.count() == 3
