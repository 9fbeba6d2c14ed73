"""Reads for the dashboards' plot figures (DOMAIN.md, version 2): allocation by province, idle
plots by age, the utility clock by provider and kind, outage hours by zone. One grouped query
each, whatever the number of zones, over the zones a page shows (already narrowed by the
finder's filters), real records only unless illustrative ones are asked for (``counted_q``).

Every figure is spelled once: the aggregates come from ``zones.plot_selectors`` (the same
that feed the API and the zone page) and the arithmetic from ``zones.plot_rules``."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Count, DateField, F, Func, IntegerField, Min, Q, QuerySet, Sum, Value
from django.utils import timezone

from zones import plot_rules
from zones.models import OutageReport, Plot, Province, UtilityRequest, Zone, counted_q
from zones.plot_selectors import (
    Median,
    clock_aggregates,
    clock_figures_of,
    idle_q,
    outage_aggregates,
    outage_figures_of,
    outage_window_q,
    plot_aggregates,
    plot_totals_of,
)
from zones.vocabulary import PlotStatus, Reporter, RequestKind

from .data import IdlePlots, PlotAllocation, ProviderClock, ZoneOutages

#: What the allocation chart needs of ``zones.plot_selectors.plot_aggregates``.
ALLOCATION_FIGURES = ("saleable_acres", "available_acres", "allotted_acres", "held_acres")
#: The idle-plots chart of a province page lists this many zones at most (the most idle).
IDLE_ZONES = 15
#: The outage chart shows this many zones at most (the most hours reported).
OUTAGE_ZONES = 15
#: The utility clock shows this many provider and kind pairs at most (the most requests).
CLOCK_ROWS = 30


def _float(value) -> float | None:
    return None if value is None else float(value)


def allocation_by_province(
    zones: QuerySet[Zone],
    provinces: Sequence[Province],
    *,
    today: datetime.date | None = None,
    include_illustrative: bool = False,
) -> list[PlotAllocation]:
    """Each province's saleable, reserved, allotted and available acres and allocation rate;
    provinces whose zones record no plots are left out. One query."""
    today = today or timezone.localdate()
    rows = {
        row["zone__province_id"]: row
        for row in Plot.objects.filter(
            counted_q(include_illustrative=include_illustrative), zone__in=zones
        )
        .values("zone__province_id")
        .annotate(plots=Count("id"), **plot_aggregates(today, only=ALLOCATION_FIGURES))
        .order_by()
    }
    result = []
    for province in provinces:
        row = rows.get(province.code)
        if row is None:
            continue
        totals = plot_totals_of(row)
        figures = plot_rules.plot_figures(totals)
        result.append(
            PlotAllocation(
                province.code,
                str(province),
                row["plots"],
                float(figures.saleable_acres),
                float((totals.held_acres or 0) - figures.allotted_acres),
                float(figures.allotted_acres),
                float(figures.available_acres),
                _float(figures.allocation_rate),
            )
        )
    return result


def _days_since(today: datetime.date, column: str) -> Func:
    """Whole days from a date column to ``today`` (``zones.plot_rules.age_days``)."""
    return Func(
        Value(today, output_field=DateField()),
        F(column),
        template="(%(expressions)s)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )


def idle_plots(
    zones: QuerySet[Zone],
    *,
    by: str,
    provinces: Sequence[Province] = (),
    today: datetime.date | None = None,
    include_illustrative: bool = False,
    limit: int = IDLE_ZONES,
) -> list[IdlePlots]:
    """Idle plots per province (``by="province"``: every province with allotted plots, in
    ``provinces``' order) or per zone (``by="zone"``: the ``limit`` zones with the most idle
    plots), with their acres, their ages by band, the median and the oldest age. One query."""
    today = today or timezone.localdate()
    idle = idle_q(today)
    bands = {}
    for index, band in enumerate(plot_rules.IDLE_AGE_BANDS):
        earliest, before = plot_rules.band_allotted_on(band, today)
        in_band = Q(allotted_on__lt=before) & (
            Q() if earliest is None else Q(allotted_on__gte=earliest)
        )
        bands[f"band_{index}"] = Count("id", filter=idle & in_band)
    group = ["zone__province_id"] if by == "province" else ["zone_id", "zone__slug", "zone__name"]
    rows = (
        Plot.objects.filter(
            counted_q(include_illustrative=include_illustrative),
            zone__in=zones,
            status=PlotStatus.ALLOTTED,
        )
        .values(*group)
        .annotate(
            allotted=Count("id"),
            idle=Count("id", filter=idle),
            idle_acres=Sum("acres", filter=idle),
            median_age=Median(_days_since(today, "allotted_on"), filter=idle),
            earliest=Min("allotted_on", filter=idle),
            **bands,
        )
    )

    def item(key: str, label: str, row: dict) -> IdlePlots:
        return IdlePlots(
            key,
            label,
            row["allotted"],
            row["idle"],
            float(row["idle_acres"] or 0),
            tuple(row[f"band_{i}"] for i in range(len(plot_rules.IDLE_AGE_BANDS))),
            _float(row["median_age"]),
            None if row["earliest"] is None else plot_rules.age_days(row["earliest"], today),
        )

    if by == "province":
        found = {row["zone__province_id"]: row for row in rows.order_by()}
        return [item(p.code, str(p), found[p.code]) for p in provinces if p.code in found]
    rows = rows.filter(idle__gt=0).order_by("-idle", "zone__name", "zone_id")[:limit]
    return [item(row["zone__slug"], row["zone__name"], row) for row in rows]


def clock_by_provider(
    zones: QuerySet[Zone],
    *,
    today: datetime.date | None = None,
    include_illustrative: bool = False,
    limit: int = CLOCK_ROWS,
) -> list[ProviderClock]:
    """The utility clock per kind and provider across the zones: connected requests and
    their median days to connect, waiting requests and the oldest one's age. Pairs with
    only withdrawn requests are left out; at most ``limit`` pairs, those with the most
    requests. One query."""
    today = today or timezone.localdate()
    rows = (
        UtilityRequest.objects.filter(
            counted_q(include_illustrative=include_illustrative), zone__in=zones
        )
        .values("kind", "provider")
        .annotate(**clock_aggregates())
        .order_by("kind", "provider")
    )
    result = []
    for row in rows:
        figures = clock_figures_of(row, today)
        if not (figures.connected or figures.waiting):
            continue
        result.append(
            ProviderClock(
                row["kind"],
                str(RequestKind(row["kind"]).label),
                row["provider"],
                figures.connected,
                _float(figures.median_days_to_connect),
                figures.waiting,
                figures.oldest_waiting_days,
            )
        )
    if len(result) > limit:
        kept = sorted(result, key=lambda r: -(r.connected + r.waiting))[:limit]
        result = [r for r in result if r in kept]
    kinds = [kind.value for kind in RequestKind]
    return sorted(result, key=lambda r: (kinds.index(r.kind), r.provider.casefold()))


def outages_by_zone(
    zones: QuerySet[Zone],
    *,
    today: datetime.date | None = None,
    include_illustrative: bool = False,
    limit: int = OUTAGE_ZONES,
) -> list[ZoneOutages]:
    """Hours without supply over the last 12 whole months, developer beside tenants, per
    kind, for the ``limit`` zones with the most hours reported in that window (developer's
    and tenants' added, for ranking only). One query."""
    today = today or timezone.localdate()
    reports = OutageReport.objects.filter(
        counted_q(include_illustrative=include_illustrative), zone__in=zones
    )
    worst = (
        reports.filter(outage_window_q(today))
        .values("zone_id")
        .annotate(total=Sum("hours"))
        .filter(total__gt=0)
        .order_by("-total", "zone_id")
        .values("zone_id")[:limit]
    )
    rows = (
        reports.filter(zone_id__in=worst)
        .values("zone__slug", "zone__name", "kind", "reported_by")
        .annotate(**outage_aggregates(today))
        .order_by()
    )
    lines: dict[tuple[str, str], dict] = {}
    for row in rows:
        figures = outage_figures_of(row)
        line = lines.setdefault(
            (row["zone__slug"], row["kind"]),
            {"zone_slug": row["zone__slug"], "zone_name": row["zone__name"], "kind": row["kind"]},
        )
        prefix = "developer" if row["reported_by"] == Reporter.DEVELOPER else "tenant"
        line[f"{prefix}_hours"] = float(figures.hours_12m)
        line[f"{prefix}_share"] = _float(figures.share_12m)
    result = [
        ZoneOutages(
            line["zone_slug"],
            line["zone_name"],
            line["kind"],
            str(RequestKind(line["kind"]).label),
            line.get("developer_hours"),
            line.get("developer_share"),
            line.get("tenant_hours"),
            line.get("tenant_share"),
        )
        for line in lines.values()
    ]
    totals: dict[str, float] = {}
    for line in result:
        totals[line.zone_slug] = totals.get(line.zone_slug, 0) + line.total
    kinds = [kind.value for kind in RequestKind]
    return sorted(
        result,
        key=lambda r: (-totals[r.zone_slug], r.zone_name, r.zone_slug, kinds.index(r.kind)),
    )
