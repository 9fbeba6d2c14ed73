"""Background jobs for readiness. Thin: each takes ids, calls one service, and is safe to rerun.

The task keeps the name it had when it lived in the zones app (``zones.recompute_readiness``):
beat schedules and queued messages name it so.
"""

from __future__ import annotations

from celery import shared_task
from celery.utils.log import get_task_logger
from django.db import InterfaceError, OperationalError

from . import services

logger = get_task_logger(__name__)


@shared_task(
    name="zones.recompute_readiness",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
    soft_time_limit=600,
    time_limit=660,
)
def recompute_readiness(zone_ids: list[int] | None = None, only_stale: bool = False) -> dict:
    """Recompute readiness for ``zone_ids`` (every zone when None); see the service.

    The work is one transaction, so a worker killed half-way leaves nothing behind and the
    redelivered task does it all again; unchanged inputs write no second snapshot. Zones
    skipped because an edit holds them are rescored by that edit's own task once it
    commits, or by the sweep of flagged zones.
    """
    summary = services.readiness_recompute(zone_ids=zone_ids, only_stale=only_stale)
    logger.info("Readiness recompute: %s", summary.as_dict())
    return summary.as_dict()
