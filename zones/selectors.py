"""Reads of the zone records: the queries the pages and the API need about zones (readiness
reads are in :mod:`readiness.selectors` and :mod:`readiness.inputs`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from accounts import roles
from investors.models import Firm
from zones.vocabulary import (
    CORE_UTILITY_KINDS,
    LAND_HOLDING_FIRM_STATUSES,
    FirmStatus,
    OriginGroup,
    ReportedMetric,
    UtilityKind,
    UtilityStatus,
)

from .localized import shown_text
from .models import (
    LandDispute,
    Milestone,
    ReadinessSnapshot,
    ReportedTotal,
    UtilityConnection,
    Zone,
    counted_q,
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


def _illustrative_acres(**zones) -> QuerySet[Firm]:
    """The acres held by illustrative firms (invented for the demo), per zone of ``zones``
    (a lookup on ``zone_id``)."""
    return (
        Firm.objects.filter(is_illustrative=True, status__in=LAND_HOLDING_FIRM_STATUSES, **zones)
        .order_by()
        .values("zone_id")
        .annotate(acres=Sum("allotted_acres"))
    )


#: Which allotted figure free land subtracted: the records' sum or an authority's total.
FREE_LAND_BASIS = "free_land_basis"
BASIS_RECORDS = "records"
BASIS_REPORTED = "reported"


def _latest_reported_allotted(**zones) -> QuerySet[ReportedTotal]:
    return ReportedTotal.objects.filter(metric=ReportedMetric.ALLOTTED_ACRES, **zones).order_by(
        "zone_id", "-as_of"
    )


def with_free_land(zones: QuerySet[Zone], *, include_illustrative: bool = False) -> QuerySet[Zone]:
    """Annotate ``free_land_acres``: area minus the acres allotted, and ``free_land_basis``:
    which allotment that was. The recorded allotment is what the database keeps in
    :class:`~zones.models.ZoneAllotment` (one join), with the acres of illustrative firms
    given back unless ``include_illustrative``; when an authority reported a larger
    allotment (the latest ``allotted_acres`` reported total), free land uses that instead.

    Null when the zone's area is unknown. Applying it twice is harmless.
    """
    if FREE_LAND in zones.query.annotations:
        return zones
    acres = DecimalField(max_digits=14, decimal_places=2)
    zero = Value(Decimal(0))
    recorded = Coalesce(F("allotment__allotted_acres"), zero, output_field=acres)
    if not include_illustrative:
        invented = _illustrative_acres(zone_id=OuterRef("pk"))
        recorded = recorded - Coalesce(Subquery(invented.values("acres")), zero, output_field=acres)
    reported = Subquery(
        _latest_reported_allotted(zone_id=OuterRef("pk")).values("value")[:1], output_field=acres
    )
    return zones.annotate(allotted_recorded=recorded, allotted_reported=reported).annotate(
        **{
            FREE_LAND: F("area_acres")
            - Greatest(F("allotted_recorded"), F("allotted_reported"), output_field=acres),
            FREE_LAND_BASIS: Case(
                When(allotted_reported__gt=F("allotted_recorded"), then=Value(BASIS_REPORTED)),
                default=Value(BASIS_RECORDS),
                output_field=CharField(),
            ),
        }
    )


#: Coverage of free land's recorded allotment: how many firm records hold land with acres.
FREE_LAND_RECORDS = "free_land_records"


def free_land_records(*, include_illustrative: bool = False) -> Subquery:
    """Per zone (``OuterRef("pk")``): the firms holding land with their acres recorded that
    the recorded allotment sums, real ones only unless ``include_illustrative``."""
    firms = (
        Firm.objects.filter(
            counted_q(include_illustrative=include_illustrative),
            zone_id=OuterRef("pk"),
            status__in=LAND_HOLDING_FIRM_STATUSES,
            allotted_acres__isnull=False,
        )
        .order_by()
        .values("zone_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(firms, output_field=IntegerField()), 0)


def attach_free_land(zones: Iterable[Zone], *, include_illustrative: bool = False) -> list[Zone]:
    """Give each zone of a page its ``free_land_acres`` and ``free_land_basis`` as
    :func:`with_free_land` defines them, and ``free_land_records`` (one query by primary
    key).

    Zones already given them are left as they are; this keeps a listing from joining the
    allotments of every zone when it shows only a page of them.
    """
    zones = list(zones)
    missing = [zone for zone in zones if not hasattr(zone, FREE_LAND_RECORDS)]
    if not missing:
        return zones
    found = {
        pk: (free, basis, records)
        for pk, free, basis, records in with_free_land(
            Zone.objects.filter(pk__in=[zone.pk for zone in missing]).order_by(),
            include_illustrative=include_illustrative,
        )
        .annotate(
            **{FREE_LAND_RECORDS: free_land_records(include_illustrative=include_illustrative)}
        )
        .values_list("pk", FREE_LAND, FREE_LAND_BASIS, FREE_LAND_RECORDS)
    }
    for zone in missing:
        free, basis, records = found.get(zone.pk, (None, BASIS_RECORDS, 0))
        setattr(zone, FREE_LAND, free)
        setattr(zone, FREE_LAND_BASIS, basis)
        setattr(zone, FREE_LAND_RECORDS, records)
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


def zones_for_detail(*, user, include_illustrative: bool = False) -> QuerySet[Zone]:
    """Zones with everything a zone page or API detail shows, in a fixed number of queries.

    Their utilities, disputes, milestones and firms are the real ones only, unless
    ``include_illustrative`` (``counted_q``): a record invented for the demo is neither
    listed nor counted by default, so deleting it changes nothing a reader sees."""
    real = counted_q(include_illustrative=include_illustrative)
    return (
        with_free_land(zones_visible_to(user), include_illustrative=include_illustrative)
        .select_related("province")
        .prefetch_related(
            "sectors",
            Prefetch("utilities", queryset=UtilityConnection.objects.filter(real)),
            Prefetch("disputes", queryset=LandDispute.objects.filter(real)),
            Prefetch("milestones", queryset=Milestone.objects.filter(real)),
            "targets",
            Prefetch(
                "firms",
                # figures_year: the year of the latest return its current figures come from.
                queryset=Firm.objects.filter(real)
                .select_related("sector")
                .annotate(figures_year=Max("annual_returns__year")),
            ),
            latest_snapshot_prefetch(),
        )
    )


def published_zone_id(*, slug: str) -> int | None:
    """The id of the published zone at ``slug`` (what the public may see), or None: one
    small query, to name a public answer by that zone's version before building it."""
    return Zone.objects.filter(slug=slug, published=True).values_list("pk", flat=True).first()


def zone_for_page(*, slug: str, user, include_illustrative: bool = False) -> Zone:
    """One zone with everything its page shows, in a fixed number of queries."""
    return zones_for_detail(user=user, include_illustrative=include_illustrative).get(slug=slug)


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


@dataclass(frozen=True)
class ZoneCoverage:
    """How many records a zone's derived figures rest on ("from 3 firm records", "2 of 9
    milestones dated"), counted over the records the page or API response shows."""

    #: Firm records, and those holding land with their acres recorded (free land's recorded
    #: allotment rests on these).
    firms: int
    firms_with_acres: int
    #: Milestone records, and those with a baseline, planned or actual date.
    milestones: int
    milestones_dated: int


def zone_coverage(zone: Zone, *, firms=None) -> ZoneCoverage:
    """The coverage of ``zone``'s figures, from its prefetched firms and milestones (no query)."""
    firms = list(zone.firms.all()) if firms is None else firms
    milestones = list(zone.milestones.all())
    return ZoneCoverage(
        firms=len(firms),
        firms_with_acres=sum(
            1
            for firm in firms
            if firm.status in LAND_HOLDING_FIRM_STATUSES and firm.allotted_acres is not None
        ),
        milestones=len(milestones),
        milestones_dated=sum(
            1 for m in milestones if m.baseline_date or m.planned_date or m.actual_date
        ),
    )
