"""Reads of the zone records: the queries the pages and the API need about zones (readiness
reads are in :mod:`readiness.selectors` and :mod:`readiness.inputs`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    DecimalField,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce

from accounts import roles
from investors.models import Firm
from zones.vocabulary import (
    CORE_UTILITY_KINDS,
    FirmStatus,
    OriginGroup,
    UtilityKind,
    UtilityStatus,
)

from .localized import shown_text
from .models import (
    ReadinessSnapshot,
    UtilityConnection,
    Zone,
    ZoneAllotment,
)


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
        .order_by(shown_text("name").asc(), "pk")
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
