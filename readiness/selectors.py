"""Reads of scores already computed: a zone's latest readiness and its snapshots, and the
latest digests the recompute compares against. (What the rules read is in ``inputs``.)"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Case, DecimalField, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from investors.models import Firm
from zones.models import ReadinessSnapshot, Zone, counted_q
from zones.selectors import Listed, listed
from zones.vocabulary import LAND_HOLDING_FIRM_STATUSES


@dataclass(frozen=True)
class ZoneReadiness:
    """A zone's latest readiness as pages and the API show it."""

    score: Decimal
    components: dict[str, Decimal] | None
    profile_version: int | None
    computed_at: datetime.datetime | None


def zone_readiness(zone: Zone) -> ZoneReadiness | None:
    """The zone's latest readiness, or None when it was never scored.

    Reads ``latest_snapshots`` when prefetched (see
    :func:`zones.selectors.latest_snapshot_prefetch`).
    """
    snapshots = getattr(zone, "latest_snapshots", None)
    if snapshots is None:
        snapshots = list(zone.readiness_snapshots.order_by("-computed_at", "-pk")[:1])
    snapshot = snapshots[0] if snapshots else None
    if snapshot is None and zone.readiness_score is None:
        return None
    if snapshot is None:
        return ZoneReadiness(zone.readiness_score, None, None, zone.readiness_computed_at)
    return ZoneReadiness(
        score=zone.readiness_score if zone.readiness_score is not None else snapshot.score,
        components={
            "utilities": snapshot.utilities,
            "land": snapshot.land,
            "milestones": snapshot.milestones,
            "occupancy": snapshot.occupancy,
        },
        profile_version=snapshot.profile_version,
        computed_at=zone.readiness_computed_at or snapshot.computed_at,
    )


def zone_largest_holdings(
    *, zone: Zone, include_illustrative: bool = False, limit: int
) -> Listed[Firm]:
    """The firms behind ``zone``'s occupancy as its readiness panel lists them: those that
    count (real and holding land) first, the largest holdings first (no acres recorded
    counts as none), then by name; the first ``limit`` and how many there are in all (real
    ones only unless ``include_illustrative``). One query."""
    counts = Q(status__in=LAND_HOLDING_FIRM_STATUSES, is_illustrative=False)
    acres = DecimalField(max_digits=10, decimal_places=2)
    firms = Firm.objects.filter(
        counted_q(include_illustrative=include_illustrative), zone=zone
    ).order_by(
        Case(When(counts, then=Value(0)), default=Value(1), output_field=IntegerField()),
        Coalesce("allotted_acres", Value(0), output_field=acres).desc(),
        "name",
        "pk",
    )
    return listed(firms, limit=limit)


def zone_readiness_snapshots(*, zone: Zone, limit: int = 20) -> list[ReadinessSnapshot]:
    """The zone's latest ``limit`` readiness snapshots, newest first (one query).

    Not to be confused with ``dashboards.selectors.readiness_history``, the mean score of
    many zones over time."""
    return list(zone.readiness_snapshots.order_by("-computed_at", "-pk")[:limit])


@dataclass(frozen=True)
class LatestSnapshot:
    """What the recompute needs of a zone's latest snapshot."""

    id: int
    inputs_digest: str
    score: Decimal
    computed_at: datetime.datetime


def readiness_latest_digests(
    *, zone_ids: Collection[int] | None = None
) -> dict[int, LatestSnapshot]:
    """Each scored zone's latest snapshot (id, digest, score, time), by zone id, in one query.

    One index lookup per zone, however long the zones' histories grow.
    """
    quote = connection.ops.quote_name
    zone, snapshot = Zone._meta, ReadinessSnapshot._meta
    zone_id = quote(snapshot.get_field("zone").column)
    sql = (
        f"SELECT latest.{zone_id}, latest.id, latest.inputs_digest, latest.score, "  # noqa: S608
        "latest.computed_at "
        f"FROM {quote(zone.db_table)} AS zone CROSS JOIN LATERAL ("
        f"SELECT {quote(snapshot.pk.column)} AS id, {zone_id}, "
        f"{quote(snapshot.get_field('inputs_digest').column)} AS inputs_digest, "
        f"{quote(snapshot.get_field('score').column)} AS score, "
        f"{quote(snapshot.get_field('computed_at').column)} AS computed_at "
        f"FROM {quote(snapshot.db_table)} WHERE {zone_id} = zone.{quote(zone.pk.column)} "
        "ORDER BY computed_at DESC, id DESC LIMIT 1) AS latest"
    )
    params = []
    if zone_ids is not None:
        sql += f" WHERE zone.{quote(zone.pk.column)} = ANY(%s)"
        params.append(list(zone_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: LatestSnapshot(*row[1:]) for row in cursor.fetchall()}
