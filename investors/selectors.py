"""Reads for the investors' pages: the rows of the exports and the zones compared side by side.

The finder lists ``zones.selectors.zones_for_listing`` (the API lists the same rows),
narrowed and sorted by ``zones.filtersets.ZoneFilterSet``; the exports write those same
zones through :func:`zone_export_rows`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from readiness.selectors import ZoneReadiness, zone_readiness
from zones.models import LandDispute, ReadinessSnapshot, UtilityConnection, Zone, counted_q
from zones.selectors import (
    FREE_LAND,
    FREE_LAND_BASIS,
    FREE_LAND_RECORDS,
    attach_free_land,
    free_land_records,
    with_free_land,
    zones_for_listing,
)
from zones.vocabulary import UtilityKind, UtilityStatus

# --- The exports --------------------------------------------------------------------------------

EXPORT_FIELDS = (
    "name",
    "slug",
    "province__name",
    "province_id",
    "district",
    "status",
    "cpec_priority",
    "area_acres",
    FREE_LAND,
    FREE_LAND_BASIS,
    FREE_LAND_RECORDS,
    "readiness_score",
    "readiness_at",
    "developer",
    "latitude",
    "longitude",
    "source_url",
    "sector_names",
    "connected_kinds",
)


def zone_export_rows(zones: QuerySet[Zone], *, include_illustrative: bool = False) -> QuerySet:
    """``zones`` (filtered and sorted) as plain rows for an export, in one query; free land
    counts illustrative firms only with ``include_illustrative``.

    Sector names and connected utility kinds come as sorted arrays, readiness time as the
    zone's or its latest snapshot's; no model instances are built, so 10,000 rows are cheap.
    """
    sector_names = (
        Zone.sectors.through.objects.filter(zone_id=OuterRef("pk"))
        .order_by()
        .values("zone_id")
        .annotate(names=ArrayAgg("sector__name", order_by="sector__name"))
        .values("names")
    )
    connected = (
        UtilityConnection.objects.filter(zone_id=OuterRef("pk"), status=UtilityStatus.CONNECTED)
        .order_by()
        .values("zone_id")
        .annotate(kinds=ArrayAgg("kind", order_by="kind"))
        .values("kinds")
    )
    latest_at = (
        ReadinessSnapshot.objects.filter(zone_id=OuterRef("pk"))
        .order_by("-computed_at")
        .values("computed_at")[:1]
    )
    return (
        with_free_land(zones, include_illustrative=include_illustrative)
        .prefetch_related(None)
        .annotate(
            sector_names=Subquery(sector_names),
            connected_kinds=Subquery(connected),
            readiness_at=Coalesce("readiness_computed_at", Subquery(latest_at)),
            **{FREE_LAND_RECORDS: free_land_records(include_illustrative=include_illustrative)},
        )
        .values(*EXPORT_FIELDS)
    )


# --- Comparison ---------------------------------------------------------------------------------


def zones_for_compare(*, user, slugs: list[str], include_illustrative: bool = False) -> list[Zone]:
    """The visible zones among ``slugs``, in the order asked, with their list-row data,
    utilities and disputes (real ones only unless ``include_illustrative``)."""
    real = counted_q(include_illustrative=include_illustrative)
    zones = (
        zones_for_listing(user=user)
        .filter(real, slug__in=slugs)
        .prefetch_related(
            Prefetch("utilities", queryset=UtilityConnection.objects.filter(real)),
            Prefetch("disputes", queryset=LandDispute.objects.filter(real)),
        )
    )
    found = {
        zone.slug: zone
        for zone in attach_free_land(zones, include_illustrative=include_illustrative)
    }
    return [found[slug] for slug in slugs if slug in found]


@dataclass(frozen=True)
class ComparedZone:
    """One column of the comparison."""

    zone: Zone
    readiness: ZoneReadiness | None
    utilities: dict[str, UtilityConnection]
    active_disputes: int


@dataclass(frozen=True)
class ZoneComparison:
    """Zones side by side: a column each, a row per utility kind, and the slugs not found."""

    columns: list[ComparedZone]
    utility_rows: list[tuple[str, list[UtilityConnection | None]]]
    unknown: list[str]


def zone_comparison(
    *, user, slugs: list[str], include_illustrative: bool = False
) -> ZoneComparison:
    """The zones ``user`` may see among ``slugs``, side by side, in the order asked (a fixed
    number of queries); ``unknown`` names the slugs that are not such a zone."""
    zones = zones_for_compare(user=user, slugs=slugs, include_illustrative=include_illustrative)
    columns = [
        ComparedZone(
            zone=zone,
            readiness=zone_readiness(zone),
            utilities={utility.kind: utility for utility in zone.utilities.all()},
            active_disputes=sum(1 for dispute in zone.disputes.all() if dispute.is_active),
        )
        for zone in zones
    ]
    utility_rows = [
        (kind.label, [column.utilities.get(kind.value) for column in columns])
        for kind in UtilityKind
    ]
    found = {zone.slug for zone in zones}
    return ZoneComparison(
        columns=columns,
        utility_rows=utility_rows,
        unknown=[slug for slug in slugs if slug not in found],
    )
