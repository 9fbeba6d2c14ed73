"""Background jobs of the editing workspace."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from . import alerts, imports


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def send_overdue_digests() -> int:
    """Daily: every responsible editor and reviewer gets one e-mail listing overdue milestones."""
    return alerts.overdue_digests_send()


IMPORT_TIME_LIMIT = getattr(settings, "IMPORT_TASK_TIME_LIMIT", 1800)


def _import_step(step, job_id: int) -> str:
    try:
        return step(job_id=job_id)
    except SoftTimeLimitExceeded:
        imports.import_job_fail(job_id=job_id, message=imports.TOOK_TOO_LONG)
        raise
    except Exception:
        imports.import_job_fail(job_id=job_id, message=imports.STOPPED_UNEXPECTEDLY)
        raise


@shared_task(acks_late=True, time_limit=IMPORT_TIME_LIMIT + 60, soft_time_limit=IMPORT_TIME_LIMIT)
def check_import_job(job_id: int) -> str:
    """Check an uploaded spreadsheet (a dry run) and keep its preview; safe to run twice."""
    return _import_step(imports.import_job_check, job_id)


@shared_task(acks_late=True, time_limit=IMPORT_TIME_LIMIT + 60, soft_time_limit=IMPORT_TIME_LIMIT)
def apply_import_job(job_id: int) -> str:
    """Apply a checked spreadsheet in one transaction; a finished job is left alone."""
    return _import_step(imports.import_job_run, job_id)
