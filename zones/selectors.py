"""Reads of the zone records: the queries the pages and the API need about zones (readiness
reads are in :mod:`readiness.selectors` and :mod:`readiness.inputs`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

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
    Window,
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


def _zones_with_short_records(*, user, include_illustrative: bool) -> QuerySet[Zone]:
    """Zones with their free land, province, sectors, utilities, disputes and latest score:
    the records a zone has a handful of (``counted_q``: real ones only unless
    ``include_illustrative``)."""
    real = counted_q(include_illustrative=include_illustrative)
    return (
        with_free_land(zones_visible_to(user), include_illustrative=include_illustrative)
        .select_related("province")
        .prefetch_related(
            "sectors",
            Prefetch("utilities", queryset=UtilityConnection.objects.filter(real)),
            Prefetch("disputes", queryset=LandDispute.objects.filter(real)),
            latest_snapshot_prefetch(),
        )
    )


def _firms_with_figures_year(real: Q) -> QuerySet[Firm]:
    # figures_year: the year of the latest return its current figures come from.
    return (
        Firm.objects.filter(real)
        .select_related("sector")
        .annotate(figures_year=Max("annual_returns__year"))
    )


def zones_for_detail(*, user, include_illustrative: bool = False) -> QuerySet[Zone]:
    """Zones with everything the API's detail shows, every record of them, in a fixed
    number of queries (the zone page lists its long tables a page at a time instead:
    :func:`zone_for_page`, :func:`zone_firms`, :func:`zone_milestones`).

    Their utilities, disputes, milestones and firms are the real ones only, unless
    ``include_illustrative`` (``counted_q``): a record invented for the demo is neither
    listed nor counted by default, so deleting it changes nothing a reader sees."""
    real = counted_q(include_illustrative=include_illustrative)
    return _zones_with_short_records(
        user=user, include_illustrative=include_illustrative
    ).prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.filter(real)),
        "targets",
        Prefetch("firms", queryset=_firms_with_figures_year(real)),
    )


def published_zone_id(*, slug: str) -> int | None:
    """The id of the published zone at ``slug`` (what the public may see), or None: one
    small query, to name a public answer by that zone's version before building it."""
    return Zone.objects.filter(slug=slug, published=True).values_list("pk", flat=True).first()


def zone_for_page(*, slug: str, user, include_illustrative: bool = False) -> Zone:
    """One zone with the short lists its page shows (utilities, disputes, sectors, its
    latest score) in a fixed number of queries; its firms and milestones, which may run to
    hundreds, are read a page at a time by :func:`zone_firms` and :func:`zone_milestones`.
    Raises ``Zone.DoesNotExist`` when ``user`` may not see it."""
    return _zones_with_short_records(user=user, include_illustrative=include_illustrative).get(
        slug=slug
    )


#: How many rows a zone page's long tables (firms, milestones, plots) show before their
#: "show all" link: what a reader on a phone scrolls through, and all a page needs to build.
RECORDS_SHOWN = 25

Row = TypeVar("Row")


@dataclass(frozen=True)
class Listed(Generic[Row]):
    """The first rows of a long list (or every row, when asked for in full) and how many
    there are in all."""

    rows: list[Row]
    total: int

    @property
    def more(self) -> int:
        """How many rows are not listed."""
        return self.total - len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


#: The window count a listed query carries on each row: how many rows match in all.
LISTED_TOTAL = "listed_total"


def listed(rows: QuerySet, *, limit: int | None) -> Listed:
    """The first ``limit`` rows of ``rows`` (None: every one) and how many match in all, in
    one query: the count is a window over every matching row, taken before the limit."""
    rows = rows.annotate(**{LISTED_TOTAL: Window(Count("pk"))})
    found = list(rows if limit is None else rows[:limit])
    return Listed(found, getattr(found[0], LISTED_TOTAL) if found else 0)


def zone_firms(zone: Zone, *, include_illustrative: bool, limit: int | None) -> Listed[Firm]:
    """``zone``'s firms by name, the first ``limit`` (None: all), each with its sector and
    ``figures_year``; real ones only unless ``include_illustrative``. One query."""
    firms = _firms_with_figures_year(counted_q(include_illustrative=include_illustrative))
    return listed(firms.filter(zone=zone).order_by("name", "pk"), limit=limit)


@dataclass(frozen=True)
class ListedMilestones(Listed[Milestone]):
    #: How many of all the milestones have a baseline, planned or actual date.
    dated: int = 0


MILESTONE_DATED = (
    Q(baseline_date__isnull=False) | Q(planned_date__isnull=False) | Q(actual_date__isnull=False)
)


def zone_milestones(
    zone: Zone, *, include_illustrative: bool, limit: int | None
) -> ListedMilestones:
    """``zone``'s milestones in their order (baseline date, code), the first ``limit``
    (None: all), with how many there are and how many of them are dated; real ones only
    unless ``include_illustrative``. One query."""
    milestones = Milestone.objects.filter(
        counted_q(include_illustrative=include_illustrative), zone=zone
    ).annotate(listed_dated=Window(Count("pk", filter=MILESTONE_DATED)))
    found = listed(milestones, limit=limit)
    dated = found.rows[0].listed_dated if found.rows else 0
    return ListedMilestones(found.rows, found.total, dated)


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
    return _breakdown(Counter((firm.origin_group, firm.status) for firm in firms))


@dataclass(frozen=True)
class FirmCounts:
    """A zone's firms counted, all of them, whatever its page lists."""

    breakdown: FirmBreakdown
    #: Those holding land with their acres recorded (coverage of free land).
    with_acres: int


def zone_firm_counts(zone: Zone, *, include_illustrative: bool) -> FirmCounts:
    """Every firm of ``zone`` counted by origin group and status, and those holding land
    with acres (real ones only unless ``include_illustrative``): one grouped query."""
    holding_with_acres = Q(status__in=LAND_HOLDING_FIRM_STATUSES, allotted_acres__isnull=False)
    rows = list(
        Firm.objects.filter(counted_q(include_illustrative=include_illustrative), zone=zone)
        .with_origin_group()
        .order_by()
        .values("origin_group_code", "status")
        .annotate(n=Count("pk"), with_acres=Count("pk", filter=holding_with_acres))
    )
    counts = Counter({(row["origin_group_code"], row["status"]): row["n"] for row in rows})
    return FirmCounts(_breakdown(counts), sum(row["with_acres"] for row in rows))


def _breakdown(counts: Counter) -> FirmBreakdown:
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
