"""Reads about the aggregate tables themselves (when they were brought up to date), and the
sums their readers share."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Sum

from .models import AggregateRun, PendingZone


@dataclass(frozen=True)
class Freshness:
    """When the aggregates were last written (None: never), and how many zones' latest
    edits are still to be counted."""

    brought_up_to_date: datetime.datetime | None
    pending_zones: int


def freshness() -> Freshness:
    """One query: the latest run's end (an index lookup), and the zones pending."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT max(finished_at) FROM {AggregateRun._meta.db_table}), "  # noqa: S608
            f"(SELECT count(*) FROM {PendingZone._meta.db_table})"
        )
        latest, pending = cursor.fetchone()
    return Freshness(brought_up_to_date=latest, pending_zones=pending)


def firm_headline_sums() -> dict[str, Sum]:
    """The firm tallies' headline sums (jobs, investment, exports) and, for each, how many
    firms reported it (``*_n``), named as the dashboards and the delivery page read them."""
    return {
        "jobs": Sum("jobs"),
        "jobs_n": Sum("jobs_reported"),
        "investment": Sum("investment_usd"),
        "investment_n": Sum("investment_reported"),
        "exports": Sum("exports_usd"),
        "exports_n": Sum("exports_reported"),
    }
