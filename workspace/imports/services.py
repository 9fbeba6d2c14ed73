"""Writes of spreadsheet imports in the request: upload, apply and retry a job.

A small file (up to ``IMPORT_SYNC_MAX_BYTES``) is read here, in the request, and checked and
applied here too when it holds up to ``IMPORT_SYNC_MAX_ROWS`` rows; anything larger is
handed to a task (:mod:`.tasks`), queued once the job is committed, so the web request
never reads a large file (the worker counts its rows).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import PurePosixPath

from celery import Task
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import can_edit, can_review_zone, is_administrator
from zones.importer import BundleError

from ..models import ChangeRequest, ImportJob, ImportJobStatus
from ..vocabulary import ChangeRequestStatus
from .progress import is_stalled
from .reading import file_error, max_upload_bytes, read_upload
from .steps import STOPPED_UNEXPECTEDLY, import_job_check, import_job_fail, import_job_run, refuse
from .tasks import apply_import_job, check_import_job

logger = logging.getLogger(__name__)
QUEUE_UNREACHABLE = gettext_lazy(
    "The import could not be handed to a background worker; nothing was written. "
    "Please upload the file again later."
)


def sync_max_rows() -> int:
    return getattr(settings, "IMPORT_SYNC_MAX_ROWS", 500)


def sync_max_bytes() -> int:
    return getattr(settings, "IMPORT_SYNC_MAX_BYTES", 256 * 1024)


def _on_worker(job: ImportJob) -> bool:
    """Whether the job's steps run on a worker: a large file, or many rows."""
    return job.size > sync_max_bytes() or job.rows_total > sync_max_rows()


def _enqueue(task: Task, job_id: int) -> None:
    """Send the job's task once the job is committed; refuse the job if no broker answers."""

    def send() -> None:
        try:
            task.delay(job_id)
        except Exception:
            logger.exception("Could not queue import job %s", job_id)
            import_job_fail(job_id=job_id, message=QUEUE_UNREACHABLE)

    transaction.on_commit(send)


def import_job_create(*, owner, filename: str, data: bytes, language: str) -> ImportJob:
    """Store an upload and check it: in this request when it is small, else in a task.

    A file that cannot be read, or that is over the size limit, is stored as refused,
    with the reason, so its page explains what went wrong.
    """
    if not can_edit(owner):
        raise PermissionDenied
    job = ImportJob(
        owner=owner, filename=PurePosixPath(filename).name[:255], data=data, size=len(data)
    )
    job.language = language
    with translation.override(language):
        try:
            if len(data) > max_upload_bytes():
                raise file_error(job.filename, _("The file is larger than the upload limit."))
            sheets = read_upload(filename=job.filename, data=data) if not _on_worker(job) else []
        except BundleError as exc:
            refuse(job, exc.errors)
            job.save()
            return job
    job.rows_total = sum(len(sheet.rows) for sheet in sheets)
    with transaction.atomic():
        job.save()
        if _on_worker(job):
            _enqueue(check_import_job, job.pk)
            return job
    _in_request(import_job_check, job.pk)
    job.refresh_from_db()
    return job


def _in_request(step: Callable[..., str], job_id: int) -> None:
    try:
        step(job_id=job_id, track_progress=False)
    except Exception:
        import_job_fail(job_id=job_id, message=STOPPED_UNEXPECTEDLY)
        raise


def import_job_apply(*, job: ImportJob, user) -> ImportJob:
    """Apply a checked job for its owner: in this request when small, else queue a task.

    Raises ``ValidationError`` when the job is not waiting to be applied (already applied,
    refused, or queued by a second click).
    """
    if job.owner_id != user.pk or not can_edit(user):
        raise PermissionDenied
    with transaction.atomic():
        job = ImportJob.objects.without_data().select_for_update().get(pk=job.pk)
        if job.status != ImportJobStatus.PREVIEWED:
            raise ValidationError(_("This import is not waiting to be applied."))
        job.status = ImportJobStatus.QUEUED
        job.progress_done = job.progress_total = 0
        job.save(update_fields=["status", "progress_done", "progress_total", "updated_at"])
        if _on_worker(job):
            _enqueue(apply_import_job, job.pk)
            return job
    _in_request(import_job_run, job.pk)
    job.refresh_from_db()
    return job


def import_job_retry(*, job: ImportJob, user) -> ImportJob:
    """Queue again a job whose worker stopped before finishing (:func:`.progress.is_stalled`)."""
    if job.owner_id != user.pk or not can_edit(user):
        raise PermissionDenied
    with transaction.atomic():
        job = ImportJob.objects.without_data().select_for_update().get(pk=job.pk)
        if not is_stalled(job):
            raise ValidationError(_("This import is not stalled."))
        checking = job.status in (ImportJobStatus.UPLOADED, ImportJobStatus.CHECKING)
        job.status = ImportJobStatus.UPLOADED if checking else ImportJobStatus.QUEUED
        job.progress_done = job.progress_total = 0
        job.save(update_fields=["status", "progress_done", "progress_total", "updated_at"])
        _enqueue(check_import_job if checking else apply_import_job, job.pk)
    return job


def may_review_batch(user, job: ImportJob) -> bool:
    """A batch is decided by someone who reviews every zone it touches."""
    zones = {request.zone for request in job.change_requests.select_related("zone")}
    return bool(zones) and all(can_review_zone(user, zone) for zone in zones)


def import_batch_approve(*, job: ImportJob, reviewer) -> ImportJob:
    """Approve an editor's batch as a whole and apply it: in this request when small, else
    on a worker. Refused whole (the job shows what changed) when any record changed since
    the preview. Raises ``ValidationError`` when the batch is not waiting for review."""
    with transaction.atomic():
        job = ImportJob.objects.without_data().select_for_update().get(pk=job.pk)
        if job.status != ImportJobStatus.PROPOSED:
            raise ValidationError(_("This import is not waiting for review."))
        if not may_review_batch(reviewer, job):
            raise PermissionDenied
        if job.owner_id == reviewer.pk and not is_administrator(reviewer):
            raise PermissionDenied(_("An update needs a second person to approve it."))
        job.status = ImportJobStatus.QUEUED
        job.reviewed_by, job.reviewed_at = reviewer, timezone.now()
        job.progress_done = job.progress_total = 0
        job.save(
            update_fields=[
                "status", "reviewed_by", "reviewed_at", "progress_done", "progress_total",
                "updated_at",
            ]
        )  # fmt: skip
        if _on_worker(job):
            _enqueue(apply_import_job, job.pk)
            return job
    _in_request(import_job_run, job.pk)
    job.refresh_from_db()
    return job


def import_batch_return(*, job: ImportJob, reviewer, note: str) -> ImportJob:
    """Send an editor's batch back whole, with the reviewer's reason (by e-mail too)."""
    if not note.strip():
        raise ValidationError(_("Say why the update is returned."))
    with transaction.atomic():
        job = ImportJob.objects.without_data().select_for_update().get(pk=job.pk)
        if job.status != ImportJobStatus.PROPOSED:
            raise ValidationError(_("This import is not waiting for review."))
        if not may_review_batch(reviewer, job):
            raise PermissionDenied
        now = timezone.now()
        job.status, job.reviewed_by, job.reviewed_at, job.review_note = (
            ImportJobStatus.RETURNED, reviewer, now, note,
        )  # fmt: skip
        job.save(
            update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "updated_at"]
        )
        ChangeRequest.objects.filter(import_job=job, status=ChangeRequestStatus.PENDING).update(
            status=ChangeRequestStatus.RETURNED, reviewed_by=reviewer, reviewed_at=now,
            review_note=note,
        )  # fmt: skip
        transaction.on_commit(lambda: _notify_returned(job))
    return job


def _notify_returned(job: ImportJob) -> None:
    owner = job.owner
    if not owner.email:
        return
    with translation.override(job.language):
        send_mail(
            subject=_("Your import %(file)s was returned") % {"file": job.filename},
            message=_(
                "%(reviewer)s returned your import with this note:\n\n%(note)s\n\n"
                "Open it in your workspace: %(url)s"
            )
            % {
                "reviewer": job.reviewed_by,
                "note": job.review_note,
                "url": reverse("workspace:import_review", args=[job.pk]),
            },
            from_email=None,
            recipient_list=[owner.email],
        )
