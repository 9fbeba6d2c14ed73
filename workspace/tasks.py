"""Background jobs of the editing workspace."""

from celery import shared_task

from . import alerts


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def send_overdue_digests() -> int:
    """Daily: every responsible editor and reviewer gets one e-mail listing overdue milestones."""
    return alerts.overdue_digests_send()
