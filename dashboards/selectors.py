"""Reads for the dashboards: every figure is aggregated in PostgreSQL, in a fixed number of
queries whatever the number of zones. Each selector takes the zones a page shows (already
narrowed by the finder's filters) and returns plain dataclasses (``dashboards.data``) for
``dashboards.charts``; the readiness figures' reads are in ``dashboards.readiness_selectors``."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    F,
    Max,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from aggregates.models import (
    DisputeTally,
    FirmTally,
    MilestoneTally,
    ProvinceDisputeTally,
    ProvinceFirmTally,
    ProvinceMilestoneTally,
    ProvinceUtilityTally,
    SlippageTally,
    UtilityTally,
)
from aggregates.selectors import firm_headline_sums
from zones.localized import shown_text
from zones.models import (
    Milestone,
    Province,
    ReadinessSnapshot,
    UtilityConnection,
    Zone,
    counted_q,
)
from zones.selectors import zones_visible_to
from zones.vocabulary import (
    CORE_UTILITY_KINDS,
    LAND_HOLDING_FIRM_STATUSES,
    FirmStatus,
    MilestoneStatus,
    OriginGroup,
    ResponsibleLevel,
    UtilityKind,
    UtilityStatus,
    ZoneStatus,
)

from .data import (
    FirmGroup,
    FirmSummary,
    OverdueMilestones,
    ProvinceDisputes,
    SlippageBar,
    StatusCount,
    UtilityCounts,
    ZoneChartData,
    ZoneMilestone,
    ZoneSnapshot,
    ZoneSummary,
    ZoneUtility,
)

#: The milestone slippage chart shows the zones that slipped most, this many at most.
SLIPPAGE_ZONES = 15


@dataclass(frozen=True)
class Whole:
    """The page shows every published zone of the country (``province`` None) or of one
    province, with no filter: its sums can be read from the province rollups (a few hundred
    rows) instead of every zone's rows."""

    province: str | None = None

    @classmethod
    def of(cls, province: Province | None, whole: bool) -> Whole | None:
        """The ``Whole`` of ``province``'s page (None: the country's) when the page is
        ``whole``, else None."""
        return cls(province.code if province else None) if whole else None


def zone_rows(model, zones, whole: Whole | None, include: bool) -> QuerySet:
    """A tally's zone rows of the zones a page shows; illustrative zones and records only
    when ``include``. A ``whole`` page that counts every record counts every published zone:
    its rows are picked by the province and flag each row carries (kept by the refresh, as
    the rollups' are), with no join to the zones that would narrow nothing. Otherwise the
    zones narrow the rows (the public's real zones through their own index)."""
    if whole is None or not include:
        return model.objects.filter(counted_q(include_illustrative=include), zone__in=zones)
    return _of_whole(model.objects.all(), whole, include)


def tally_rows(zone_model, province_model, zones, whole: Whole | None, include: bool) -> QuerySet:
    """The tally rows a figure sums: the zones' own rows, or for a ``whole`` page the
    province rollups of the published zones; illustrative zones and records only when
    ``include``."""
    if whole is None:
        return zone_rows(zone_model, zones, None, include)
    return _of_whole(province_model.objects.all(), whole, include)


def _of_whole(rows: QuerySet, whole: Whole, include: bool) -> QuerySet:
    """Tally or rollup rows of the published zones (of ``whole``'s province, if it has one)."""
    rows = rows.filter(zone_published=True)
    if whole.province:
        rows = rows.filter(province_id=whole.province)
    return rows if include else rows.filter(zone_illustrative=False, is_illustrative=False)


# --- Headline figures -------------------------------------------------------------------


def zone_summary(zones: QuerySet[Zone]) -> ZoneSummary:
    """Zones by status and the average latest readiness score. One query."""
    row = zones.aggregate(
        total=Count("id"),
        scored=Count("readiness_score"),
        readiness_avg=Avg("readiness_score"),
        **{f"status_{s.value}": Count("id", filter=Q(status=s.value)) for s in ZoneStatus},
    )
    return ZoneSummary(
        total=row["total"],
        by_status=[
            StatusCount(s.value, str(s.label), row[f"status_{s.value}"]) for s in ZoneStatus
        ],
        scored=row["scored"],
        readiness_avg=as_float(row["readiness_avg"]),
    )


def firm_summary(
    zones: QuerySet[Zone],
    *,
    include_illustrative: bool = False,
    whole: Whole | None = None,
) -> FirmSummary:
    """Firms grouped by origin group and status, with the headline sums; illustrative firms
    only when asked for (``counted_q``). One query, over the firm tallies of ``zones``
    (``idle`` as of the day they were counted)."""
    rows = (
        tally_rows(FirmTally, ProvinceFirmTally, zones, whole, include_illustrative)
        .values("origin_group", "status")
        .annotate(
            n=Sum("firms"),
            idle=Sum("idle"),
            **firm_headline_sums(),
        )
        .order_by("origin_group", "status")
    )
    origin_labels = dict(OriginGroup.choices)
    status_labels = dict(FirmStatus.choices)
    groups: list[FirmGroup] = []
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        if not row["n"]:  # a rollup row whose firms have all gone
            continue
        groups.append(
            FirmGroup(
                row["origin_group"],
                str(origin_labels[row["origin_group"]]),
                row["status"],
                str(status_labels.get(row["status"], row["status"])),
                row["n"],
            )
        )
        if row["status"] == FirmStatus.OPERATING:
            counts["operating"] += row["n"]
        if row["status"] in LAND_HOLDING_FIRM_STATUSES:
            counts["holding_land"] += row["n"]
        counts["idle"] += row["idle"]
        for key in ("jobs", "exports", "investment"):
            counts[key] += row[f"{key}_n"]
            totals[key] += float(row[key] or 0)
    return FirmSummary(
        groups=groups,
        operating=counts["operating"],
        holding_land=counts["holding_land"],
        idle=counts["idle"],
        jobs_actual=int(totals["jobs"]) if counts["jobs"] else None,
        jobs_reported=counts["jobs"],
        exports_usd=totals["exports"] if counts["exports"] else None,
        exports_reported=counts["exports"],
        investment_usd=totals["investment"] if counts["investment"] else None,
        investment_reported=counts["investment"],
    )


def open_disputes_by_province(
    zones: QuerySet[Zone],
    provinces: list[Province],
    *,
    include_illustrative: bool = False,
    whole: Whole | None = None,
) -> list[ProvinceDisputes]:
    """Disputes not yet settled (open, in court, in mediation) per province. One query, over
    the dispute tallies of ``zones``."""
    rows = {
        row["province_id"]: row
        for row in tally_rows(
            DisputeTally, ProvinceDisputeTally, zones, whole, include_illustrative
        )
        .values("province_id")
        .annotate(n=Sum("disputes"), acres=Sum("acres"), unknown=Sum("without_acres"))
        .order_by()
    }
    result = []
    for province in provinces:
        row = rows.get(province.code)
        if row and row["n"]:
            result.append(
                ProvinceDisputes(
                    province.code,
                    str(province),
                    row["n"],
                    # Unknown when no dispute says how many acres it affects.
                    None if row["n"] == row["unknown"] else as_float(row["acres"]),
                    row["unknown"],
                )
            )
    return result


def overdue_milestones(
    zones: QuerySet[Zone],
    *,
    include_illustrative: bool = False,
    whole: Whole | None = None,
) -> OverdueMilestones:
    """Milestones not done, not cancelled and planned for a past day, by level, with how
    many open milestones there are and how many of them have a planned date. One query, over
    the milestone tallies of ``zones`` (overdue as of the day they were counted)."""
    rows = (
        tally_rows(MilestoneTally, ProvinceMilestoneTally, zones, whole, include_illustrative)
        .values("responsible")
        .annotate(n=Sum("overdue"), open=Sum("open"), dated=Sum("dated"))
        .order_by()
    )
    by_level = {level.value: 0 for level in ResponsibleLevel}
    opened = dated = 0
    for row in rows:
        by_level[row["responsible"]] = row["n"]
        opened += row["open"]
        dated += row["dated"]
    return OverdueMilestones(
        total=sum(by_level.values()), by_level=by_level, open=opened, dated=dated
    )


# --- Milestones ---------------------------------------------------------------------------


def milestone_slippage(
    zones: QuerySet[Zone],
    *,
    limit: int = SLIPPAGE_ZONES,
    include_illustrative: bool = False,
    whole: Whole | None = None,
) -> list[SlippageBar]:
    """Slippage ((actual or planned) − baseline, in days) of the ``limit`` zones that slipped
    most, per responsible level and measure (overdue as of the day they were counted). One
    query, over the slippage tallies of ``zones``."""
    tallies = zone_rows(SlippageTally, zones, whole, include_illustrative)
    worst = (
        tallies.values("zone_id")
        .annotate(worst=Max("worst_days"))
        .order_by("-worst", "zone_id")
        .values("zone_id")[:limit]
    )
    rows = (
        tallies.filter(zone_id__in=worst)
        .values("zone__slug", "zone__name", "responsible", "measure")
        .annotate(days=Max("worst_days"), n=Sum("milestones"), overdue=Sum("overdue"))
        .order_by()
    )
    bars = [
        SlippageBar(
            r["zone__slug"],
            r["zone__name"],
            r["responsible"],
            r["measure"],
            r["days"],
            r["n"],
            r["overdue"],
        )
        for r in rows
    ]
    worst_by_zone: dict[str, int] = defaultdict(lambda: -(10**9))
    for bar in bars:
        worst_by_zone[bar.zone_slug] = max(worst_by_zone[bar.zone_slug], bar.days)
    bars.sort(key=lambda b: (-worst_by_zone[b.zone_slug], b.zone_name, b.responsible, b.measure))
    return bars


# --- Utilities ------------------------------------------------------------------------------


def utility_counts(
    zones: QuerySet[Zone],
    *,
    zone_count: int,
    include_illustrative: bool = False,
    whole: Whole | None = None,
) -> list[UtilityCounts]:
    """Zones per status for each core utility (electricity, gas, water, road). One query,
    over the utility tallies of ``zones``."""
    rows = (
        tally_rows(UtilityTally, ProvinceUtilityTally, zones, whole, include_illustrative)
        .filter(kind__in=CORE_UTILITY_KINDS)
        .values("kind", "status")
        .annotate(n=Sum("records"))
        .order_by()
    )
    counts: dict[str, dict[str, int]] = {
        kind: {s.value: 0 for s in UtilityStatus} for kind in CORE_UTILITY_KINDS
    }
    for row in rows:
        counts[row["kind"]][row["status"]] = row["n"]
    return [
        UtilityCounts(
            kind,
            str(UtilityKind(kind).label),
            counts[kind],
            max(zone_count - sum(counts[kind].values()), 0),
        )
        for kind in CORE_UTILITY_KINDS
    ]


# --- Pages ----------------------------------------------------------------------------------


def zones_shown(user, *, province: Province | None = None) -> QuerySet[Zone]:
    """The zones a dashboard covers before the finder's filters narrow them: those ``user``
    may see, in ``province`` when one is given."""
    zones = zones_visible_to(user)
    return zones.filter(province=province) if province else zones


def provinces() -> list[Province]:
    """Every province, by name (the model's order). One query."""
    return list(Province.objects.all())


def province(code: str) -> Province | None:
    """The province whose ISO 3166-2 code is ``code`` (any case); None if there is none."""
    return Province.objects.filter(code=code.upper()).first()


def zones_ranked(
    zones: QuerySet[Zone], *, per_province: int | None = None, limit: int | None = None
) -> list[Zone]:
    """Zones for the pages' tables, most ready first (unscored last), with their sectors.

    ``per_province`` keeps that many per province, ``limit`` that many in all; both in SQL."""
    ordering = [F("readiness_score").desc(nulls_last=True), shown_text("name").asc(), "pk"]
    queryset = zones.select_related("province").prefetch_related("sectors")
    if per_province is not None:
        queryset = queryset.annotate(
            rank=Window(RowNumber(), partition_by=[F("province_id")], order_by=ordering)
        ).filter(rank__lte=per_province)
    queryset = queryset.order_by("province__name", *ordering)
    return list(queryset[:limit] if limit is not None else queryset)


def zone_counts_by_province(zones: QuerySet[Zone]) -> dict[str, int]:
    """How many of the zones are in each province. One query."""
    return dict(
        zones.order_by()
        .values("province_id")
        .annotate(n=Count("id"))
        .values_list("province_id", "n")
    )


def zone_chart_data(
    *, zone: Zone, today: datetime.date | None = None, include_illustrative: bool = False
) -> ZoneChartData:
    """What a zone page's charts need: real milestones and utilities only, unless
    ``include_illustrative``. Three queries, whatever the zone holds."""
    today = today or timezone.localdate()
    real = counted_q(include_illustrative=include_illustrative)
    snapshots = [
        ZoneSnapshot(
            s.computed_at,
            float(s.score),
            float(s.utilities),
            float(s.land),
            float(s.milestones),
            float(s.occupancy),
        )
        for s in ReadinessSnapshot.objects.filter(zone=zone)
        .order_by("computed_at")
        .only("computed_at", "score", "utilities", "land", "milestones", "occupancy")
    ]
    level_labels = dict(ResponsibleLevel.choices)
    status_labels = dict(MilestoneStatus.choices)
    milestones = [
        ZoneMilestone(
            m.title,
            m.code,
            m.responsible,
            str(level_labels.get(m.responsible, m.responsible)),
            m.status,
            str(status_labels.get(m.status, m.status)),
            m.baseline_date,
            m.planned_date,
            m.actual_date,
            m.status not in (MilestoneStatus.DONE, MilestoneStatus.CANCELLED)
            and m.planned_date is not None
            and m.planned_date < today,
        )
        for m in Milestone.objects.filter(real, zone=zone)
        .exclude(status=MilestoneStatus.CANCELLED)
        .order_by(
            Coalesce("baseline_date", "planned_date", "actual_date").asc(nulls_last=True), "code"
        )
    ]
    records = {u.kind: u for u in UtilityConnection.objects.filter(real, zone=zone)}
    status_labels = dict(UtilityStatus.choices)
    utilities = []
    for kind in UtilityKind:
        record = records.get(kind.value)
        if record is None and kind not in CORE_UTILITY_KINDS:
            continue
        utilities.append(
            ZoneUtility(
                kind.value,
                str(kind.label),
                record.status if record else None,
                str(status_labels[record.status]) if record else None,
                as_float(record.required_capacity) if record else None,
                as_float(record.available_capacity) if record else None,
                record.unit if record else "",
                record.provider if record else "",
                record.target_date if record else None,
            )
        )
    return ZoneChartData(snapshots=snapshots, milestones=milestones, utilities=utilities)


def as_float(value: Decimal | float | int | None) -> float | None:
    """A database number (often a Decimal) as a float; an unknown stays None."""
    return None if value is None else float(value)
