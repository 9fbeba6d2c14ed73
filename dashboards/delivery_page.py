"""Assemble the "announced vs delivered" pages: ``zones.delivery_selectors`` reads, the pure
core holds each promise against the records, ``dashboards.delivery`` draws. The number of
queries does not depend on how many zones a page covers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from zones import delivery as core
from zones import delivery_selectors as selectors
from zones.models import Zone

from . import delivery as builders
from .dashboard import RenderedChart, render

#: How many zones the national page's table lists, best delivery first (the finder has all).
ZONES_LISTED = 100


@dataclass(frozen=True)
class NationalDelivery:
    """Everything the national page shows: totals, charts and the zones ranked by delivery."""

    totals: core.DeliveryTotals
    everywhere: core.Delivered
    ranked: list[core.ZoneDelivery]
    ranked_total: int
    charts: list[RenderedChart]
    markets: int


@dataclass(frozen=True)
class ZoneDeliverySection:
    """A zone page's section: the zone's promises, its export markets and their charts."""

    delivery: core.ZoneDelivery
    markets: list[core.MarketFact]
    charts: list[RenderedChart]


def build_national(
    zones: QuerySet[Zone], *, rows_url: str, today: datetime.date | None = None
) -> NationalDelivery:
    """The national page for ``zones`` (already narrowed by the finder's filters). Five queries."""
    today = today or timezone.localdate()
    inputs = selectors.delivery_inputs(zones)
    deliveries = [core.compute_delivery(i, today=today) for i in inputs.zones]
    everywhere = inputs.everywhere
    markets = selectors.export_markets(zones)
    years, undated = core.new_markets_by_year(markets)
    totals = core.delivery_totals(deliveries, everywhere=everywhere)
    ranked = core.rank_by_delivery(deliveries)
    built = [
        builders.delivery_ranking(deliveries),
        builders.delivery_totals(totals),
        builders.promise_age(deliveries),
        builders.completion_promises(deliveries),
        builders.export_markets(markets),
        builders.new_markets(years, undated=undated),
    ]
    return NationalDelivery(
        totals=totals,
        everywhere=everywhere,
        ranked=ranked[:ZONES_LISTED],
        ranked_total=len(ranked),
        charts=[render(chart, rows_url=rows_url) for chart in built],
        markets=len(markets),
    )


def build_zone(zone: Zone, *, today: datetime.date | None = None) -> ZoneDeliverySection:
    """The zone page's section. Five queries; no chart when the zone has neither a target nor
    an export market."""
    today = today or timezone.localdate()
    found = selectors.zone_delivery(zone, today=today)
    markets = selectors.export_markets(Zone.objects.filter(pk=zone.pk))
    built: list[tuple] = []
    if found.promises:
        built += [
            (builders.zone_delivery(found), "#firms"),
            (builders.zone_target_history(found, today=today), "#target-statements"),
        ]
    if markets:
        years, undated = core.new_markets_by_year(markets)
        built += [
            (builders.export_markets(markets, key="zone-export-markets"), "#firms"),
            (builders.new_markets(years, undated=undated, key="zone-new-markets"), "#firms"),
        ]
    return ZoneDeliverySection(
        delivery=found,
        markets=markets,
        charts=[render(chart, rows_url=anchor) for chart, anchor in built],
    )
