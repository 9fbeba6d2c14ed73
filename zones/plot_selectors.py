"""Reads for the plot indicators, the utility clock and outages: one grouped query each,
whatever the number of zones (sums, counts and medians in PostgreSQL), turned into figures
by the pure rules in ``zones.plot_rules``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from django.db import models
from django.db.models import Aggregate, Count, F, Func, Max, Min, Q, Sum
from django.utils import timezone

from . import plot_rules
from .models import OutageReport, Plot, UtilityRequest, counted_q
from .models.plots import DaysInMonth, offered_q
from .vocabulary import (
    FIRM_HOLDING_PLOT_STATUSES,
    NON_SALEABLE_LAND_USES,
    PlotStatus,
    RequestKind,
    RequestStatus,
)


class Median(Aggregate):
    """The median (PostgreSQL's continuous percentile: the mean of the middle two)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = models.DecimalField()


def days_between(later: str, earlier: str) -> Func:
    """Whole days from ``earlier`` to ``later`` (date minus date is an integer in SQL)."""
    return Func(F(later), F(earlier), template="(%(expressions)s)", arg_joiner=" - ",
                output_field=models.IntegerField())  # fmt: skip


SALEABLE = ~Q(land_use__in=NON_SALEABLE_LAND_USES)
AVAILABLE = offered_q()
ALLOTTED = Q(status=PlotStatus.ALLOTTED)


def _median(value):
    return None if value is None else plot_rules.median([value])


def unbuilt_q(prefix: str = "") -> Q:
    """Allotted plots with no construction start and no production start: idle once their
    allotment is old enough (:func:`idle_q`)."""
    return Q(
        **{
            f"{prefix}status": PlotStatus.ALLOTTED,
            f"{prefix}construction_started_on__isnull": True,
            f"{prefix}production_started_on__isnull": True,
        }
    )


def idle_q(today: datetime.date, prefix: str = "") -> Q:
    """Idle plots (``zones.plot_rules.is_idle``): allotted more than 365 days before
    ``today``, with no construction start and no production start."""
    return unbuilt_q(prefix) & Q(**{f"{prefix}allotted_on__lt": plot_rules.idle_before(today)})


def plot_aggregates(
    today: datetime.date, only: Iterable[str] | None = None
) -> dict[str, Aggregate]:
    """The sums, counts and median behind ``zones.plot_rules.PlotTotals``, for any grouping
    (a zone, a province, a whole country): the one SQL spelling of the plot indicators.
    ``only`` names the figures wanted (all by default): a median costs a sort."""
    aggregates = {
        "saleable_acres": Sum("acres", filter=SALEABLE & ~Q(status=PlotStatus.CANCELLED)),
        "available_acres": Sum("acres", filter=AVAILABLE),
        "allotted_acres": Sum("acres", filter=ALLOTTED),
        "held_acres": Sum("acres", filter=Q(status__in=FIRM_HOLDING_PLOT_STATUSES)),
        "largest_available_plot_acres": Max("acres", filter=AVAILABLE),
        "idle_plots": Count("id", filter=idle_q(today)),
        "producing_plots": Count("id", filter=ALLOTTED & Q(production_started_on__isnull=False)),
        "plot_records": Count("id"),
        "median_days_allotment_to_production": Median(
            days_between("production_started_on", "allotted_on"),
            filter=ALLOTTED & Q(allotted_on__isnull=False, production_started_on__isnull=False),
        ),
    }
    return aggregates if only is None else {name: aggregates[name] for name in only}


def plot_totals_of(row: dict) -> plot_rules.PlotTotals:
    """A row annotated with :func:`plot_aggregates` (or some of them: the others keep their
    defaults) as the rules' totals."""
    values = {
        item.name: row[item.name] for item in fields(plot_rules.PlotTotals) if item.name in row
    }
    if "median_days_allotment_to_production" in values:
        values["median_days_allotment_to_production"] = _median(
            values["median_days_allotment_to_production"]
        )
    for name in ("idle_plots", "producing_plots"):
        if name in values:
            values[name] = values[name] or 0
    return plot_rules.PlotTotals(**values)


def plot_figures_by_zone(
    zone_ids: Iterable[int],
    *,
    today: datetime.date | None = None,
    include_illustrative: bool = False,
) -> dict[int, plot_rules.PlotFigures]:
    """Every given zone's plot figures (zones without plots get zeros and nulls); illustrative
    plots only with ``include_illustrative`` (``counted_q``). One query."""
    today = today or timezone.localdate()
    ids = list(zone_ids)
    rows = (
        Plot.objects.filter(counted_q(include_illustrative=include_illustrative), zone_id__in=ids)
        .values("zone_id")
        .annotate(**plot_aggregates(today))
        .order_by()
    )
    totals = {row["zone_id"]: plot_totals_of(row) for row in rows}
    return {
        zone_id: plot_rules.plot_figures(totals.get(zone_id, plot_rules.PlotTotals()))
        for zone_id in ids
    }


@dataclass
class ClockRow:
    """The clock for one kind (and provider, when grouped by provider)."""

    kind: str
    provider: str
    figures: plot_rules.ClockFigures

    @property
    def label(self) -> str:
        return str(RequestKind(self.kind).label)


#: Connected requests with their connection date: those ``median_days_to_connect`` is over.
TIMED_CONNECTION = Q(status=RequestStatus.CONNECTED, connected_on__isnull=False)


def days_to_connect() -> Func:
    """A request's whole days from application to connection (over ``TIMED_CONNECTION``)."""
    return days_between("connected_on", "applied_on")


def clock_aggregates(only: Iterable[str] | None = None) -> dict[str, Aggregate]:
    """The counts, median and earliest date behind ``zones.plot_rules.ClockTotals``, for any
    grouping (a zone's kinds, a provider's kinds across zones). ``only`` names the figures
    wanted (all by default)."""
    connected = Q(status=RequestStatus.CONNECTED)
    waiting = Q(status=RequestStatus.WAITING)
    aggregates = {
        "connected": Count("id", filter=connected),
        "median_days_to_connect": Median(days_to_connect(), filter=TIMED_CONNECTION),
        "waiting": Count("id", filter=waiting),
        "earliest_waiting_applied_on": Min("applied_on", filter=waiting),
    }
    return aggregates if only is None else {name: aggregates[name] for name in only}


def clock_figures_of(row: dict, today: datetime.date) -> plot_rules.ClockFigures:
    """A row annotated with :func:`clock_aggregates` as the rules' figures."""
    totals = plot_rules.ClockTotals(
        connected=row["connected"],
        median_days_to_connect=_median(row["median_days_to_connect"]),
        waiting=row["waiting"],
        earliest_waiting_applied_on=row["earliest_waiting_applied_on"],
    )
    return plot_rules.clock_figures(totals, today)


def clock_by_zone(
    zone_ids: Iterable[int],
    *,
    by_provider: bool = False,
    today: datetime.date | None = None,
    include_illustrative: bool = False,
) -> dict[int, list[ClockRow]]:
    """Each zone's utility clock per kind (and provider); kinds without requests are absent.
    Illustrative requests only with ``include_illustrative``."""
    today = today or timezone.localdate()
    group = ["zone_id", "kind", *(["provider"] if by_provider else [])]
    rows = (
        UtilityRequest.objects.filter(
            counted_q(include_illustrative=include_illustrative), zone_id__in=list(zone_ids)
        )
        .values(*group)
        .annotate(**clock_aggregates())
        .order_by(*group)
    )
    result: dict[int, list[ClockRow]] = {}
    for row in rows:
        result.setdefault(row["zone_id"], []).append(
            ClockRow(row["kind"], row.get("provider", ""), clock_figures_of(row, today))
        )
    return result


@dataclass
class OutageRow:
    kind: str
    reported_by: str
    figures: plot_rules.OutageFigures


def outage_window_q(today: datetime.date) -> Q:
    """Reports of the 12 whole months before ``today``'s month (``plot_rules.outage_window``)."""
    start, end = plot_rules.outage_window(today)
    return Q(month__gte=start, month__lt=end)


def outage_aggregates(today: datetime.date) -> dict[str, Aggregate]:
    """The sums behind ``zones.plot_rules.OutageTotals``, for any grouping that includes the
    kind and the reporter."""
    window = outage_window_q(today)
    return {
        "hours_12m": Sum("hours", filter=window),
        "reported_month_hours": Sum(DaysInMonth(F("month")) * 24, filter=window),
    }


def outage_figures_of(row: dict) -> plot_rules.OutageFigures:
    """A row annotated with :func:`outage_aggregates` as the rules' figures."""
    return plot_rules.outage_figures_from(
        plot_rules.OutageTotals(
            hours_12m=row["hours_12m"] or plot_rules.ZERO,
            reported_month_hours=row["reported_month_hours"] or 0,
        )
    )


def outages_by_zone(
    zone_ids: Iterable[int],
    *,
    today: datetime.date | None = None,
    include_illustrative: bool = False,
) -> dict[int, list[OutageRow]]:
    """Each zone's outage hours and share over the last 12 whole months, per kind and
    reporter; those without any report are absent. Illustrative reports only with
    ``include_illustrative``. One query."""
    rows = (
        OutageReport.objects.filter(
            counted_q(include_illustrative=include_illustrative), zone_id__in=list(zone_ids)
        )
        .values("zone_id", "kind", "reported_by")
        .annotate(**outage_aggregates(today or timezone.localdate()))
        .order_by("zone_id", "kind", "reported_by")
    )
    result: dict[int, list[OutageRow]] = {}
    for row in rows:
        result.setdefault(row["zone_id"], []).append(
            OutageRow(row["kind"], row["reported_by"], outage_figures_of(row))
        )
    return result


@dataclass
class ZonePlotIndicators:
    """Everything the API and the zone page publish about one zone's plots and supply."""

    plots: plot_rules.PlotFigures
    clock: list[ClockRow] = field(default_factory=list)
    outages: list[OutageRow] = field(default_factory=list)

    def clock_by_kind(self) -> dict[str, plot_rules.ClockFigures]:
        return {row.kind: row.figures for row in self.clock}

    def outages_by_kind(self) -> dict[str, dict[str, plot_rules.OutageFigures]]:
        result: dict[str, dict[str, plot_rules.OutageFigures]] = {}
        for row in self.outages:
            result.setdefault(row.kind, {})[row.reported_by] = row.figures
        return result


def zone_plot_indicators(
    zone_id: int, *, today: datetime.date | None = None, include_illustrative: bool = False
) -> ZonePlotIndicators:
    """One zone's figures for the API (clock per kind), real records only unless
    ``include_illustrative``: three queries."""
    today = today or timezone.localdate()
    counted = {"today": today, "include_illustrative": include_illustrative}
    return ZonePlotIndicators(
        plots=plot_figures_by_zone([zone_id], **counted)[zone_id],
        clock=clock_by_zone([zone_id], **counted).get(zone_id, []),
        outages=outages_by_zone([zone_id], **counted).get(zone_id, []),
    )
