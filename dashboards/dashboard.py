"""Assemble a dashboard page: the selectors read the aggregates, the builders draw them.

A page is described by the zones it covers (already narrowed by the finder's filter set);
the number of queries does not depend on how many zones that is."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import QuerySet
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _

from aggregates.selectors import Freshness, freshness
from zones import plot_rules
from zones.models import Province, Zone, counted_q

from . import charts, plot_charts, plot_selectors, readiness_charts, readiness_selectors, selectors
from .data import FirmSummary, OverdueMilestones, ProvinceArea, ZoneSummary
from .figures import RenderedChart, render

PROVINCES_GEOJSON = "geo/pakistan_provinces.json"
BASE_MAP_TOPOJSON = "geo/asia_50m.json"
#: How many of each province's zones the national page lists (most ready first).
ZONES_LISTED_PER_PROVINCE = 10
#: How many zones a province page lists (most ready first).
ZONES_LISTED_ON_PROVINCE_PAGE = 100


@dataclass(frozen=True)
class Headline:
    zones: ZoneSummary
    firms: FirmSummary
    disputes_open: int
    disputes_acres: float | None
    disputes_without_acres: int
    overdue: OverdueMilestones


@dataclass(frozen=True)
class ProvinceSection:
    """A province's zones as the page lists them: the first few, and how many there are."""

    province: Province
    zones: list[Zone]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.zones)


@dataclass(frozen=True)
class Dashboard:
    headline: Headline
    charts: list[RenderedChart]
    sections: list[ProvinceSection]
    #: When the aggregate tables the figures are read from were brought up to date.
    freshness: Freshness


def build(
    zones: QuerySet[Zone],
    *,
    provinces: list[Province],
    province: Province | None,
    rows_url: str,
    today: datetime.date | None = None,
    include_illustrative: bool = False,
    whole: bool = False,
) -> Dashboard:
    """Every headline figure and chart of the national page (``province`` None) or of one
    province's page, for ``zones``: real records only, unless ``include_illustrative``.
    ``whole``: ``zones`` are every published zone of the page, unfiltered, so the sums
    that have province rollups are read from those."""
    today = today or timezone.localdate()
    counted = {"include_illustrative": include_illustrative}
    zones = zones.filter(counted_q(**counted)).order_by()
    summary = selectors.zone_summary(zones)
    rolled = {
        **counted,
        "whole": selectors.Whole.of(province, whole),
    }
    firms = selectors.firm_summary(zones, **rolled)
    disputes = selectors.open_disputes_by_province(zones, provinces, **rolled)
    overdue = selectors.overdue_milestones(zones, **rolled)
    by = "district" if province else "province"
    groups = readiness_selectors.readiness_by_group(zones, by=by)
    points = readiness_selectors.zone_points(zones, total=summary.total)
    history = readiness_selectors.readiness_history(
        zones,
        by="all" if province else "province",
        names={p.code: str(p) for p in provinces},
    )
    slippage = selectors.milestone_slippage(zones, **rolled)
    utilities = selectors.utility_counts(zones, zone_count=summary.total, **rolled)
    zone_counts = selectors.zone_counts_by_province(zones)
    allocation = plot_selectors.allocation_by_province(zones, provinces, **rolled)
    idle = plot_selectors.idle_plots(
        zones, by="zone" if province else "province", provinces=provinces, today=today, **rolled
    )
    clock = plot_selectors.clock_by_provider(zones, today=today, **rolled)
    outages = plot_selectors.outages_by_zone(zones, **rolled)
    listed = (
        selectors.zones_ranked(zones, limit=ZONES_LISTED_ON_PROVINCE_PAGE)
        if province
        else selectors.zones_ranked(zones, per_province=ZONES_LISTED_PER_PROVINCE)
    )

    areas = [
        ProvinceArea(p.code, str(p), zone_counts.get(p.code, 0))
        for p in provinces
        if province is None or p.code == province.code
    ]
    group_title = _("District") if province else _("Province")
    built = [
        charts.status_funnel(summary),
        readiness_charts.readiness_distribution(
            groups, None if points.truncated else points.points, by=by, group_title=group_title
        ),
        readiness_charts.zone_map(
            points,
            areas,
            geojson_url=static(PROVINCES_GEOJSON),
            bounds=province_bounds(province.code) if province else readiness_charts.PAKISTAN_BOUNDS,
        ),
        charts.milestone_slippage(slippage, limit=selectors.SLIPPAGE_ZONES),
        charts.zones_by_utility_status(utilities, zone_count=summary.total),
        charts.disputes_by_province(disputes),
        charts.firms_by_origin(firms),
        readiness_charts.readiness_over_time(
            history, all_label=str(province) if province else _("All zones")
        ),
        plot_charts.allocation_by_province(allocation),
        plot_charts.idle_plots(
            idle,
            group_title=_("Zone") if province else _("Province"),
            limit=plot_selectors.IDLE_ZONES if province else None,
        ),
        plot_charts.utility_clock(clock, limit=plot_selectors.CLOCK_ROWS),
        plot_charts.outage_hours(
            outages, window_label=outage_window_label(today), limit=plot_selectors.OUTAGE_ZONES
        ),
    ]
    headline = Headline(
        zones=summary,
        firms=firms,
        disputes_open=sum(d.count for d in disputes),
        disputes_acres=sum(d.acres for d in disputes if d.acres is not None)
        if any(d.acres is not None for d in disputes)
        else None,
        disputes_without_acres=sum(d.without_acres for d in disputes),
        overdue=overdue,
    )
    return Dashboard(
        headline=headline,
        charts=[
            render(
                chart,
                rows_url=rows_url,
                base_map=static(BASE_MAP_TOPOJSON) if chart.key == "zone-map" else None,
            )
            for chart in built
        ],
        sections=[
            ProvinceSection(
                p, [z for z in listed if z.province_id == p.code], zone_counts.get(p.code, 0)
            )
            for p in provinces
            if province is None or p.code == province.code
        ],
        freshness=freshness(),
    )


def outage_window_label(today: datetime.date) -> str:
    """The outage window (``zones.plot_rules.outage_window``) in words."""
    start, end = plot_rules.outage_window(today)
    last = end - datetime.timedelta(days=1)
    return _("from %(start)s to %(end)s") % {
        "start": start.strftime("%Y-%m"),
        "end": last.strftime("%Y-%m"),
    }


@cache
def _province_geometry() -> dict[str, list[tuple[float, float]]]:
    path = finders.find(PROVINCES_GEOJSON) or Path(settings.BASE_DIR) / "static" / PROVINCES_GEOJSON
    with open(path, encoding="utf-8") as handle:
        collection = json.load(handle)
    points: dict[str, list[tuple[float, float]]] = {}
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        points[feature["id"]] = [tuple(xy) for polygon in polygons for xy in polygon[0]]
    return points


def province_bounds(code: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """The map window for one province: its boundary's extent with a margin."""
    points = _province_geometry().get(code)
    if not points:
        return readiness_charts.PAKISTAN_BOUNDS
    lons = [x for x, _y in points]
    lats = [y for _x, y in points]
    margin = max(max(lons) - min(lons), max(lats) - min(lats)) * 0.1 + 0.3
    return (
        (min(lons) - margin, max(lons) + margin),
        (min(lats) - margin, max(lats) + margin),
    )
