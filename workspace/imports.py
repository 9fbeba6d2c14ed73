"""Spreadsheet imports in the workspace: reads and writes of :class:`~workspace.models.ImportJob`.

An upload is checked by the bundle importer (:mod:`zones.importer`) in a dry run, shown as a
preview, and applied on request: the same validation, the same ``sheet:line: column:
message`` errors and the same all-or-nothing transaction as ``manage.py import_zones``.
Bundles of up to ``IMPORT_SYNC_MAX_ROWS`` rows are checked and applied in the request;
larger ones by a Celery task (queued on commit) that reports its progress as it goes.

The importer runs in one transaction, so progress written on the same connection would
stay invisible until the end. :class:`ProgressWriter` writes it on a second connection of
its own, committed at once. The job's final status is written in the import's own
transaction: a job reads ``applied`` exactly when its rows are in the database, which makes
a crashed or repeated task safe to run (again).
"""

from __future__ import annotations

import datetime
import io
import logging
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.roles import Role, editable_zones_q, is_administrator, roles_of
from zones.importer import (
    SHEET_ORDER,
    SPECS,
    BundleError,
    ImportReport,
    PlannedRow,
    RowError,
    Sheet,
    import_bundle,
    read_csv,
    read_xlsx,
)
from zones.models import Zone

from .models import ImportJob, ImportJobStatus

logger = logging.getLogger(__name__)
Status = ImportJobStatus
UPLOAD_SUFFIXES = (".csv", ".xlsx", ".zip")
PREVIEW_ROWS = 500  # created or updated rows listed on a preview or report page
ERRORS_KEPT = 2000  # errors stored and shown; the total is always counted
ADVISORY_LOCK_CLASS = 0x5E21  # first key of the job's PostgreSQL advisory lock
STOPPED_UNEXPECTEDLY = gettext_lazy(
    "The import stopped on an unexpected error; nothing was written."
)
QUEUE_UNREACHABLE = gettext_lazy(
    "The import could not be handed to a background worker; nothing was written. "
    "Please upload the file again later."
)
TOOK_TOO_LONG = gettext_lazy("The import took too long and was stopped; nothing was written.")


def max_upload_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)


def sync_max_rows() -> int:
    return getattr(settings, "IMPORT_SYNC_MAX_ROWS", 500)


def stalled_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "IMPORT_STALLED_AFTER", 1920))


# --- Who may import what ------------------------------------------------------------------


def can_import(user) -> bool:
    """Administrators and zone editors may upload spreadsheets."""
    return bool(roles_of(user) & {Role.EDITOR, Role.ADMINISTRATOR})


def zone_scope(user) -> Callable[[str], bool] | None:
    """The importer's ``zone_allowed``: None (everything, new zones too) for administrators,
    else membership of the zones the user edits now. Checked at every run, not at upload."""
    if is_administrator(user):
        return None
    slugs = frozenset(Zone.objects.filter(editable_zones_q(user)).values_list("slug", flat=True))
    return slugs.__contains__


# --- Reading an upload ----------------------------------------------------------------------


def _file_error(name: str, message: str) -> BundleError:
    return BundleError([RowError(name, 0, "-", message)])


def read_upload(*, filename: str, data: bytes) -> list[Sheet]:
    """Read an uploaded ``<sheet>.csv``, ``.xlsx`` workbook or ``.zip`` of CSV files.

    Raises :class:`BundleError` for a file the importer cannot read.
    """
    path = PurePosixPath(filename)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        sheet = path.stem.lower()
        if sheet not in SHEET_ORDER:
            raise _file_error(
                path.name,
                _("Name a CSV file after its sheet: %s.")
                % ", ".join(f"{name}.csv" for name in SHEET_ORDER),
            )
        return [read_csv(sheet, data)]
    if suffix == ".xlsx":
        return read_xlsx(io.BytesIO(data))
    if suffix == ".zip":
        return _read_zip(path.name, data)
    raise _file_error(path.name, _("Upload a .csv, .xlsx or .zip file."))


def _read_zip(name: str, data: bytes) -> list[Sheet]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise _file_error(name, _("Not a readable .zip archive.")) from exc
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not info.filename.startswith("__MACOSX/")
            and not PurePosixPath(info.filename).name.startswith(".")
        ]
        if sum(info.file_size for info in members) > 5 * max_upload_bytes():
            raise _file_error(name, _("The archive is too large once unpacked."))
        errors, found = [], {}
        for info in members:
            member = PurePosixPath(info.filename)
            sheet = member.stem.lower()
            if member.suffix.lower() != ".csv" or sheet not in SHEET_ORDER:
                errors.append(
                    RowError(
                        member.name,
                        0,
                        "-",
                        _("Unexpected file in the archive; expected files such as zones.csv."),
                    )
                )
            elif sheet in found:
                errors.append(RowError(member.name, 0, "-", _("The sheet appears twice.")))
            else:
                found[sheet] = info
        if not found and not errors:
            errors.append(
                RowError(name, 0, "-", _("No sheet found: expected files such as zones.csv."))
            )
        if errors:
            raise BundleError(errors)
        return [
            read_csv(sheet, archive.read(found[sheet])) for sheet in SHEET_ORDER if sheet in found
        ]


# --- Reports as stored JSON -------------------------------------------------------------------


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(_display(item) for item in value)
    return str(value)


def _row_json(row: PlannedRow) -> dict[str, Any]:
    spec = SPECS[row.sheet]
    return {
        "sheet": row.sheet,
        "line": row.line,
        "key": " · ".join(_display(part) for part in row.key if part != ""),  # no milestone
        "action": row.action,
        "changes": [
            {"column": column, "value": _display(row.values.get(spec.attribute(column)))}
            for column in row.changed
        ],
    }


def report_json(report: ImportReport) -> dict[str, Any]:
    """Counts per sheet, and the created and updated rows (the first ``PREVIEW_ROWS``)."""
    listed = [row for row in report.rows if row.action != "unchanged"]
    return {
        "counts": [{"sheet": sheet, **vars(counts)} for sheet, counts in report.counts.items()],
        "rows": [_row_json(row) for row in listed[:PREVIEW_ROWS]],
        "rows_listed": min(len(listed), PREVIEW_ROWS),
        "rows_changed": len(listed),
    }


# --- Progress ---------------------------------------------------------------------------------


class ProgressWriter:
    """Writes a job's progress and status on a connection of its own, committed at once, so
    the page sees them while the import's transaction is still open. Call it as the
    importer's ``progress`` callback; close it when done."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def close(self) -> None:
        self.connection.close()

    def update(self, **values: Any) -> None:
        meta = ImportJob._meta
        quote = self.connection.ops.quote_name
        values["updated_at"] = timezone.now()
        assignments = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in values)
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE id = %s",  # noqa: S608
                [*values.values(), self.job_id],
            )

    def __call__(self, done: int, total: int) -> None:
        self.update(progress_done=done, progress_total=total)


def progress_of(job: ImportJob) -> dict[str, Any]:
    """What the page shows while a job waits or runs (and the JSON the page polls)."""
    rows = job.rows_total
    done, total = job.progress_done, job.progress_total
    if job.status == Status.CHECKING and total:
        checked = min(done, rows)
        message = ngettext(
            "Checked %(done)s of %(total)s row.", "Checked %(done)s of %(total)s rows.", rows
        ) % {"done": checked, "total": rows}
    elif job.status == Status.RUNNING and total and done <= rows:
        message = ngettext(
            "Step 1 of 2, checking again: %(done)s of %(total)s row.",
            "Step 1 of 2, checking again: %(done)s of %(total)s rows.",
            rows,
        ) % {"done": done, "total": rows}
    elif job.status == Status.RUNNING and total:
        message = ngettext(
            "Step 2 of 2, writing: %(done)s of %(total)s row.",
            "Step 2 of 2, writing: %(done)s of %(total)s rows.",
            rows,
        ) % {"done": done - rows, "total": rows}
    elif job.status in (Status.CHECKING, Status.RUNNING):
        message = _("Reading the file…")
    elif job.is_waiting:
        message = _("Waiting for a worker to start…")
    else:
        message = job.get_status_display()
    if not job.is_waiting:
        done = total = max(total, 1)
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": not job.is_waiting,
        "done": done,
        "total": total,
        "message": message,
    }


# --- Selectors --------------------------------------------------------------------------------


def import_jobs_visible_to(*, user) -> QuerySet[ImportJob]:
    """An owner sees their imports; administrators see everyone's. Without the file bytes."""
    jobs = ImportJob.objects.without_data().select_related("owner")
    return jobs if is_administrator(user) else jobs.filter(owner=user)


def import_jobs_recent(*, user, limit: int = 10) -> list[ImportJob]:
    return list(ImportJob.objects.without_data().filter(owner=user)[:limit])


def importable_zone_names(*, user) -> list[str] | None:
    """Names of the zones the user may import rows for; None means every zone."""
    if is_administrator(user):
        return None
    zones = Zone.objects.filter(editable_zones_q(user)).order_by("name")
    return list(zones.values_list("name", flat=True))


def is_stalled(job: ImportJob) -> bool:
    """Waiting or running, with no sign of life for longer than the task's time limit."""
    return job.is_waiting and timezone.now() - job.updated_at > stalled_after()


# --- Services ---------------------------------------------------------------------------------


def _refuse(job: ImportJob, errors: list[RowError]) -> None:
    job.status = Status.FAILED
    job.errors = [str(error) for error in errors[:ERRORS_KEPT]]
    job.errors_total = len(errors)


def _enqueue(task_name: str, job_id: int) -> None:
    """Send the job's task once the job is committed; refuse the job if no broker answers."""
    from . import tasks

    def send() -> None:
        try:
            getattr(tasks, task_name).delay(job_id)
        except Exception:
            logger.exception("Could not queue import job %s", job_id)
            import_job_fail(job_id=job_id, message=QUEUE_UNREACHABLE)

    transaction.on_commit(send)


def import_job_create(*, owner, filename: str, data: bytes, language: str) -> ImportJob:
    """Store an upload and check it: in this request when it is small, else in a task.

    A file that cannot be read, or that is over the size limit, is stored as refused,
    with the reason, so its page explains what went wrong.
    """
    if not can_import(owner):
        raise PermissionDenied
    job = ImportJob(
        owner=owner, filename=PurePosixPath(filename).name[:255], data=data, size=len(data)
    )
    job.language = language
    with translation.override(language):
        try:
            if len(data) > max_upload_bytes():
                raise _file_error(job.filename, _("The file is larger than the upload limit."))
            sheets = read_upload(filename=job.filename, data=data)
        except BundleError as exc:
            _refuse(job, exc.errors)
            job.save()
            return job
    job.rows_total = sum(len(sheet.rows) for sheet in sheets)
    with transaction.atomic():
        job.save()
        if job.rows_total > sync_max_rows():
            _enqueue("check_import_job", job.pk)
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


def _acquire(job_id: int) -> bool:
    """Take the job's advisory lock for this transaction; False when another worker has it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [ADVISORY_LOCK_CLASS, job_id])
        return cursor.fetchone()[0]


def _import(job: ImportJob, *, dry_run: bool, progress) -> ImportReport:
    sheets = read_upload(filename=job.filename, data=bytes(job.data))
    return import_bundle(
        sheets, dry_run=dry_run, zone_allowed=zone_scope(job.owner), progress=progress
    )


def _run_step(
    job_id: int, *, start: Status, running: Status, track_progress: bool, dry_run: bool
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
                    report = _import(job, dry_run=dry_run, progress=writer)
                except BundleError as exc:
                    _refuse(job, exc.errors)
                else:
                    if dry_run:
                        job.status, job.preview = Status.PREVIEWED, report_json(report)
                    else:
                        job.status, job.report = Status.APPLIED, report_json(report)
                        job.applied_at = timezone.now()
        finally:
            if writer:
                writer.close()
        job.save(
            update_fields=[
                "status", "preview", "report", "applied_at", "errors", "errors_total", "updated_at",
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
        start=Status.UPLOADED,
        running=Status.CHECKING,
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
        start=Status.QUEUED,
        running=Status.RUNNING,
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
            _refuse(job, [RowError(job.filename, 0, "-", str(message))])
        job.save(update_fields=["status", "errors", "errors_total", "updated_at"])


def import_job_apply(*, job: ImportJob, user) -> ImportJob:
    """Apply a checked job for its owner: in this request when small, else queue a task.

    Raises ``ValidationError`` when the job is not waiting to be applied (already applied,
    refused, or queued by a second click).
    """
    if job.owner_id != user.pk or not can_import(user):
        raise PermissionDenied
    with transaction.atomic():
        job = ImportJob.objects.without_data().select_for_update().get(pk=job.pk)
        if job.status != Status.PREVIEWED:
            raise ValidationError(_("This import is not waiting to be applied."))
        job.status = Status.QUEUED
        job.progress_done = job.progress_total = 0
        job.save(update_fields=["status", "progress_done", "progress_total", "updated_at"])
        if job.rows_total > sync_max_rows():
            _enqueue("apply_import_job", job.pk)
            return job
    _in_request(import_job_run, job.pk)
    job.refresh_from_db()
    return job


def import_job_retry(*, job: ImportJob, user) -> ImportJob:
    """Queue again a job whose worker stopped before finishing (see :func:`is_stalled`)."""
    if job.owner_id != user.pk or not can_import(user):
        raise PermissionDenied
    with transaction.atomic():
        job = ImportJob.objects.without_data().select_for_update().get(pk=job.pk)
        if not is_stalled(job):
            raise ValidationError(_("This import is not stalled."))
        checking = job.status in (Status.UPLOADED, Status.CHECKING)
        job.status = Status.UPLOADED if checking else Status.QUEUED
        job.progress_done = job.progress_total = 0
        job.save(update_fields=["status", "progress_done", "progress_total", "updated_at"])
        _enqueue("check_import_job" if checking else "apply_import_job", job.pk)
    return job
