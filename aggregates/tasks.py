"""Background jobs for the aggregate tables. Thin: each calls one service and is safe to
rerun (a refresh finds nothing pending; a rebuild rewrites the same rows)."""

from __future__ import annotations

from celery import shared_task
from celery.utils.log import get_task_logger
from django.db import InterfaceError, OperationalError

from . import services

logger = get_task_logger(__name__)

_RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="aggregates.refresh", soft_time_limit=300, time_limit=330, **_RETRY)
def refresh_aggregates(zone_ids: list[int] | None = None) -> dict:
    """Rewrite the pending zones' tally rows (all pending zones when ``zone_ids`` is None:
    the periodic sweep)."""
    summary = services.aggregates_refresh(zone_ids=zone_ids)
    if summary.zones:
        logger.info("Aggregates refreshed for %d zones in %.3f s", summary.zones, summary.seconds)
    return {"zones": summary.zones, "seconds": summary.seconds}


@shared_task(name="aggregates.rebuild", soft_time_limit=1800, time_limit=1860, **_RETRY)
def rebuild_aggregates() -> dict:
    """The nightly rebuild of every tally row; logs any drift it corrected."""
    summary = services.aggregates_rebuild()
    return {"zones": summary.zones, "seconds": summary.seconds, "drift": summary.drift}
