"""The two steps of an import job, checking (a dry run) and applying, each run once.

A step is the whole body of its task (:mod:`.tasks`), and runs in the request for a small
file (:mod:`.services`). It holds the job's PostgreSQL advisory lock for its transaction,
so two workers never run one job at once. The job's final status is written in the
import's own transaction: a job reads ``applied`` exactly when its rows are in the
database, which makes a crashed or repeated task safe to run (again).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from accounts.roles import fields_refused_to, is_administrator
from zones.history import recorded_as, sees_internal
from zones.importer import BundleError, ImportReport, PlannedRow, RowError, import_bundle

from ..models import ImportJob, ImportJobStatus
from . import batches
from .plan import changed_rows, differences, plan_digest
from .progress import ProgressWriter
from .reading import read_upload
from .report import report_json
from .selectors import importable_zone_slugs

ERRORS_KEPT = 2000  # errors stored and shown; the total is always counted
ADVISORY_LOCK_CLASS = 0x5E21  # first key of the job's PostgreSQL advisory lock
STOPPED_UNEXPECTEDLY = gettext_lazy(
    "The import stopped on an unexpected error; nothing was written."
)
TOOK_TOO_LONG = gettext_lazy("The import took too long and was stopped; nothing was written.")


def refuse(job: ImportJob, errors: list[RowError]) -> None:
    """Mark ``job`` (not saved) as refused with ``errors``: the first ``ERRORS_KEPT`` and
    their total."""
    job.status = ImportJobStatus.FAILED
    job.errors = [str(error) for error in errors[:ERRORS_KEPT]]
    job.errors_total = len(errors)


def zone_scope(user) -> Callable[[str], bool] | None:
    """The importer's ``zone_allowed``: None (everything, new zones too) for administrators,
    else membership of the zones the user edits now. Checked at every run, not at upload."""
    slugs = importable_zone_slugs(user=user)
    return None if slugs is None else slugs.__contains__


def _acquire(job_id: int) -> bool:
    """Take the job's advisory lock for this transaction; False when another worker has it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_CLASS, job_id])
        return cursor.fetchone()[0]


def applies_at_once(job: ImportJob) -> bool:
    """An administrator's import applies after its preview; an editor's becomes a batch of
    change requests, applied once a reviewer approves it (``reviewed_by`` set)."""
    return is_administrator(job.owner) or job.reviewed_by_id is not None


def _same_as_preview(job: ImportJob):
    """The importer's ``before_apply``: refuse a plan that differs from the preview."""

    def check(rows: list[PlannedRow]) -> None:
        if job.digest and plan_digest(rows) != job.digest:
            internal = sees_internal(job.owner)
            raise BundleError(differences(job.plan or [], rows, internal=internal))

    return check


def _import(job: ImportJob, *, dry_run: bool, progress) -> ImportReport:
    sheets = read_upload(filename=job.filename, data=bytes(job.data))
    job.rows_total = sum(len(sheet.rows) for sheet in sheets)  # unknown until read, when large
    if progress is not None:
        progress.update(rows_total=job.rows_total)
    owner = job.owner
    return import_bundle(
        sheets,
        dry_run=dry_run,
        zone_allowed=zone_scope(owner),
        progress=progress,
        refused_fields=lambda model: fields_refused_to(owner, model._meta.label),
        before_apply=_same_as_preview(job),
    )


def _check(job: ImportJob, progress) -> None:
    report = _import(job, dry_run=True, progress=progress)
    job.status, job.preview = ImportJobStatus.PREVIEWED, report_json(report)
    job.digest, job.plan = plan_digest(report.rows), changed_rows(report.rows)


def _run(job: ImportJob, progress) -> None:
    """Apply the job (an administrator's, or an approved batch), or make an editor's
    preview into a batch of change requests; refused when the plan differs from the
    preview. History records name the administrator, or the reviewer who approved."""
    if not applies_at_once(job):
        report = _import(job, dry_run=True, progress=progress)
        batches.batch_propose(job=job, rows=report.rows)
        job.status = ImportJobStatus.PROPOSED
        return
    with recorded_as(job.reviewed_by or job.owner):
        report = _import(job, dry_run=False, progress=progress)
    if job.reviewed_by_id is not None:
        batches.batch_applied(job=job, rows=report.rows)
    job.status, job.report = ImportJobStatus.APPLIED, report_json(report)
    job.applied_at = timezone.now()


def _run_step(
    job_id: int,
    *,
    start: ImportJobStatus,
    running: ImportJobStatus,
    track_progress: bool,
    dry_run: bool,
) -> str:
    """Check (dry run) or apply a job once, under its advisory lock; the task's whole body."""
    with transaction.atomic():
        if not _acquire(job_id):
            return "busy"
        job = ImportJob.objects.select_related("owner").filter(pk=job_id).first()
        if job is None or job.status not in (start, running):
            return job.status if job else "missing"
        writer = ProgressWriter(job_id) if track_progress else None
        try:
            if writer:
                writer.update(status=running, progress_done=0, progress_total=0)
            with translation.override(job.language):
                try:
                    with transaction.atomic():  # a refused batch leaves nothing behind
                        (_check if dry_run else _run)(job, writer)
                except BundleError as exc:
                    refuse(job, exc.errors)
                    if job.reviewed_by_id is not None:
                        batches.batch_refused(job=job)
        finally:
            if writer:
                writer.close()
        job.save(
            update_fields=[
                "status", "preview", "report", "applied_at", "errors", "errors_total",
                "rows_total", "digest", "plan", "updated_at",
            ]
        )  # fmt: skip
        return job.status


def import_job_check(*, job_id: int, track_progress: bool = True) -> str:
    """Dry-run an uploaded job and keep the preview (or every error); returns the status.

    Running it again is harmless: a job already checked is left alone, and a job's lock
    keeps two workers from checking it at once.
    """
    return _run_step(
        job_id,
        start=ImportJobStatus.UPLOADED,
        running=ImportJobStatus.CHECKING,
        track_progress=track_progress,
        dry_run=True,
    )


def import_job_run(*, job_id: int, track_progress: bool = True) -> str:
    """Apply a queued job in one transaction, with its ``applied`` status; returns the status.

    Rows and status commit together, so after a crash the job still reads as queued or
    running and nothing of it is written; running it again applies it once. A job already
    applied or refused is left alone.
    """
    return _run_step(
        job_id,
        start=ImportJobStatus.QUEUED,
        running=ImportJobStatus.RUNNING,
        track_progress=track_progress,
        dry_run=False,
    )


def import_job_fail(*, job_id: int, message: str) -> None:
    """Mark a job that stopped (time limit, unexpected error) as refused, if still waiting.

    ``message`` may be lazy: it is translated into the uploader's language.
    """
    job = ImportJob.objects.without_data().filter(pk=job_id, status__in=ImportJob.WAITING).first()
    if job is not None:
        with translation.override(job.language):
            refuse(job, [RowError(job.filename, 0, "-", str(message))])
        job.save(update_fields=["status", "errors", "errors_total", "updated_at"])
