"""Background steps of spreadsheet imports: thin tasks that take a job's id and run one step.

The names are the ones the tasks had in ``workspace.tasks``: messages already queued, and
any worker still on the previous code, keep finding them.
"""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from .steps import (
    STOPPED_UNEXPECTEDLY,
    TOOK_TOO_LONG,
    import_job_check,
    import_job_fail,
    import_job_run,
)

IMPORT_TIME_LIMIT = getattr(settings, "IMPORT_TASK_TIME_LIMIT", 1800)


def _import_step(step, job_id: int) -> str:
    try:
        return step(job_id=job_id)
    except SoftTimeLimitExceeded:
        import_job_fail(job_id=job_id, message=TOOK_TOO_LONG)
        raise
    except Exception:
        import_job_fail(job_id=job_id, message=STOPPED_UNEXPECTEDLY)
        raise


@shared_task(
    name="workspace.tasks.check_import_job",
    acks_late=True,
    time_limit=IMPORT_TIME_LIMIT + 60,
    soft_time_limit=IMPORT_TIME_LIMIT,
)
def check_import_job(job_id: int) -> str:
    """Check an uploaded spreadsheet (a dry run) and keep its preview; safe to run twice."""
    return _import_step(import_job_check, job_id)


@shared_task(
    name="workspace.tasks.apply_import_job",
    acks_late=True,
    time_limit=IMPORT_TIME_LIMIT + 60,
    soft_time_limit=IMPORT_TIME_LIMIT,
)
def apply_import_job(job_id: int) -> str:
    """Apply a checked spreadsheet in one transaction; a finished job is left alone."""
    return _import_step(import_job_run, job_id)
