"""Background jobs for the zone records. Thin: each calls one service and is safe to rerun.

(The readiness recompute, ``zones.recompute_readiness``, is in :mod:`readiness.tasks`.)
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services


@shared_task(
    name="zones.reconcile_allotments",
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    max_retries=8,
    soft_time_limit=600,
    time_limit=660,
)
def reconcile_allotments() -> list[int]:
    """The nightly check of the allotted acres the database keeps per zone; see the service.

    The zones it corrects are flagged for a readiness recompute in the same transaction
    (``zones.events.allotments_corrected``, which the readiness app listens to).
    """
    return services.reconcile_allotments()
