"""Background jobs of reviewing: the daily overdue digest.

The task keeps the name it had in ``workspace.tasks``, which the beat schedule
(``config.settings``) names.
"""

from celery import shared_task

from .alerts import overdue_digests_send


@shared_task(
    name="workspace.tasks.send_overdue_digests", acks_late=True, time_limit=600, soft_time_limit=540
)
def send_overdue_digests() -> int:
    """Daily: every responsible editor and reviewer gets one e-mail listing overdue milestones."""
    return overdue_digests_send()
