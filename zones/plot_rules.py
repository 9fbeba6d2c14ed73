"""The plot, utility-clock and outage indicators of DOMAIN.md (version 2), as pure arithmetic.

Two ways in, one set of rules. The selectors (``zones.plot_selectors``) sum, count and take
medians in PostgreSQL, grouped by zone, and hand the totals to :func:`plot_figures`,
:func:`clock_figures` and :func:`outage_figures`, which turn them into the published
figures (ratios half-up to 4 decimals, nulls where a denominator is empty). The reference
functions (:func:`plot_indicators`, :func:`utility_clock`, :func:`outages`) compute the same
figures from plain records; the tests hold the SQL to them and both to hand calculations.

The definitions, as DOMAIN.md states them ("today" is the server's date):

- ``saleable_acres``: plots whose land use is not amenity and status is not cancelled;
- ``available_acres``: available non-amenity plots; ``allotted_acres``: allotted plots;
- ``allocation_rate``: (reserved + allotted acres) ÷ saleable acres; null when saleable is 0;
- ``largest_available_plot_acres``: the largest available non-amenity plot; null when none;
- ``idle_plots``: allotted plots allotted more than 365 days ago with no construction start
  and no production start; ``producing_plots``: allotted plots with a production start;
- ``median_days_allotment_to_production``: over allotted plots with both dates;
- utility clock, per kind: ``connected``, ``median_days_to_connect`` (connected on − applied
  on over connected requests), ``waiting``, ``oldest_waiting_days`` (today − the earliest
  applied on among waiting requests; null when none);
- outages, per kind and reporter: ``hours_12m`` over the 12 whole months before the current
  month, ``share_12m`` = hours_12m ÷ the hours of those months that have a report (null
  when none has).

A median of an even count is the mean of the middle two (so it may end in .5 days).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from zones.vocabulary import (
    FIRM_HOLDING_PLOT_STATUSES,
    IDLE_PLOT_AFTER_DAYS,
    NON_SALEABLE_LAND_USES,
    PlotStatus,
    RequestStatus,
    hours_in_month,
)

RATIO_PLACES = Decimal("0.0001")
MEDIAN_PLACES = Decimal("0.1")
ZERO = Decimal(0)


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """numerator ÷ denominator, half-up to 4 decimals; None when the denominator is 0."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATIO_PLACES, ROUND_HALF_UP)


def median(values: Iterable[float | int | Decimal]) -> Decimal | None:
    """The middle value; for an even count the mean of the middle two. None when empty."""
    ordered = sorted(Decimal(value) for value in values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    odd = len(ordered) % 2
    value = ordered[middle] if odd else (ordered[middle - 1] + ordered[middle]) / 2
    return value.quantize(MEDIAN_PLACES, ROUND_HALF_UP)


def idle_before(today: datetime.date) -> datetime.date:
    """A plot allotted before this day (more than 365 days ago) can be idle."""
    return today - datetime.timedelta(days=IDLE_PLOT_AFTER_DAYS)


#: Idle plots by their age (whole days since allotment): over 1 year up to 2, over 2 up to 3,
#: over 3. Each band is (more than, at most); the first starts where a plot becomes idle.
IDLE_AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (IDLE_PLOT_AFTER_DAYS, 730),
    (730, 1095),
    (1095, None),
)


def age_days(allotted_on: datetime.date, today: datetime.date) -> int:
    """A plot's age: whole days from its allotment to ``today``."""
    return (today - allotted_on).days


def idle_age_band(age: int) -> int | None:
    """The index in :data:`IDLE_AGE_BANDS` of an idle plot's age; None when not old enough."""
    for index, (above, at_most) in enumerate(IDLE_AGE_BANDS):
        if age > above and (at_most is None or age <= at_most):
            return index
    return None


def band_allotted_on(
    band: tuple[int, int | None], today: datetime.date
) -> tuple[datetime.date | None, datetime.date]:
    """The allotment dates of a band's plots as (on or after, before): the same band as
    :func:`idle_age_band`, as dates a query can compare (None: no lower bound)."""
    above, at_most = band
    earliest = None if at_most is None else today - datetime.timedelta(days=at_most)
    return earliest, today - datetime.timedelta(days=above)


def outage_window(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The 12 whole months before the current one: [first month, current month)."""
    current = today.replace(day=1)
    year, month = current.year - 1, current.month
    return datetime.date(year, month, 1), current


# --- Plots ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlotTotals:
    """One zone's plot totals, as the database sums them."""

    saleable_acres: Decimal = ZERO
    available_acres: Decimal = ZERO
    allotted_acres: Decimal = ZERO
    held_acres: Decimal = ZERO  # reserved + allotted
    largest_available_plot_acres: Decimal | None = None
    idle_plots: int = 0
    producing_plots: int = 0
    median_days_allotment_to_production: Decimal | None = None
    #: How many plot records the figures rest on (coverage).
    plot_records: int = 0


@dataclass(frozen=True)
class PlotFigures:
    saleable_acres: Decimal
    available_acres: Decimal
    allotted_acres: Decimal
    allocation_rate: Decimal | None
    largest_available_plot_acres: Decimal | None
    idle_plots: int
    producing_plots: int
    median_days_allotment_to_production: Decimal | None
    plot_records: int = 0


def plot_figures(totals: PlotTotals) -> PlotFigures:
    return PlotFigures(
        saleable_acres=totals.saleable_acres or ZERO,
        available_acres=totals.available_acres or ZERO,
        allotted_acres=totals.allotted_acres or ZERO,
        allocation_rate=ratio(totals.held_acres or ZERO, totals.saleable_acres or ZERO),
        largest_available_plot_acres=totals.largest_available_plot_acres,
        idle_plots=totals.idle_plots,
        producing_plots=totals.producing_plots,
        median_days_allotment_to_production=totals.median_days_allotment_to_production,
        plot_records=totals.plot_records,
    )


@dataclass(frozen=True)
class PlotRecord:
    acres: Decimal
    land_use: str
    status: str
    allotted_on: datetime.date | None = None
    construction_started_on: datetime.date | None = None
    production_started_on: datetime.date | None = None


def is_idle(plot: PlotRecord, today: datetime.date) -> bool:
    return (
        plot.status == PlotStatus.ALLOTTED
        and plot.allotted_on is not None
        and plot.allotted_on < idle_before(today)
        and plot.construction_started_on is None
        and plot.production_started_on is None
    )


def plot_indicators(plots: Iterable[PlotRecord], today: datetime.date) -> PlotFigures:
    """The reference: one zone's plot figures from its plot records."""
    plots = list(plots)
    saleable = [
        p for p in plots if p.land_use not in NON_SALEABLE_LAND_USES and p.status != "cancelled"
    ]
    available = [
        p
        for p in plots
        if p.status == PlotStatus.AVAILABLE and p.land_use not in NON_SALEABLE_LAND_USES
    ]
    allotted = [p for p in plots if p.status == PlotStatus.ALLOTTED]
    return plot_figures(
        PlotTotals(
            saleable_acres=sum((p.acres for p in saleable), ZERO),
            available_acres=sum((p.acres for p in available), ZERO),
            allotted_acres=sum((p.acres for p in allotted), ZERO),
            held_acres=sum(
                (p.acres for p in plots if p.status in FIRM_HOLDING_PLOT_STATUSES), ZERO
            ),
            largest_available_plot_acres=max((p.acres for p in available), default=None),
            idle_plots=sum(1 for p in plots if is_idle(p, today)),
            producing_plots=sum(1 for p in allotted if p.production_started_on is not None),
            median_days_allotment_to_production=median(
                (p.production_started_on - p.allotted_on).days
                for p in allotted
                if p.allotted_on is not None and p.production_started_on is not None
            ),
            plot_records=len(plots),
        )
    )


# --- The utility clock ---------------------------------------------------------------------


@dataclass(frozen=True)
class ClockTotals:
    """One zone's requests of one kind (and provider, where grouped so), as summed."""

    connected: int = 0
    median_days_to_connect: Decimal | None = None
    waiting: int = 0
    earliest_waiting_applied_on: datetime.date | None = None


@dataclass(frozen=True)
class ClockFigures:
    connected: int
    median_days_to_connect: Decimal | None
    waiting: int
    oldest_waiting_days: int | None


def clock_figures(totals: ClockTotals, today: datetime.date) -> ClockFigures:
    earliest = totals.earliest_waiting_applied_on
    return ClockFigures(
        connected=totals.connected,
        median_days_to_connect=totals.median_days_to_connect,
        waiting=totals.waiting,
        oldest_waiting_days=None if earliest is None else (today - earliest).days,
    )


@dataclass(frozen=True)
class RequestRecord:
    kind: str
    status: str
    applied_on: datetime.date
    connected_on: datetime.date | None = None


def utility_clock(
    requests: Iterable[RequestRecord], today: datetime.date
) -> dict[str, ClockFigures]:
    """The reference: one zone's clock per kind; kinds without requests are absent."""
    by_kind: dict[str, list[RequestRecord]] = defaultdict(list)
    for request in requests:
        by_kind[request.kind].append(request)
    result = {}
    for kind, records in sorted(by_kind.items()):
        connected = [r for r in records if r.status == RequestStatus.CONNECTED]
        waiting = [r for r in records if r.status == RequestStatus.WAITING]
        result[kind] = clock_figures(
            ClockTotals(
                connected=len(connected),
                median_days_to_connect=median(
                    (r.connected_on - r.applied_on).days for r in connected if r.connected_on
                ),
                waiting=len(waiting),
                earliest_waiting_applied_on=min((r.applied_on for r in waiting), default=None),
            ),
            today,
        )
    return result


# --- Outages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutageTotals:
    """One zone's reports of one kind and reporter in the 12-month window, as summed."""

    hours_12m: Decimal = ZERO
    reported_month_hours: int = 0  # the hours of the window's months that have a report


@dataclass(frozen=True)
class OutageFigures:
    hours_12m: Decimal
    share_12m: Decimal | None


def outage_figures_from(totals: OutageTotals) -> OutageFigures:
    hours = totals.hours_12m or ZERO
    return OutageFigures(hours_12m=hours, share_12m=ratio(hours, totals.reported_month_hours))


@dataclass(frozen=True)
class OutageRecord:
    kind: str
    month: datetime.date
    reported_by: str
    hours: Decimal


def outages(
    reports: Iterable[OutageRecord], today: datetime.date
) -> dict[str, dict[str, OutageFigures]]:
    """The reference: per kind and reporter; those without any report are absent."""
    start, end = outage_window(today)
    totals: dict[tuple[str, str], list[OutageRecord]] = defaultdict(list)
    for report in reports:
        totals[(report.kind, report.reported_by)].append(report)
    result: dict[str, dict[str, OutageFigures]] = {}
    for (kind, reporter), records in sorted(totals.items()):
        window = [r for r in records if start <= r.month < end]
        result.setdefault(kind, {})[reporter] = outage_figures_from(
            OutageTotals(
                hours_12m=sum((r.hours for r in window), ZERO),
                reported_month_hours=sum(
                    hours_in_month(r.month.year, r.month.month) for r in window
                ),
            )
        )
    return result
