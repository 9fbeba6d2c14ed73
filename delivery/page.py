"""Assemble the "announced vs delivered" pages: ``delivery.inputs`` reads, the pure core
(``delivery.rules``) holds each promise against the records, ``delivery.charts`` and its
siblings draw, ``dashboards.figures`` renders. The number of queries does not depend on how
many zones a page covers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from aggregates.selectors import Freshness, freshness
from dashboards.figures import RenderedChart, render
from zones.models import Zone
from zones.reported import ReportedFigure, reported_beside_recorded

from . import charts, inputs, market_charts, rules, timing_charts

#: How many zones the national page's table lists, best delivery first (the finder has all).
ZONES_LISTED = 100


@dataclass(frozen=True)
class NationalDelivery:
    """Everything the national page shows: totals, charts and the zones ranked by delivery."""

    totals: rules.DeliveryTotals
    everywhere: rules.Delivered
    ranked: list[rules.ZoneDelivery]
    ranked_total: int
    charts: list[RenderedChart]
    markets: int
    #: Totals reported by an authority beside the records' sums, with coverage.
    reported: list[ReportedFigure]
    #: When the aggregate tables the delivered figures are read from were brought up to date.
    freshness: Freshness

    @property
    def reported_by_zone(self) -> dict[int, dict[str, ReportedFigure]]:
        """The latest reported total per zone and metric, to set beside delivered figures."""
        return by_zone_and_metric(self.reported)


@dataclass(frozen=True)
class ZoneDeliverySection:
    """A zone page's section: the zone's promises, its export markets and their charts."""

    delivery: rules.ZoneDelivery
    markets: list[rules.MarketFact]
    charts: list[RenderedChart]
    #: The latest total an authority reported per metric, beside what the records deliver.
    reported: dict[str, ReportedFigure] = field(default_factory=dict)


def by_zone_and_metric(figures: list[ReportedFigure]) -> dict[int, dict[str, ReportedFigure]]:
    """``figures`` (latest reports) keyed by zone id, then metric."""
    found: dict[int, dict[str, ReportedFigure]] = {}
    for figure in figures:
        found.setdefault(figure.zone_id, {})[figure.metric] = figure
    return found


def build_national(
    zones: QuerySet[Zone],
    *,
    rows_url: str,
    today: datetime.date | None = None,
    include_illustrative: bool = False,
) -> NationalDelivery:
    """The national page for ``zones`` (already narrowed by the finder's filters): real
    records only unless ``include_illustrative``. Eight queries (six without a reported
    total)."""
    today = today or timezone.localdate()
    read = inputs.delivery_inputs(zones, include_illustrative=include_illustrative)
    deliveries = [rules.compute_delivery(i, today=today) for i in read.zones]
    everywhere = read.everywhere
    markets = inputs.export_markets(zones, include_illustrative=include_illustrative)
    years, undated = rules.new_markets_by_year(markets)
    totals = rules.delivery_totals(deliveries, everywhere=everywhere)
    ranked = rules.rank_by_delivery(deliveries)
    built = [
        charts.delivery_ranking(deliveries),
        charts.delivery_totals_chart(totals),
        timing_charts.promise_age(deliveries),
        timing_charts.completion_promises(deliveries),
        market_charts.export_markets_chart(markets),
        market_charts.new_markets(years, undated=undated),
    ]
    return NationalDelivery(
        totals=totals,
        everywhere=everywhere,
        ranked=ranked[:ZONES_LISTED],
        ranked_total=len(ranked),
        charts=[render(chart, rows_url=rows_url) for chart in built],
        markets=len(markets),
        reported=reported_beside_recorded(zones, include_illustrative=include_illustrative),
        freshness=freshness(),
    )


def build_zone(
    zone: Zone, *, today: datetime.date | None = None, include_illustrative: bool = False
) -> ZoneDeliverySection:
    """The zone page's section (real records only unless ``include_illustrative``), with the
    latest reported totals beside the delivered figures. Seven queries (five without a
    reported total); no chart when the zone has neither a target nor an export market."""
    today = today or timezone.localdate()
    counted = {"include_illustrative": include_illustrative}
    found = inputs.zone_delivery(zone, today=today, **counted)
    markets = inputs.export_markets(Zone.objects.filter(pk=zone.pk), **counted)
    built: list[tuple] = []
    if found.promises:
        built += [
            (charts.zone_delivery_chart(found), "#firms"),
            (timing_charts.zone_target_history(found, today=today), "#target-statements"),
        ]
    if markets:
        years, undated = rules.new_markets_by_year(markets)
        built += [
            (market_charts.export_markets_chart(markets, key="zone-export-markets"), "#firms"),
            (market_charts.new_markets(years, undated=undated, key="zone-new-markets"), "#firms"),
        ]
    reported = reported_beside_recorded(Zone.objects.filter(pk=zone.pk), **counted)
    return ZoneDeliverySection(
        delivery=found,
        markets=markets,
        charts=[render(chart, rows_url=anchor) for chart, anchor in built],
        reported=by_zone_and_metric(reported).get(zone.pk, {}),
    )
