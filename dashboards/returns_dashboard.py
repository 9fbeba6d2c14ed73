"""The national and province dashboards' annual returns: employees (with the local and
women's shares) and exports against imports by year, the shares by province (by zone on a
province's page), the net foreign exchange by zone and the new export markets by year.
Kept apart from ``dashboards.dashboard`` so each feature's charts stay in their own module.

Three queries whatever the number of zones or returns, over the aggregate tables and the
zones table only (``dashboards.returns_selectors``): the yearly sums of all the page's zones
with each zone's and each province's latest year, the markets' first years, and the zones'
names. Real returns only unless ``include_illustrative``."""

from __future__ import annotations

from django.db.models import QuerySet

from investors import return_selectors
from zones.models import Province, Zone, counted_q

from . import return_charts as charts
from . import returns_selectors
from .figures import RenderedChart, render
from .return_charts import PlaceYear
from .selectors import Whole


def build_returns(
    zones: QuerySet[Zone],
    *,
    provinces: list[Province],
    province: Province | None,
    rows_url: str,
    include_illustrative: bool = False,
    whole: bool = False,
) -> list[RenderedChart]:
    """The returns charts for ``zones`` (already narrowed by the finder's filters); none when
    no zone has a counted return. ``whole``: ``zones`` are every published zone of the page,
    unfiltered (``dashboards.dashboard.build``'s)."""
    counted = {"include_illustrative": include_illustrative}
    zones = zones.filter(counted_q(**counted)).order_by()
    found = returns_selectors.returns_figures(
        zones,
        net_fx_zones=charts.MAX_ZONES,
        most_employees=charts.MAX_ZONES if province else 0,
        whole=Whole.of(province, whole),
        **counted,
    )
    years = list(found.years.values())
    if not years:
        return []
    names = return_selectors.zone_names(found.zones)
    # Only the zones the charts draw, by zone id (the charts' ties in that order).
    zones_latest = [PlaceYear(names[pk], figures) for pk, figures in found.zones.items()]
    if province is None:
        province_names = {p.code: str(p) for p in provinces}
        places = [
            PlaceYear(province_names.get(code, code), figures)
            for code, figures in sorted(found.provinces.items())
        ]
    else:  # one province: its zones, most employees first
        places = sorted(zones_latest, key=lambda place: -(place.figures.employees or 0))
    built = [
        charts.employees_chart(years),
        charts.trade_chart(years),
        charts.shares_by_place(
            places,
            by_zone=province is not None,
            total=found.zones_reporting if province else None,
        ),
        charts.net_fx_by_zone(zones_latest, total=found.zones_with_net),
        charts.new_markets_chart(years),
    ]
    return [render(chart, rows_url=rows_url) for chart in built]
