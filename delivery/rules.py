"""Announced vs delivered: each zone's promises held against what its records show.

The pure arithmetic, on plain inputs, with no ORM: ``delivery.inputs`` reads the inputs of
many zones in a fixed number of queries, ``delivery.charts`` and its siblings draw the results.

Definitions (the pages state them too):

- **Promise**: the statements of one metric for one zone; for completion dates, of one
  named milestone (a newer date for another milestone does not restate this one). Every
  statement is kept; the one announced last is the **current target**.
- **Delivered**, from the records:
  ``jobs`` — jobs actual reported by firms holding land (allotted, building or operating);
  ``investment_usd`` — investment of those firms; ``exports_usd`` — their annual exports;
  ``firms_operating`` — firms whose status is operating; ``completion_date`` — the named
  milestone's actual date. The firm sums are the national dashboard's headline sums.
- **Share** = delivered ÷ current target value (not capped at 1; none when the target is 0).
- **Gap** = current target − delivered (positive: short of the promise).
- **Days late** (completion dates) = (actual date, or today while not delivered) − promised date.
- **Delivery** of a zone (the finder's ``sort=delivery``) = its jobs share; a zone with no
  jobs target has none.
- A **new export market** is counted in the first year a firm holding land listed it: the
  year of the firm's first annual return listing it, where one does; otherwise (no return
  names it) the year the firm was allotted its plot stands in for it.

The records below are plain dataclasses, not frozen ones, only because building the tens of
thousands a national page needs costs ten times as much frozen; nothing here changes them.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from zones.vocabulary import FirmStatus, TargetMetric

JOBS = TargetMetric.JOBS.value
INVESTMENT_USD = TargetMetric.INVESTMENT_USD.value
FIRMS_OPERATING = TargetMetric.FIRMS_OPERATING.value
EXPORTS_USD = TargetMetric.EXPORTS_USD.value
COMPLETION_DATE = TargetMetric.COMPLETION_DATE.value

#: Metrics whose target is a quantity, in the order pages show them.
VALUE_METRICS: tuple[str, ...] = (JOBS, INVESTMENT_USD, FIRMS_OPERATING, EXPORTS_USD)
METRICS: tuple[str, ...] = (*VALUE_METRICS, COMPLETION_DATE)
#: The metric whose share ranks zones ("delivery").
RANKING_METRIC = JOBS

OPERATING = FirmStatus.OPERATING.value

# A promise's standing.
MET = "met"  # delivered in full (completion: on or before the promised date)
MET_LATE = "met_late"  # completion delivered after the promised date
MISSED = "missed"  # the promised date has passed and it is not delivered in full
PENDING = "pending"  # not delivered in full, promised date still ahead
NO_DEADLINE = "no_deadline"  # not delivered in full, no date was promised
UNKNOWN = "unknown"  # cannot be judged: no value, or the milestone is not recorded
STATUSES: tuple[str, ...] = (MET, MET_LATE, MISSED, PENDING, NO_DEADLINE, UNKNOWN)

ZERO = Decimal(0)
_ANNOUNCED_ON = operator.attrgetter("announced_on")


@dataclass(slots=True)
class Statement:
    """One announcement of a target: what was promised, by when, by whom, and where it says so."""

    metric: str
    announced_on: datetime.date
    value: Decimal | None = None
    target_date: datetime.date | None = None
    milestone_code: str = ""
    announced_by: str = ""
    source_url: str = ""
    notes: str = ""


@dataclass(slots=True)
class MilestoneFact:
    """A recorded milestone that a completion-date target names."""

    code: str
    title: str
    actual_date: datetime.date | None
    planned_date: datetime.date | None = None
    is_illustrative: bool = False


@dataclass(slots=True)
class Delivered:
    """What a zone's records show, already summed.

    ``*_reported`` count the firms holding land that reported the figure, so a sum of
    nothing is told apart from a reported zero; ``illustrative_firms`` counts the firms
    behind these sums that were invented for the demo."""

    jobs: int = 0
    jobs_reported: int = 0
    investment_usd: Decimal = ZERO
    investment_reported: int = 0
    exports_usd: Decimal = ZERO
    exports_reported: int = 0
    firms_operating: int = 0
    illustrative_firms: int = 0
    milestones: Mapping[str, MilestoneFact] = field(default_factory=dict)

    def value(self, metric: str) -> Decimal:
        return Decimal(
            {
                JOBS: self.jobs,
                INVESTMENT_USD: self.investment_usd,
                EXPORTS_USD: self.exports_usd,
                FIRMS_OPERATING: self.firms_operating,
            }[metric]
        )

    def reported(self, metric: str) -> int | None:
        """How many firms reported the figure; None for counts (always known)."""
        return {
            JOBS: self.jobs_reported,
            INVESTMENT_USD: self.investment_reported,
            EXPORTS_USD: self.exports_reported,
        }.get(metric)

    def __add__(self, other: Delivered) -> Delivered:
        return Delivered(
            jobs=self.jobs + other.jobs,
            jobs_reported=self.jobs_reported + other.jobs_reported,
            investment_usd=self.investment_usd + other.investment_usd,
            investment_reported=self.investment_reported + other.investment_reported,
            exports_usd=self.exports_usd + other.exports_usd,
            exports_reported=self.exports_reported + other.exports_reported,
            firms_operating=self.firms_operating + other.firms_operating,
            illustrative_firms=self.illustrative_firms + other.illustrative_firms,
        )


@dataclass(slots=True)
class ZoneInputs:
    """One zone's statements and delivered figures."""

    zone_id: int
    slug: str
    name: str
    province: str
    statements: Sequence[Statement]
    delivered: Delivered


@dataclass(slots=True)
class Promise:
    """One metric (or one milestone's completion) of a zone: its current target against what
    was delivered, and every earlier statement of it."""

    metric: str
    milestone_code: str
    milestone_title: str
    history: tuple[Statement, ...]  # oldest first; the last is the current target
    delivered: Decimal | None  # value metrics
    reported: int | None  # firms that reported the figure (jobs, investment, exports)
    delivered_on: datetime.date | None  # completion dates
    milestone_recorded: bool
    share: float | None
    gap: Decimal | None
    days_late: int | None
    days_since_announced: int
    days_since_first_announced: int
    due_passed: bool | None
    status: str

    @property
    def current(self) -> Statement:
        return self.history[-1]

    @property
    def first(self) -> Statement:
        return self.history[0]

    @property
    def restated(self) -> bool:
        return len(self.history) > 1

    @property
    def is_value(self) -> bool:
        return self.metric in VALUE_METRICS


@dataclass
class ZoneDelivery:
    """A zone's promises, value metrics first (in ``VALUE_METRICS`` order), then completion
    dates by promised date."""

    zone_id: int
    slug: str
    name: str
    province: str
    promises: tuple[Promise, ...]
    delivered: Delivered

    def promise(self, metric: str, milestone_code: str = "") -> Promise | None:
        return self._by_key.get((metric, milestone_code))

    @functools.cached_property
    def _by_key(self) -> dict[tuple[str, str], Promise]:
        return {(p.metric, p.milestone_code): p for p in self.promises}

    @functools.cached_property
    def delivery_share(self) -> float | None:
        """Jobs delivered as a share of the current jobs target (the finder's ``delivery``)."""
        promise = self.promise(RANKING_METRIC)
        return None if promise is None else promise.share


def _history(statements: Iterable[Statement]) -> dict[tuple[str, str], tuple[Statement, ...]]:
    series: dict[tuple[str, str], list[Statement]] = {}
    for statement in statements:
        code = statement.milestone_code if statement.metric == COMPLETION_DATE else ""
        series.setdefault((statement.metric, code), []).append(statement)
    for items in series.values():
        items.sort(key=_ANNOUNCED_ON)
    return {key: tuple(items) for key, items in series.items()}


def _value_promise(
    metric: str, history: tuple[Statement, ...], delivered: Delivered, today: datetime.date
) -> Promise:
    current = history[-1]
    amount = delivered.value(metric)
    target = current.value
    share = float(amount / target) if target is not None and target > 0 else None
    gap = None if target is None else target - amount
    due_passed = None if current.target_date is None else current.target_date < today
    if target is None:
        status = UNKNOWN
    elif amount >= target:
        status = MET
    elif due_passed is None:
        status = NO_DEADLINE
    else:
        status = MISSED if due_passed else PENDING
    return Promise(
        metric=metric,
        milestone_code="",
        milestone_title="",
        history=history,
        delivered=amount,
        reported=delivered.reported(metric),
        delivered_on=None,
        milestone_recorded=False,
        share=share,
        gap=gap,
        days_late=None,
        days_since_announced=(today - current.announced_on).days,
        days_since_first_announced=(today - history[0].announced_on).days,
        due_passed=due_passed,
        status=status,
    )


def _completion_promise(
    code: str, history: tuple[Statement, ...], delivered: Delivered, today: datetime.date
) -> Promise:
    current = history[-1]
    milestone = delivered.milestones.get(code) if code else None
    actual = milestone.actual_date if milestone else None
    promised = current.target_date
    due_passed = None if promised is None else promised < today
    days_late = None
    if milestone is not None and promised is not None:
        days_late = ((actual or today) - promised).days
    if milestone is None:
        status = UNKNOWN
    elif actual is not None:
        status = MET if promised is None or actual <= promised else MET_LATE
    elif promised is None:
        status = NO_DEADLINE
    else:
        status = MISSED if due_passed else PENDING
    return Promise(
        metric=COMPLETION_DATE,
        milestone_code=code,
        milestone_title=milestone.title if milestone else "",
        history=history,
        delivered=None,
        reported=None,
        delivered_on=actual,
        milestone_recorded=milestone is not None,
        share=None,
        gap=None,
        days_late=days_late,
        days_since_announced=(today - current.announced_on).days,
        days_since_first_announced=(today - history[0].announced_on).days,
        due_passed=due_passed,
        status=status,
    )


def compute_delivery(inputs: ZoneInputs, *, today: datetime.date) -> ZoneDelivery:
    """Hold each of the zone's current targets against what was delivered by ``today``."""
    values: list[Promise] = []
    completions: list[Promise] = []
    for (metric, code), history in _history(inputs.statements).items():
        if metric in VALUE_METRICS:
            values.append(_value_promise(metric, history, inputs.delivered, today))
        elif metric == COMPLETION_DATE:
            completions.append(_completion_promise(code, history, inputs.delivered, today))
    values.sort(key=lambda p: VALUE_METRICS.index(p.metric))
    completions.sort(key=lambda p: (p.current.target_date or datetime.date.max, p.milestone_code))
    return ZoneDelivery(
        zone_id=inputs.zone_id,
        slug=inputs.slug,
        name=inputs.name,
        province=inputs.province,
        promises=(*values, *completions),
        delivered=inputs.delivered,
    )


def rank_by_delivery(deliveries: Iterable[ZoneDelivery]) -> list[ZoneDelivery]:
    """Zones by delivery (jobs share), highest first; zones with no jobs target last, by name."""
    return sorted(
        deliveries,
        key=lambda d: (d.delivery_share is None, -(d.delivery_share or 0.0), d.name, d.zone_id),
    )


# --- Totals ------------------------------------------------------------------------------


@dataclass(slots=True)
class MetricTotal:
    """One value metric over many zones: the sum of their current targets against what the
    same zones delivered, and what every zone delivered (with a target or not)."""

    metric: str
    zones: int
    announced: Decimal
    delivered: Decimal
    delivered_everywhere: Decimal
    #: Coverage: how many firm records reported the delivered figure in those zones; None
    #: for counts (firms operating), which every record answers.
    records: int | None = None

    @property
    def share(self) -> float | None:
        return float(self.delivered / self.announced) if self.announced > 0 else None

    @property
    def gap(self) -> Decimal:
        return self.announced - self.delivered


@dataclass(slots=True)
class CompletionTotals:
    """Completion-date promises (current targets) by standing."""

    by_status: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


@dataclass(slots=True)
class DeliveryTotals:
    metrics: tuple[MetricTotal, ...]
    completions: CompletionTotals
    zones_with_targets: int


def delivery_totals(deliveries: Sequence[ZoneDelivery], *, everywhere: Delivered) -> DeliveryTotals:
    """Totals announced vs delivered for each value metric, and completion promises by
    standing. ``everywhere`` is what all the zones delivered, targets or not."""
    metrics = []
    for metric in VALUE_METRICS:
        promises = [p for d in deliveries if (p := d.promise(metric)) and p.current.value]
        metrics.append(
            MetricTotal(
                metric=metric,
                zones=len(promises),
                announced=sum((p.current.value for p in promises), ZERO),
                delivered=sum((p.delivered or ZERO for p in promises), ZERO),
                delivered_everywhere=everywhere.value(metric),
                records=None
                if everywhere.reported(metric) is None
                else sum(p.reported or 0 for p in promises),
            )
        )
    counts = Counter(
        p.status for d in deliveries for p in d.promises if p.metric == COMPLETION_DATE
    )
    return DeliveryTotals(
        metrics=tuple(metrics),
        completions=CompletionTotals({status: counts.get(status, 0) for status in STATUSES}),
        zones_with_targets=sum(1 for d in deliveries if d.promises),
    )


# --- Export markets ------------------------------------------------------------------------


@dataclass(slots=True)
class MarketFact:
    """One destination market (ISO 3166-1 alpha-2): the firms holding land that list it, the
    annual exports those firms report (all markets together: the split by market is not
    recorded), and the first year one of them listed it (its first return listing it, else
    its allotment year)."""

    market: str
    firms: int
    exports_usd: Decimal | None
    first_year: int | None


@dataclass(slots=True)
class NewMarketsYear:
    year: int
    new: int
    total: int
    markets: tuple[str, ...]


def new_markets_by_year(markets: Iterable[MarketFact]) -> tuple[list[NewMarketsYear], int]:
    """How many markets are new each year (see the module's definition), with the running
    total, every year from the first to the last; and how many markets have no known year."""
    by_year: dict[int, list[str]] = {}
    undated = 0
    for fact in markets:
        if fact.first_year is None:
            undated += 1
        else:
            by_year.setdefault(fact.first_year, []).append(fact.market)
    if not by_year:
        return [], undated
    rows = []
    total = 0
    for year in range(min(by_year), max(by_year) + 1):
        new = sorted(by_year.get(year, []))
        total += len(new)
        rows.append(NewMarketsYear(year, len(new), total, tuple(new)))
    return rows, undated
