"""An import job's progress: written while the import runs, read back by the job's page.

The importer runs in one transaction, so progress written on the same connection would
stay invisible until the end. :class:`ProgressWriter` writes it on a second connection of
its own, committed at once.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import ImportJob, ImportJobStatus


def stalled_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=getattr(settings, "IMPORT_STALLED_AFTER", 1920))


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
    if job.status == ImportJobStatus.CHECKING and total:
        checked = min(done, rows)
        message = ngettext(
            "Checked %(done)s of %(total)s row.", "Checked %(done)s of %(total)s rows.", rows
        ) % {"done": checked, "total": rows}
    elif job.status == ImportJobStatus.RUNNING and total and done <= rows:
        message = ngettext(
            "Step 1 of 2, checking again: %(done)s of %(total)s row.",
            "Step 1 of 2, checking again: %(done)s of %(total)s rows.",
            rows,
        ) % {"done": done, "total": rows}
    elif job.status == ImportJobStatus.RUNNING and total:
        message = ngettext(
            "Step 2 of 2, writing: %(done)s of %(total)s row.",
            "Step 2 of 2, writing: %(done)s of %(total)s rows.",
            rows,
        ) % {"done": done - rows, "total": rows}
    elif job.status in (ImportJobStatus.CHECKING, ImportJobStatus.RUNNING):
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


def is_stalled(job: ImportJob) -> bool:
    """Waiting or running, with no sign of life for longer than the task's time limit."""
    return job.is_waiting and timezone.now() - job.updated_at > stalled_after()
