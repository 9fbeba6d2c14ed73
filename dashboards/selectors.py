"""Reads for the dashboards: every figure is aggregated in PostgreSQL, in a fixed number of
queries whatever the number of zones. Each selector takes the zones a page shows (already
narrowed by the finder's filters) and returns plain dataclasses for ``dashboards.charts``."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Case,
    CharField,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Round, RowNumber
from django.utils import timezone
from django.utils.translation import gettext

from investors.models import Firm, idle_q
from zones.models import (
    LandDispute,
    Milestone,
    Province,
    ReadinessSnapshot,
    UtilityConnection,
    Zone,
    overdue_q,
)
from zones.vocabulary import (
    CORE_UTILITY_KINDS,
    LAND_HOLDING_FIRM_STATUSES,
    OPEN_DISPUTE_STATUSES,
    FirmStatus,
    MilestoneStatus,
    OriginGroup,
    ResponsibleLevel,
    UtilityKind,
    UtilityStatus,
    ZoneStatus,
)

#: Above this many zones, charts show distributions and map cells instead of every zone.
POINT_LIMIT = 1000
#: The milestone slippage chart shows the zones that slipped most, this many at most.
SLIPPAGE_ZONES = 15
#: Map cells (degrees) used when there are too many zones to draw one by one.
MAP_CELL_DEGREES = 0.5


class Percentile(Aggregate):
    """PostgreSQL's ordered-set ``percentile_cont(fraction) WITHIN GROUP (ORDER BY expr)``."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


class DaysBetween(Func):
    """``later - earlier`` for two date columns: whole days, as PostgreSQL computes them."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = IntegerField()


# --- Headline figures -------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class ZoneSummary:
    """How many zones, at which stage, and how ready the scored ones are."""

    total: int
    by_status: list[StatusCount]
    scored: int
    readiness_avg: float | None

    @property
    def unscored(self) -> int:
        return self.total - self.scored


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
        readiness_avg=_float(row["readiness_avg"]),
    )


@dataclass(frozen=True)
class FirmGroup:
    origin_group: str
    origin_label: str
    status: str
    status_label: str
    count: int


@dataclass(frozen=True)
class FirmSummary:
    """Firms by origin group and status, and the totals the headline shows.

    Totals are sums of what firms holding land (allotted, building or operating) report;
    ``*_reported`` says how many firms reported a figure, so a missing figure is never
    shown as zero."""

    groups: list[FirmGroup]
    operating: int
    holding_land: int
    idle: int
    jobs_actual: int | None
    jobs_reported: int
    exports_usd: float | None
    exports_reported: int
    investment_usd: float | None
    investment_reported: int

    @property
    def idle_share(self) -> float | None:
        return self.idle / self.holding_land if self.holding_land else None


def firm_summary(zones: QuerySet[Zone], *, today: datetime.date | None = None) -> FirmSummary:
    """Firms grouped by origin group and status, with the headline sums. One query."""
    today = today or timezone.localdate()
    active = Q(status__in=LAND_HOLDING_FIRM_STATUSES)
    rows = (
        Firm.objects.filter(zone__in=zones)
        .with_origin_group()
        .values("origin_group_code", "status")
        .annotate(
            n=Count("id"),
            idle=Count("id", filter=idle_q(today)),
            jobs=Sum("jobs_actual", filter=active),
            jobs_n=Count("jobs_actual", filter=active),
            exports=Sum("exports_usd", filter=active),
            exports_n=Count("exports_usd", filter=active),
            investment=Sum("investment_usd", filter=active),
            investment_n=Count("investment_usd", filter=active),
        )
        .order_by()
    )
    origin_labels = dict(OriginGroup.choices)
    status_labels = dict(FirmStatus.choices)
    groups: list[FirmGroup] = []
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        groups.append(
            FirmGroup(
                row["origin_group_code"],
                str(origin_labels[row["origin_group_code"]]),
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


@dataclass(frozen=True)
class ProvinceDisputes:
    code: str
    name: str
    count: int
    acres: float | None
    without_acres: int


def open_disputes_by_province(
    zones: QuerySet[Zone], provinces: list[Province]
) -> list[ProvinceDisputes]:
    """Disputes not yet settled (open, in court, in mediation) per province. One query."""
    rows = {
        row["zone__province_id"]: row
        for row in LandDispute.objects.filter(zone__in=zones, status__in=OPEN_DISPUTE_STATUSES)
        .values("zone__province_id")
        .annotate(
            n=Count("id"),
            acres=Sum("affected_acres"),
            unknown=Count("id", filter=Q(affected_acres__isnull=True)),
        )
        .order_by()
    }
    result = []
    for province in provinces:
        row = rows.get(province.code)
        if row:
            result.append(
                ProvinceDisputes(
                    province.code, str(province), row["n"], _float(row["acres"]), row["unknown"]
                )
            )
    return result


@dataclass(frozen=True)
class OverdueMilestones:
    total: int
    by_level: dict[str, int]


def overdue_milestones(
    zones: QuerySet[Zone], *, today: datetime.date | None = None
) -> OverdueMilestones:
    """Milestones not done, not cancelled and planned for a past day, by level. One query."""
    rows = (
        Milestone.objects.filter(zone__in=zones)
        .overdue(today)
        .values("responsible")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_level = {level.value: 0 for level in ResponsibleLevel}
    for row in rows:
        by_level[row["responsible"]] = row["n"]
    return OverdueMilestones(total=sum(by_level.values()), by_level=by_level)


# --- Readiness --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadinessGroup:
    """The spread of latest readiness scores in one group of zones (a province, a district)."""

    key: str
    label: str
    zones: int
    scored: int
    mean: float | None
    minimum: float | None
    q1: float | None
    median: float | None
    q3: float | None
    maximum: float | None


def readiness_by_group(zones: QuerySet[Zone], *, by: str) -> list[ReadinessGroup]:
    """Readiness statistics per province (``by="province"``) or district. One query."""
    if by == "province":
        key, label = "province_id", "province__name"
    elif by == "district":
        key, label = "district", "district"
    else:
        raise ValueError(f"cannot group readiness by {by!r}")
    score = "readiness_score"
    rows = (
        Zone.objects.filter(pk__in=zones.values("pk"))
        .values(key, label)
        .annotate(
            n=Count("id"),
            scored=Count(score),
            mean=Avg(score),
            minimum=Min(score),
            q1=Percentile(score, 0.25),
            median=Percentile(score, 0.5),
            q3=Percentile(score, 0.75),
            maximum=Max(score),
        )
        .order_by(label)
    )
    return [
        ReadinessGroup(
            key=row[key] or "",
            # Province names are stored in English; districts are proper names, kept as stored.
            label=(gettext(row[label]) if by == "province" else row[label]) or "",
            zones=row["n"],
            scored=row["scored"],
            mean=_float(row["mean"]),
            minimum=_float(row["minimum"]),
            q1=_float(row["q1"]),
            median=_float(row["median"]),
            q3=_float(row["q3"]),
            maximum=_float(row["maximum"]),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ZonePoint:
    """One zone as the charts draw it."""

    slug: str
    name: str
    province: str
    district: str
    status: str
    score: float | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class MapCell:
    """Zones aggregated into a map cell when there are too many to draw one by one."""

    latitude: float
    longitude: float
    zones: int
    scored: int
    mean_score: float | None


@dataclass(frozen=True)
class ZonePoints:
    points: list[ZonePoint]
    truncated: bool
    cells: list[MapCell] = field(default_factory=list)


def zone_points(zones: QuerySet[Zone], *, limit: int = POINT_LIMIT) -> ZonePoints:
    """Every zone with its location and score, or, above ``limit`` zones, map cells.

    One query, two when the limit is exceeded."""
    rows = list(
        zones.order_by("province__name", "name").values_list(
            "slug",
            "name",
            "province__name",
            "district",
            "status",
            "readiness_score",
            "latitude",
            "longitude",
        )[: limit + 1]
    )
    if len(rows) <= limit:
        points = [
            ZonePoint(
                slug,
                name,
                gettext(province),
                district,
                status,
                _float(score),
                _float(lat),
                _float(lon),
            )
            for slug, name, province, district, status, score, lat, lon in rows
        ]
        return ZonePoints(points=points, truncated=False)
    step = Decimal(str(MAP_CELL_DEGREES))
    cells = (
        Zone.objects.filter(
            pk__in=zones.values("pk"), latitude__isnull=False, longitude__isnull=False
        )
        .annotate(
            cell_lat=Round(F("latitude") / step) * step,
            cell_lon=Round(F("longitude") / step) * step,
        )
        .values("cell_lat", "cell_lon")
        .annotate(n=Count("id"), scored=Count("readiness_score"), mean=Avg("readiness_score"))
        .order_by("cell_lat", "cell_lon")
    )
    return ZonePoints(
        points=[],
        truncated=True,
        cells=[
            MapCell(
                float(c["cell_lat"]), float(c["cell_lon"]), c["n"], c["scored"], _float(c["mean"])
            )
            for c in cells
        ],
    )


@dataclass(frozen=True)
class ReadinessSeries:
    """Average latest readiness of a group of zones at the end of each period."""

    key: str
    label: str
    periods: list[datetime.date]
    means: list[float]
    zones: list[int]


_READINESS_HISTORY_SQL = """
WITH s AS (
    SELECT rs.computed_at, {group_key} AS grp,
           rs.score - coalesce(lag(rs.score) OVER w, 0) AS d_sum,
           CASE WHEN lag(rs.id) OVER w IS NULL THEN 1 ELSE 0 END AS d_n
    FROM zones_readinesssnapshot rs
    JOIN zones_zone z ON z.id = rs.zone_id
    WHERE rs.zone_id IN ({zone_ids})
    WINDOW w AS (PARTITION BY rs.zone_id ORDER BY rs.computed_at, rs.id)
),
unit AS (
    SELECT min(computed_at) AS lo, max(computed_at) AS hi,
           CASE WHEN max(computed_at) - min(computed_at) <= interval '62 days' THEN 'day'
                WHEN max(computed_at) - min(computed_at) <= interval '730 days' THEN 'week'
                ELSE 'month' END AS u
    FROM s HAVING count(*) > 0
),
periods AS (
    SELECT generate_series(date_trunc(u, lo), date_trunc(u, hi), ('1 ' || u)::interval) AS starts
    FROM unit
),
deltas AS (
    SELECT date_trunc(unit.u, s.computed_at) AS starts, s.grp,
           sum(s.d_sum) AS d_sum, sum(s.d_n) AS d_n
    FROM s CROSS JOIN unit
    GROUP BY 1, 2
),
running AS (
    SELECT periods.starts, g.grp,
           sum(coalesce(deltas.d_sum, 0)) OVER cumulative AS total,
           sum(coalesce(deltas.d_n, 0)) OVER cumulative AS zones
    FROM periods
    CROSS JOIN (SELECT DISTINCT grp FROM s) AS g
    LEFT JOIN deltas ON deltas.starts = periods.starts AND deltas.grp = g.grp
    WINDOW cumulative AS (PARTITION BY g.grp ORDER BY periods.starts)
)
SELECT starts, grp, total / zones, zones FROM running WHERE zones > 0 ORDER BY grp, starts
"""


def readiness_history(
    zones: QuerySet[Zone], *, by: str, names: dict[str, str] | None = None
) -> list[ReadinessSeries]:
    """For each day, week or month (by the span of history), the mean of each zone's latest
    snapshot at the end of that period, per province (``by="province"``, labelled with
    ``names``) or for all the zones (``by="all"``).

    One SQL statement in one pass over the snapshots: each snapshot adds its score minus the
    zone's previous one (and one zone, if it is the zone's first), and running sums of those
    changes over the periods give the totals as of each period's end."""
    group_key = {"province": "z.province_id", "all": "''"}[by]
    ids_sql, ids_params = zones.order_by().values("pk").query.sql_with_params()
    sql = _READINESS_HISTORY_SQL.format(group_key=group_key, zone_ids=ids_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, ids_params)
        rows = cursor.fetchall()
    names = names or {}
    series: dict[str, ReadinessSeries] = {}
    for starts, grp, mean, count in rows:
        item = series.get(grp)
        if item is None:
            item = series[grp] = ReadinessSeries(grp, names.get(grp, grp), [], [], [])
        item.periods.append(timezone.localdate(starts) if timezone.is_aware(starts) else starts)
        item.means.append(round(float(mean), 1))
        item.zones.append(count)
    return sorted(series.values(), key=lambda s: s.label)


# --- Milestones ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SlippageBar:
    """The worst slippage of one zone's milestones at one responsible level.

    ``measure`` is ``actual`` (delivered: actual − baseline) or ``plan`` (not delivered:
    current plan − baseline)."""

    zone_slug: str
    zone_name: str
    responsible: str
    measure: str
    days: int
    milestones: int
    overdue: int


def milestone_slippage(
    zones: QuerySet[Zone], *, limit: int = SLIPPAGE_ZONES, today: datetime.date | None = None
) -> list[SlippageBar]:
    """Slippage ((actual or planned) − baseline, in days) of the ``limit`` zones that slipped
    most, per responsible level and measure. One query."""
    today = today or timezone.localdate()
    milestones = (
        Milestone.objects.filter(zone__in=zones, baseline_date__isnull=False)
        .exclude(status=MilestoneStatus.CANCELLED)
        .annotate(ends=Coalesce("actual_date", "planned_date"))
        .filter(ends__isnull=False)
        .annotate(slip=DaysBetween(F("ends"), F("baseline_date")))
    )
    worst = (
        milestones.values("zone_id")
        .annotate(worst=Max("slip"))
        .order_by("-worst", "zone_id")
        .values("zone_id")[:limit]
    )
    overdue = overdue_q(today)
    rows = (
        milestones.filter(zone_id__in=worst)
        .annotate(
            measure=Case(
                When(actual_date__isnull=False, then=Value("actual")),
                default=Value("plan"),
                output_field=CharField(),
            )
        )
        .values("zone__slug", "zone__name", "responsible", "measure")
        .annotate(days=Max("slip"), n=Count("id"), overdue=Count("id", filter=overdue))
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


@dataclass(frozen=True)
class UtilityCounts:
    """For one core utility, how many zones are at each status, and how many have no record."""

    kind: str
    label: str
    by_status: dict[str, int]
    no_record: int


def utilities_by_kind(zones: QuerySet[Zone], *, zone_count: int) -> list[UtilityCounts]:
    """Zones per status for each core utility (electricity, gas, water, road). One query."""
    rows = (
        UtilityConnection.objects.filter(zone__in=zones, kind__in=CORE_UTILITY_KINDS)
        .values("kind", "status")
        .annotate(n=Count("id"))
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


def zones_ranked(
    zones: QuerySet[Zone], *, per_province: int | None = None, limit: int | None = None
) -> list[Zone]:
    """Zones for the pages' tables, most ready first (unscored last), with their sectors.

    ``per_province`` keeps that many per province, ``limit`` that many in all; both in SQL."""
    ordering = [F("readiness_score").desc(nulls_last=True), "name"]
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


@dataclass(frozen=True)
class ZoneMilestone:
    title: str
    code: str
    responsible: str
    responsible_label: str
    status: str
    status_label: str
    baseline: datetime.date | None
    planned: datetime.date | None
    actual: datetime.date | None
    overdue: bool


@dataclass(frozen=True)
class ZoneUtility:
    kind: str
    label: str
    status: str | None
    status_label: str | None
    required: float | None
    available: float | None
    unit: str
    provider: str
    target_date: datetime.date | None


@dataclass(frozen=True)
class ZoneSnapshot:
    computed_at: datetime.datetime
    score: float
    utilities: float
    land: float
    milestones: float
    occupancy: float


@dataclass(frozen=True)
class ZoneChartData:
    snapshots: list[ZoneSnapshot]
    milestones: list[ZoneMilestone]
    utilities: list[ZoneUtility]


def zone_chart_data(*, zone: Zone, today: datetime.date | None = None) -> ZoneChartData:
    """What a zone page's charts need. Three queries, whatever the zone holds."""
    today = today or timezone.localdate()
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
        for m in Milestone.objects.filter(zone=zone)
        .exclude(status=MilestoneStatus.CANCELLED)
        .order_by(
            Coalesce("baseline_date", "planned_date", "actual_date").asc(nulls_last=True), "code"
        )
    ]
    records = {u.kind: u for u in UtilityConnection.objects.filter(zone=zone)}
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
                _float(record.required_capacity) if record else None,
                _float(record.available_capacity) if record else None,
                record.unit if record else "",
                record.provider if record else "",
                record.target_date if record else None,
            )
        )
    return ZoneChartData(snapshots=snapshots, milestones=milestones, utilities=utilities)


def _float(value: Decimal | float | int | None) -> float | None:
    return None if value is None else float(value)
