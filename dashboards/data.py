"""What the dashboards' selectors return and their charts draw: plain, frozen dataclasses.

Pure: no database here, so the chart builders that read these (``dashboards.charts`` and its
siblings) stay pure too; ``dashboards.selectors`` and ``dashboards.readiness_selectors`` fill
them from PostgreSQL in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# --- Headline figures ----------------------------------------------------------------------


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


@dataclass(frozen=True)
class ProvinceDisputes:
    code: str
    name: str
    count: int
    acres: float | None
    without_acres: int


@dataclass(frozen=True)
class OverdueMilestones:
    total: int
    by_level: dict[str, int]
    #: Coverage: milestones still open (neither done nor cancelled), and those of them with
    #: a planned date, the only ones that can be overdue.
    open: int = 0
    dated: int = 0


# --- Readiness and the map -----------------------------------------------------------------


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


@dataclass(frozen=True)
class ReadinessSeries:
    """Average latest readiness of a group of zones at the end of each period."""

    key: str
    label: str
    periods: list[datetime.date]
    means: list[float]
    zones: list[int]


@dataclass(frozen=True)
class ProvinceArea:
    """A province on the zone map: its boundary's id and how many of the zones lie in it."""

    code: str
    name: str
    zones: int


# --- Milestones ----------------------------------------------------------------------------


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


# --- Utilities -----------------------------------------------------------------------------


@dataclass(frozen=True)
class UtilityCounts:
    """For one core utility, how many zones are at each status, and how many have no record."""

    kind: str
    label: str
    by_status: dict[str, int]
    no_record: int


# --- Zone page -----------------------------------------------------------------------------


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


# --- Plots, the utility clock and outages (DOMAIN.md, version 2) ----------------------------


@dataclass(frozen=True)
class PlotAllocation:
    """One province's plots: saleable acres and how much of it firms hold (``zones.plot_rules``:
    saleable = not amenity, not cancelled; allocation rate = reserved + allotted ÷ saleable)."""

    code: str
    name: str
    plots: int
    saleable_acres: float
    reserved_acres: float
    allotted_acres: float
    available_acres: float
    allocation_rate: float | None


@dataclass(frozen=True)
class IdlePlots:
    """Idle plots (allotted over a year ago, nothing built, nothing produced) of one province
    or zone, by age since allotment (``zones.plot_rules.IDLE_AGE_BANDS``)."""

    key: str
    label: str
    allotted: int
    idle: int
    idle_acres: float
    by_band: tuple[int, ...]
    median_age_days: float | None
    oldest_age_days: int | None


@dataclass(frozen=True)
class ProviderClock:
    """The units' connections of one kind from one provider, across the zones shown."""

    kind: str
    kind_label: str
    provider: str
    connected: int
    median_days_to_connect: float | None
    waiting: int
    oldest_waiting_days: int | None


@dataclass(frozen=True)
class ZoneOutages:
    """One zone's hours without one supply over the last 12 whole months, as its developer
    and its tenants report them (None: that reporter sent no report)."""

    zone_slug: str
    zone_name: str
    kind: str
    kind_label: str
    developer_hours: float | None
    developer_share: float | None
    tenant_hours: float | None
    tenant_share: float | None

    @property
    def total(self) -> float:
        return (self.developer_hours or 0) + (self.tenant_hours or 0)
