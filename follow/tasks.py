"""Background jobs of follow and reuse. Thin: each calls one service and is safe to rerun."""

from __future__ import annotations

from celery import shared_task
from celery.utils.log import get_task_logger

from . import alerts, services

logger = get_task_logger(__name__)


@shared_task(name="follow.build_data_package", soft_time_limit=1200, time_limit=1260)
def build_data_package() -> dict:
    """Build today's open data package, then prune packages past their keeping days."""
    package = services.data_package_build()
    deleted = services.data_packages_prune()
    logger.info("Open data package %s (%s bytes); pruned %s", package.name, package.size, deleted)
    return {"name": package.name, "size": package.size, "deleted": deleted}


@shared_task(name="follow.send_alert_digests", soft_time_limit=1800, time_limit=1860)
def send_alert_digests(frequency: str) -> int:
    """Send the due daily or weekly digests of the e-mail alerts."""
    return alerts.alert_digests_send(frequency=frequency)
