"""What each aggregate table sums, from which records: one ``Tally`` per table.

A tally's ``rows(today)`` is a grouped queryset over its records whose columns are named
after the table's fields (``zone_id``, ``is_illustrative``, the keys, the sums). The same
query writes one zone's rows after an edit and every zone's rows in the nightly rebuild
(``aggregates.services``), so the two cannot disagree; the tests compare what the
dashboards read from these rows with the same figures computed from the records.

A new tally is a model in ``aggregates.models`` and an entry in ``TALLIES``; the record
models it lists are followed (``aggregates.signals``) from then on."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    Model,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, Lag

from investors.models import AnnualReturn, Firm, idle_q
from investors.return_selectors import year_sums
from zones.models import (
    LandDispute,
    Milestone,
    OutageReport,
    Plot,
    ReadinessSnapshot,
    UtilityConnection,
    UtilityRequest,
    overdue_q,
)
from zones.plot_selectors import (
    ALLOTTED,
    TIMED_CONNECTION,
    clock_aggregates,
    days_between,
    days_to_connect,
    outage_aggregates,
    plot_aggregates,
    unbuilt_q,
)
from zones.vocabulary import (
    CLOSED_MILESTONE_STATUSES,
    LAND_HOLDING_FIRM_STATUSES,
    OPEN_DISPUTE_STATUSES,
    MilestoneStatus,
    RequestStatus,
)

from . import models

#: A tally row's copy of its zone's province and flags, and where they come from.
ZONE_COLUMNS = {
    "province_id": "province_id",
    "zone_published": "published",
    "zone_illustrative": "is_illustrative",
}


@dataclass(frozen=True)
class Tally:
    """One aggregate table: its model, the grouped query that fills it, the record models
    whose writes change it, and the columns that depend on the day (not drift when they
    change overnight)."""

    model: type[Model]
    rows: Callable[[datetime.date], QuerySet]
    records: tuple[type[Model], ...]
    dated_columns: frozenset[str] = field(default_factory=frozenset)
    #: The province rollup of the same sums (``ProvinceTally``), if the pages read one.
    rollup: type[Model] | None = None
    #: Columns of the tally the rollup groups by beside its keys (a histogram's value).
    rollup_by: tuple[str, ...] = ()
    #: A rollup column counting the zone rows of each rollup row, if it has one.
    rollup_counts: str | None = None
    #: Columns of the zone rows the rollup does not carry (a zone's own figure).
    unsummed: frozenset[str] = field(default_factory=frozenset)

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def keys(self) -> list[str]:
        """The columns naming a row (its unique constraint): the zone, illustrative, keys."""
        (unique,) = self.model._meta.constraints
        return [self.model._meta.get_field(name).column for name in unique.fields]

    @property
    def columns(self) -> list[str]:
        """The table's columns but its id, in the order its rows are written."""
        return [f.column for f in self.model._meta.concrete_fields if not f.primary_key]

    @property
    def sums(self) -> list[str]:
        """The columns a rollup adds up: all but the keys, the zone's province and flags and
        what the rollup groups by."""
        named = {*self.keys, *ZONE_COLUMNS, *self.rollup_by, *self.unsummed}
        return [c for c in self.columns if c not in named]

    @property
    def rollup_keys(self) -> list[str]:
        """The columns naming a rollup row: the province and flags, then the tally's keys."""
        return [*ZONE_COLUMNS, *(c for c in self.keys if c != "zone_id"), *self.rollup_by]

    @property
    def rollup_sums(self) -> dict[str, str]:
        """Each column of the rollup that adds up, and its SQL over the tally's zone rows. A
        column that may be null (no record gives the field) keeps the sum of the rows giving
        it, 0 when none does, and beside it how many rows give it (``<column>_zones``): a
        rollup row is added to and taken from, so it cannot hold a null the way a sum does;
        its readers make the null again."""
        nullable = {f.column for f in self.model._meta.concrete_fields if f.null}
        sums: dict[str, str] = {}
        for column in self.sums:
            if column in nullable:
                sums[column] = f"coalesce(sum({column}), 0)"
                sums[f"{column}_zones"] = f"count({column})"
            else:
                sums[column] = f"sum({column})"
        if self.rollup_counts:
            sums[self.rollup_counts] = "count(*)"
        return sums


def _zero(aggregate, output_field=None):
    """A sum that is 0, not NULL, over no rows (a tally row always holds a number)."""
    return Coalesce(aggregate, Value(0), output_field=output_field or IntegerField())


def firm_rows(today: datetime.date) -> QuerySet:
    holding = Q(status__in=LAND_HOLDING_FIRM_STATUSES)
    money = DecimalField(max_digits=20, decimal_places=2)
    return (
        Firm.objects.with_origin_group()
        .values("zone_id", "is_illustrative", "status", origin_group=F("origin_group_code"))
        .annotate(
            firms=Count("id"),
            idle=Count("id", filter=idle_q(today)),
            jobs=_zero(Sum("jobs_actual", filter=holding)),
            jobs_reported=Count("jobs_actual", filter=holding),
            # Each count before the sum named after its field, which then hides the field.
            exports_reported=Count("exports_usd", filter=holding),
            exports_usd=_zero(Sum("exports_usd", filter=holding), money),
            investment_reported=Count("investment_usd", filter=holding),
            investment_usd=_zero(Sum("investment_usd", filter=holding), money),
        )
        .order_by()
    )


def milestone_rows(today: datetime.date) -> QuerySet:
    still_open = ~Q(status__in=CLOSED_MILESTONE_STATUSES)
    return (
        Milestone.objects.values("zone_id", "is_illustrative", "responsible")
        .annotate(
            open=Count("id", filter=still_open),
            dated=Count("id", filter=still_open & Q(planned_date__isnull=False)),
            overdue=Count("id", filter=overdue_q(today)),
        )
        .order_by()
    )


def slippage_rows(today: datetime.date) -> QuerySet:
    return (
        Milestone.objects.filter(baseline_date__isnull=False)
        .exclude(status=MilestoneStatus.CANCELLED)
        .annotate(ends=Coalesce("actual_date", "planned_date"))
        .filter(ends__isnull=False)
        .values(
            "zone_id",
            "is_illustrative",
            "responsible",
            measure=Case(
                When(actual_date__isnull=False, then=Value("actual")),
                default=Value("plan"),
                output_field=CharField(),
            ),
        )
        .annotate(
            worst_days=Max(days_between("ends", "baseline_date")),
            milestones=Count("id"),
            overdue=Count("id", filter=overdue_q(today)),
        )
        .order_by()
    )


def utility_rows(today: datetime.date) -> QuerySet:
    return (
        UtilityConnection.objects.values("zone_id", "is_illustrative", "kind", "status")
        .annotate(records=Count("id"))
        .order_by()
    )


def dispute_rows(today: datetime.date) -> QuerySet:
    return (
        LandDispute.objects.filter(status__in=OPEN_DISPUTE_STATUSES)
        .values("zone_id", "is_illustrative")
        .annotate(
            disputes=Count("id"),
            acres=_zero(Sum("affected_acres"), DecimalField(max_digits=14, decimal_places=2)),
            without_acres=Count("id", filter=Q(affected_acres__isnull=True)),
        )
        .order_by()
    )


def return_rows(today: datetime.date) -> QuerySet:
    zone = {"partition_by": [F("zone_id")]}
    return (
        year_sums(AnnualReturn.objects.all(), "zone_id", "is_illustrative")
        .annotate(
            zone_latest_year=OverGroups(Max("year"), **zone),
            zone_latest_real_year=OverGroups(Max("year", filter=Q(is_illustrative=False)), **zone),
        )
        .order_by()
    )


class Unnest(Func):
    """PostgreSQL's ``unnest(array)``: one row per element (grouping by it is allowed)."""

    function = "unnest"
    output_field = CharField()


def return_market_rows(today: datetime.date) -> QuerySet:
    return (
        AnnualReturn.objects.values("zone_id", "is_illustrative", market=Unnest("export_markets"))
        .annotate(first_year=Min("year"))
        .order_by()
    )


class First(Func):
    """The first element of an array (PostgreSQL arrays count from 1)."""

    template = "(%(expressions)s)[1]"


class OverGroups(Window):
    """A window over a grouped query's rows, partitioned and ordered by its grouping keys.
    It adds nothing to the GROUP BY: Django's own ``Window`` adds the window's column there
    when its expression is an aggregate, which PostgreSQL refuses."""

    def get_group_by_cols(self):
        return []


def readiness_rows(today: datetime.date) -> QuerySet:
    score = DecimalField(max_digits=4, decimal_places=1)
    # The day's last score; snapshots taken at the same moment are ordered by id, as the
    # dashboards always ordered them.
    last = First(ArrayAgg("score", order_by=("-computed_at", "-id")), output_field=score)
    return (
        # The day as the database session counts it (``date_trunc`` reads it back so).
        ReadinessSnapshot.objects.annotate(day=Cast("computed_at", DateField()))
        .values("zone_id", "day")
        .annotate(
            score=last,
            previous=OverGroups(Lag("score"), partition_by=F("zone_id"), order_by=F("day").asc()),
            first_at=Min("computed_at"),
            last_at=Max("computed_at"),
        )
        .order_by()
    )


def market_rows(today: datetime.date) -> QuerySet:
    money = DecimalField(max_digits=20, decimal_places=2)
    return (
        models.FirmMarket.objects.filter(status__in=LAND_HOLDING_FIRM_STATUSES)
        .values("zone_id", "is_illustrative", "market")
        .annotate(
            firms=Count("firm_id"),
            # The count before the sum named after its field, which then hides the field.
            exports_reported=Count("exports_usd"),
            exports_usd=_zero(Sum("exports_usd"), money),
            first_year=Min(Coalesce("returned_year", "allotted_year")),
            first_year_with_illustrative=Min(
                Coalesce("returned_year_with_illustrative", "allotted_year")
            ),
        )
        .order_by()
    )


#: The sums of ``zones.plot_selectors.plot_aggregates`` a plot tally row keeps.
PLOT_SUMS = ("saleable_acres", "available_acres", "allotted_acres", "held_acres")
ACRES = DecimalField(**models.ACRES)


def plot_rows(today: datetime.date) -> QuerySet:
    sums = plot_aggregates(today, only=PLOT_SUMS)
    return (
        Plot.objects.values("zone_id", "is_illustrative")
        .annotate(
            plots=Count("id"),
            **{name: _zero(total, ACRES) for name, total in sums.items()},
            allotted_plots=Count("id", filter=ALLOTTED),
        )
        .order_by()
    )


def unbuilt_plot_rows(today: datetime.date) -> QuerySet:
    return (
        Plot.objects.filter(unbuilt_q(), allotted_on__isnull=False)
        .values("zone_id", "is_illustrative", "allotted_on")
        .annotate(plots=Count("id"), acres=Sum("acres"))
        .order_by()
    )


def request_rows(today: datetime.date) -> QuerySet:
    return (
        UtilityRequest.objects.filter(status__in=[RequestStatus.CONNECTED, RequestStatus.WAITING])
        .values("zone_id", "is_illustrative", "kind", "provider")
        .annotate(**clock_aggregates(only=("connected", "waiting", "earliest_waiting_applied_on")))
        .order_by()
    )


def connection_days_rows(today: datetime.date) -> QuerySet:
    return (
        UtilityRequest.objects.filter(TIMED_CONNECTION)
        .values("zone_id", "is_illustrative", "kind", "provider", days=days_to_connect())
        .annotate(requests=Count("id"))
        .order_by()
    )


def outage_rows(today: datetime.date) -> QuerySet:
    hours = DecimalField(max_digits=10, decimal_places=1)
    sums = outage_aggregates(today)
    return (
        OutageReport.objects.values("zone_id", "is_illustrative", "kind", "reported_by")
        .annotate(
            hours_12m=_zero(sums["hours_12m"], hours),
            reported_month_hours=_zero(sums["reported_month_hours"]),
        )
        .order_by()
    )


# A return's writes change its firm's jobs, exports and markets (triggers in
# investors.models), not through the firm's signals: the firm tallies follow returns too.
TALLIES: tuple[Tally, ...] = (
    Tally(
        models.FirmTally,
        firm_rows,
        (Firm, AnnualReturn),
        frozenset({"idle"}),
        models.ProvinceFirmTally,
    ),
    Tally(models.MarketTally, market_rows, (Firm, AnnualReturn)),
    Tally(
        models.MilestoneTally,
        milestone_rows,
        (Milestone,),
        frozenset({"overdue"}),
        models.ProvinceMilestoneTally,
    ),
    Tally(models.SlippageTally, slippage_rows, (Milestone,), frozenset({"overdue"})),
    Tally(
        models.UtilityTally,
        utility_rows,
        (UtilityConnection,),
        rollup=models.ProvinceUtilityTally,
    ),
    Tally(models.DisputeTally, dispute_rows, (LandDispute,), rollup=models.ProvinceDisputeTally),
    Tally(
        models.ReturnTally,
        return_rows,
        (AnnualReturn,),
        rollup=models.ProvinceReturnTally,
        unsummed=frozenset({"zone_latest_year", "zone_latest_real_year"}),
    ),
    Tally(
        models.ReturnMarketTally,
        return_market_rows,
        (AnnualReturn,),
        rollup=models.ProvinceReturnMarketTally,
        rollup_by=("first_year",),
        rollup_counts="zones",
    ),
    Tally(models.ReadinessTally, readiness_rows, (ReadinessSnapshot,)),
    Tally(models.PlotTally, plot_rows, (Plot,), rollup=models.ProvincePlotTally),
    Tally(
        models.UnbuiltPlotTally,
        unbuilt_plot_rows,
        (Plot,),
        rollup=models.ProvinceUnbuiltPlotTally,
    ),
    Tally(models.RequestTally, request_rows, (UtilityRequest,)),
    Tally(
        models.ConnectionDaysTally,
        connection_days_rows,
        (UtilityRequest,),
        rollup=models.ProvinceConnectionDaysTally,
    ),
    Tally(
        models.OutageTally,
        outage_rows,
        (OutageReport,),
        frozenset({"hours_12m", "reported_month_hours"}),
    ),
)


def record_models() -> list[type[Model]]:
    """Every record model some tally sums, once each."""
    return list(dict.fromkeys(model for tally in TALLIES for model in tally.records))
