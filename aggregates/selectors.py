"""Reads about the aggregate tables themselves: when they were brought up to date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .models import AggregateRun, PendingZone


@dataclass(frozen=True)
class Freshness:
    """When the aggregates were last written (None: never), and how many zones' latest
    edits are still to be counted."""

    brought_up_to_date: datetime.datetime | None
    pending_zones: int


def freshness() -> Freshness:
    """Two small queries: the latest run, and the pending zones."""
    latest = AggregateRun.objects.order_by("-finished_at").values_list("finished_at", flat=True)
    return Freshness(
        brought_up_to_date=latest.first(),
        pending_zones=PendingZone.objects.count(),
    )
