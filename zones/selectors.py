"""Reads: every query the pages and the API need about zones lives here."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    DecimalField,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from accounts import roles
from investors.models import Firm
from zones.vocabulary import (
    CORE_UTILITY_KINDS,
    FirmStatus,
    MilestoneStatus,
    OriginGroup,
    UtilityKind,
    UtilityStatus,
)

from . import scoring
from .models import (
    LandDispute,
    Milestone,
    ReadinessSnapshot,
    ScoringProfile,
    UtilityConnection,
    Zone,
    ZoneAllotment,
)
from .vocabulary import OPEN_DISPUTE_STATUSES


def sees_internal_fields(user) -> bool:
    """Officials, reviewers and administrators see unpublished zones and internal fields
    (notes, dispute parties); see accounts.roles."""
    return roles.sees_everything(user)


def zones_visible_to(user) -> QuerySet[Zone]:
    """Officials, reviewers and administrators see every zone; editors also the zones they
    edit; the public and investors see published zones only."""
    zones = Zone.objects.all()
    if roles.sees_everything(user):
        return zones
    return zones.filter(Q(published=True) | roles.editable_zones_q(user))


# --- Listing: the finder, the API and the exports ---------------------------------------------

FREE_LAND = "free_land_acres"


def with_free_land(zones: QuerySet[Zone]) -> QuerySet[Zone]:
    """Annotate ``free_land_acres``: area minus the acres allotted to firms that hold land,
    as the database keeps them in :class:`~zones.models.ZoneAllotment` (one join).

    Null when the zone's area is unknown. Applying it twice is harmless.
    """
    if FREE_LAND in zones.query.annotations:
        return zones
    acres = DecimalField(max_digits=14, decimal_places=2)
    return zones.annotate(
        **{
            FREE_LAND: F("area_acres")
            - Coalesce(F("allotment__allotted_acres"), Value(Decimal(0)), output_field=acres)
        }
    )


def attach_free_land(zones: Iterable[Zone]) -> list[Zone]:
    """Give each zone of a page its ``free_land_acres`` (one query by primary key).

    Zones already annotated by :func:`with_free_land` are left as they are; this keeps a
    listing from joining the allotments of every zone when it shows only a page of them.
    """
    zones = list(zones)
    missing = [zone for zone in zones if not hasattr(zone, FREE_LAND)]
    if not missing:
        return zones
    allotted = dict(
        ZoneAllotment.objects.filter(zone__in=[zone.pk for zone in missing]).values_list(
            "zone", "allotted_acres"
        )
    )
    for zone in missing:
        free = None
        if zone.area_acres is not None:
            free = zone.area_acres - allotted.get(zone.pk, Decimal(0))
        setattr(zone, FREE_LAND, free)
    return zones


def latest_snapshot_prefetch() -> Prefetch:
    """Prefetch each zone's latest readiness snapshot into ``latest_snapshots`` (one query)."""
    return Prefetch(
        "readiness_snapshots",
        queryset=ReadinessSnapshot.objects.order_by("zone_id", "-computed_at", "-pk").distinct(
            "zone_id"
        ),
        to_attr="latest_snapshots",
    )


def zones_for_listing(*, user) -> QuerySet[Zone]:
    """The zones ``user`` may see, with what a list row shows, in a fixed number of queries.

    Rows carry their province, sectors, ``connected_utilities`` and ``latest_snapshots``.
    Narrow it with ``zones.filtersets.ZoneFilterSet``; give the rows shown their free land
    with :func:`attach_free_land` (or annotate every row with :func:`with_free_land`).
    """
    return (
        zones_visible_to(user)
        .defer("description", "internal_notes")
        .select_related("province")
        .prefetch_related(
            "sectors",
            Prefetch(
                "utilities",
                queryset=UtilityConnection.objects.filter(status=UtilityStatus.CONNECTED).order_by(
                    "kind"
                ),
                to_attr="connected_utilities",
            ),
            latest_snapshot_prefetch(),
        )
        .order_by("name", "pk")
    )


@dataclass(frozen=True)
class ZoneReadiness:
    """A zone's latest readiness as pages and the API show it."""

    score: Decimal
    components: dict[str, Decimal] | None
    profile_version: int | None
    computed_at: datetime.datetime | None


def zone_readiness(zone: Zone) -> ZoneReadiness | None:
    """The zone's latest readiness, or None when it was never scored.

    Reads ``latest_snapshots`` when prefetched (see :func:`latest_snapshot_prefetch`).
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


def zones_for_detail(*, user) -> QuerySet[Zone]:
    """Zones with everything a zone page or API detail shows, in a fixed number of queries."""
    return (
        with_free_land(zones_visible_to(user))
        .select_related("province")
        .prefetch_related(
            "sectors",
            "utilities",
            "disputes",
            "milestones",
            "targets",
            Prefetch("firms", queryset=Firm.objects.select_related("sector")),
            latest_snapshot_prefetch(),
        )
    )


def zone_for_page(*, slug: str, user) -> Zone:
    """One zone with everything its page shows, in a fixed number of queries."""
    return zones_for_detail(user=user).get(slug=slug)


def utilities_by_kind(zone: Zone) -> list[tuple[str, str, UtilityConnection | None]]:
    """Every utility kind, core kinds first, with the zone's record or None (prefetched)."""
    records = {utility.kind: utility for utility in zone.utilities.all()}
    kinds = sorted(UtilityKind, key=lambda k: k not in CORE_UTILITY_KINDS)
    return [(kind.value, kind.label, records.get(kind.value)) for kind in kinds]


@dataclass(frozen=True)
class FirmBreakdown:
    """Firms counted by origin group (rows) and status (columns)."""

    statuses: list[tuple[str, str]]
    rows: list[tuple[str, list[int], int]]
    totals: list[int]
    total: int


def firm_breakdown(firms) -> FirmBreakdown:
    """Count firms by origin group and status; works on prefetched firms without queries."""
    counts = Counter((firm.origin_group, firm.status) for firm in firms)
    statuses = list(FirmStatus.choices)
    rows = []
    for group, label in OriginGroup.choices:
        cells = [counts[(group, status)] for status, _ in statuses]
        if sum(cells):
            rows.append((str(label), cells, sum(cells)))
    totals = [sum(counts[(g, status)] for g in OriginGroup.values) for status, _ in statuses]
    return FirmBreakdown(statuses, rows, totals, sum(totals))


# --- Readiness: inputs for the score, latest snapshots, the explanation on the zone page -------


def scoring_weights_active() -> scoring.Weights:
    """The weights of the active scoring profile (version 1's defaults when none is stored)."""
    profile = ScoringProfile.objects.filter(is_active=True).first()
    if profile is None:
        return scoring.DEFAULT_WEIGHTS
    return scoring_weights_of(profile)


def scoring_weights_of(profile: ScoringProfile) -> scoring.Weights:
    return scoring.Weights(
        utilities=profile.utilities,
        land=profile.land,
        milestones=profile.milestones,
        occupancy=profile.occupancy,
        version=profile.version,
    )


def readiness_inputs(
    *, zone_ids: Collection[int] | None = None
) -> dict[int, scoring.ReadinessInputs]:
    """The readiness inputs of many zones (every zone when ``zone_ids`` is None).

    Five set-based queries whatever the number of zones: the zones' areas, their core
    utilities, the disputes and milestones summed per zone in the database, and the acres
    allotted to firms as the database keeps them per zone.
    """

    def scoped(queryset: QuerySet) -> QuerySet:
        queryset = queryset.order_by()
        return queryset if zone_ids is None else queryset.filter(zone_id__in=zone_ids)

    zones = Zone.objects.order_by()
    if zone_ids is not None:
        zones = zones.filter(pk__in=zone_ids)
    areas = dict(zones.values_list("pk", "area_acres"))

    utilities: dict[int, dict[str, scoring.UtilityInput]] = {}
    for zone_id, kind, status, required, available in scoped(
        UtilityConnection.objects.filter(kind__in=CORE_UTILITY_KINDS)
    ).values_list("zone_id", "kind", "status", "required_capacity", "available_capacity"):
        utilities.setdefault(zone_id, {})[kind] = scoring.UtilityInput(status, required, available)

    disputed = dict(
        scoped(LandDispute.objects.filter(status__in=OPEN_DISPUTE_STATUSES))
        .values("zone_id")
        .annotate(acres=Sum("affected_acres"))
        .values_list("zone_id", "acres")
    )
    weights = {
        zone_id: (done, active)
        for zone_id, done, active in scoped(
            Milestone.objects.exclude(status=MilestoneStatus.CANCELLED)
        )
        .values("zone_id")
        .annotate(
            done=Sum("weight", filter=Q(status=MilestoneStatus.DONE)),
            active=Sum("weight"),
        )
        .values_list("zone_id", "done", "active")
    }
    # Kept by the database for every write to firms (see ZoneAllotment): no firm is read.
    allotted = dict(scoped(ZoneAllotment.objects.all()).values_list("zone_id", "allotted_acres"))

    zero = scoring.ZERO
    inputs = {}
    for zone_id, area in areas.items():
        done, active = weights.get(zone_id, (None, None))
        inputs[zone_id] = scoring.ReadinessInputs(
            area_acres=area,
            utilities=utilities.get(zone_id, {}),
            disputed_acres=disputed.get(zone_id) or zero,
            done_weight=done or zero,
            active_weight=active or zero,
            allotted_acres=allotted.get(zone_id) or zero,
        )
    return inputs


@dataclass(frozen=True)
class LatestSnapshot:
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


def readiness_history(*, zone: Zone, limit: int = 20) -> list[ReadinessSnapshot]:
    """The zone's latest ``limit`` snapshots, newest first."""
    return list(zone.readiness_snapshots.order_by("-computed_at", "-pk")[:limit])
