"""Reads for the dashboards' plot figures (DOMAIN.md, version 2): allocation by province, idle
plots by age, the utility clock by provider and kind, outage hours by zone. Each reads only
the aggregate tables (``aggregates.models``) and the zones table, over the zones a page shows
(already narrowed by the finder's filters), real records only unless illustrative ones are
asked for (``counted_q``): a filtered page is a sum over the matching zones' rows. One or two
small grouped queries each, whatever the number of zones.

Every figure is spelled once: what the rows sum comes from ``zones.plot_selectors`` (through
``aggregates.tallies``, the same SQL that feeds the API and the zone page) and the arithmetic
from ``zones.plot_rules``, medians included (exact, from the tables' histograms)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Min, Q, QuerySet, Sum
from django.utils import timezone

from aggregates.medians import middle_values
from aggregates.models import (
    ConnectionDaysTally,
    OutageTally,
    PlotTally,
    ProvinceConnectionDaysTally,
    ProvincePlotTally,
    ProvinceUnbuiltPlotTally,
    RequestTally,
    UnbuiltPlotTally,
)
from aggregates.tallies import PLOT_SUMS
from zones import plot_rules
from zones.models import Province, Zone
from zones.plot_selectors import outage_figures_of, plot_totals_of
from zones.vocabulary import Reporter, RequestKind

from .data import IdlePlots, PlotAllocation, ProviderClock, ZoneOutages
from .selectors import Whole, tally_rows, zone_rows

#: The idle-plots chart of a province page lists this many zones at most (the most idle).
IDLE_ZONES = 15
#: The outage chart shows this many zones at most (the most hours reported).
OUTAGE_ZONES = 15
#: The utility clock shows this many provider and kind pairs at most (the most requests).
CLOCK_ROWS = 30


def _float(value) -> float | None:
    return None if value is None else float(value)


def _sums(*columns: str) -> dict[str, Sum]:
    """Sums of tally columns, named ``total_<column>`` (an annotation may not take a field's
    name); :func:`_totals` gives them their names back."""
    return {f"total_{column}": Sum(column) for column in columns}


def _totals(row: dict) -> dict:
    return {key.removeprefix("total_"): value for key, value in row.items()}


def allocation_by_province(
    zones: QuerySet[Zone],
    provinces: Sequence[Province],
    *,
    include_illustrative: bool = False,
    whole: Whole | None = None,
) -> list[PlotAllocation]:
    """Each province's saleable, reserved, allotted and available acres and allocation rate;
    provinces whose zones record no plots are left out. One query, over the plot tallies of
    ``zones`` or, for a ``whole`` page, their province rollups."""
    group = _province_key(whole)
    rows = {
        row[group]: _totals(row)
        for row in tally_rows(PlotTally, ProvincePlotTally, zones, whole, include_illustrative)
        .values(group)
        .annotate(**_sums("plots", *PLOT_SUMS))
        .order_by()
    }
    result = []
    for province in provinces:
        row = rows.get(province.code)
        if row is None or not row["plots"]:  # no plots, or a rollup row whose plots all went
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


def _province_key(whole: Whole | None) -> str:
    """How a tally row names its province: its zone's (the zones' own rows: the province the
    zone is in now), or the rollup row's own."""
    return "zone__province_id" if whole is None else "province_id"


def _median(middle: tuple[object, object] | None, days) -> Decimal | None:
    """The median of a histogram from its middle two values (``aggregates.medians``), each
    counted in days by ``days``."""
    return None if middle is None else plot_rules.median(map(days, middle))


def idle_plots(
    zones: QuerySet[Zone],
    *,
    by: str,
    provinces: Sequence[Province] = (),
    today: datetime.date | None = None,
    include_illustrative: bool = False,
    limit: int = IDLE_ZONES,
    whole: Whole | None = None,
) -> list[IdlePlots]:
    """Idle plots per province (``by="province"``: every province with allotted plots, in
    ``provinces``' order) or per zone (``by="zone"``: the ``limit`` zones with the most idle
    plots), with their acres, their ages by band, the median and the oldest age. Three
    queries: the idle plots (the zones ranked first), how many are allotted, the medians;
    per province of a ``whole`` page, over the province rollups."""
    today = today or timezone.localdate()
    if by == "province":
        idle = tally_rows(
            UnbuiltPlotTally, ProvinceUnbuiltPlotTally, zones, whole, include_illustrative
        )
        allotted = tally_rows(PlotTally, ProvincePlotTally, zones, whole, include_illustrative)
    else:  # the zones are ranked: their own rows
        idle = zone_rows(UnbuiltPlotTally, zones, whole, include_illustrative)
        allotted = zone_rows(PlotTally, zones, whole, include_illustrative)
    idle = idle.filter(allotted_on__lt=plot_rules.idle_before(today), plots__gt=0)
    allotted = allotted.filter(allotted_plots__gt=0)
    bands = {}
    for index, band in enumerate(plot_rules.IDLE_AGE_BANDS):
        earliest, before = plot_rules.band_allotted_on(band, today)
        in_band = Q(allotted_on__lt=before) & (
            Q() if earliest is None else Q(allotted_on__gte=earliest)
        )
        bands[f"band_{index}"] = Sum("plots", filter=in_band)
    figures = {
        **_sums("plots", "acres"),
        **bands,
        "earliest": Min("allotted_on"),
    }
    if by == "province":
        group = _province_key(whole)
        found = {row[group]: row for row in idle.values(group).annotate(**figures).order_by()}
    else:
        group = "zone_id"
        ranked = (
            idle.values(group, "zone__slug", "zone__name")
            .annotate(**figures)
            .order_by("-total_plots", "zone__name", "zone_id")[:limit]
        )
        found = {row[group]: row for row in ranked}
        # The ranking again as a subquery, not the ids found: as many queries with none.
        idle = idle.filter(zone_id__in=ranked.values(group))
        allotted = allotted.filter(zone_id__in=ranked.values(group))
    counts = dict(
        allotted.values(group).annotate(total=Sum("allotted_plots")).values_list(group, "total")
    )
    middles = middle_values(idle, keys=[group], value="allotted_on", count="plots")

    def item(key: str, label: str, group_key) -> IdlePlots:
        row = found.get(group_key, {})
        earliest = row.get("earliest")
        return IdlePlots(
            key,
            label,
            counts.get(group_key, 0),
            row.get("total_plots") or 0,
            float(row.get("total_acres") or 0),
            tuple(row.get(f"band_{i}") or 0 for i in range(len(plot_rules.IDLE_AGE_BANDS))),
            _float(_median(middles.get(group_key), lambda day: plot_rules.age_days(day, today))),
            None if earliest is None else plot_rules.age_days(earliest, today),
        )

    if by == "province":
        return [item(p.code, str(p), p.code) for p in provinces if counts.get(p.code)]
    return [item(row["zone__slug"], row["zone__name"], zone_id) for zone_id, row in found.items()]


def clock_by_provider(
    zones: QuerySet[Zone],
    *,
    today: datetime.date | None = None,
    include_illustrative: bool = False,
    limit: int = CLOCK_ROWS,
    whole: Whole | None = None,
) -> list[ProviderClock]:
    """The utility clock per kind and provider across the zones: connected requests and
    their median days to connect, waiting requests and the oldest one's age. Pairs with
    only withdrawn requests are left out; at most ``limit`` pairs, those with the most
    requests. Two queries: the counts, and the medians of the days to connect (for a
    ``whole`` page from the histograms' province rollups)."""
    today = today or timezone.localdate()
    middles = middle_values(
        tally_rows(
            ConnectionDaysTally, ProvinceConnectionDaysTally, zones, whole, include_illustrative
        ),
        keys=["kind", "provider"],
        value="days",
        count="requests",
    )
    rows = (
        zone_rows(RequestTally, zones, whole, include_illustrative)
        .values("kind", "provider")
        .annotate(**_sums("connected", "waiting"), earliest=Min("earliest_waiting_applied_on"))
        .order_by("kind", "provider")
    )
    result = []
    for row in rows:
        totals = plot_rules.ClockTotals(
            connected=row["total_connected"],
            median_days_to_connect=_median(middles.get((row["kind"], row["provider"])), int),
            waiting=row["total_waiting"],
            earliest_waiting_applied_on=row["earliest"],
        )
        figures = plot_rules.clock_figures(totals, today)
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
    include_illustrative: bool = False,
    limit: int = OUTAGE_ZONES,
    whole: Whole | None = None,
) -> list[ZoneOutages]:
    """Hours without supply over the last 12 whole months (those before the month the rows
    were counted in: the nightly rebuild moves the window), developer beside tenants, per
    kind, for the ``limit`` zones with the most hours reported in that window (developer's
    and tenants' added, for ranking only). One query."""
    tallies = zone_rows(OutageTally, zones, whole, include_illustrative)
    worst = (
        tallies.values("zone_id")
        .annotate(total=Sum("hours_12m"))
        .filter(total__gt=0)
        .order_by("-total", "zone_id")
        .values("zone_id")[:limit]
    )
    rows = (
        tallies.filter(zone_id__in=worst)
        .values("zone__slug", "zone__name", "kind", "reported_by")
        .annotate(**_sums("hours_12m", "reported_month_hours"))
        .order_by()
    )
    lines: dict[tuple[str, str], dict] = {}
    for row in map(_totals, rows):
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
