"""Reads for the dashboards' annual returns charts, from the aggregate tables only: the
sums per zone and year (``aggregates.models.ReturnTally``) and each zone's markets' first
years (``ReturnMarketTally``), for the zones the page shows. Two queries whatever the number
of zones or returns; the figures are made by ``investors.return_selectors.dashboard_figures``
and ``investors.return_rules``, as the zone page and the API make theirs from the records.
Real returns only unless ``include_illustrative``."""

from __future__ import annotations

from django.db.models import F, Min, QuerySet

from aggregates.models import ReturnMarketTally, ReturnTally
from investors.return_selectors import YEAR_SUMS, DashboardFigures, dashboard_figures
from zones.models import Zone

from .selectors import Whole, zone_rows


def returns_figures(
    zones: QuerySet[Zone],
    *,
    include_illustrative: bool = False,
    net_fx_zones: int = 0,
    most_employees: int = 0,
    whole: Whole | None = None,
) -> DashboardFigures:
    """Every year of ``zones`` together (with the markets new that year to all of them),
    each province's latest year, and the latest year of the zones a chart draws: the
    ``net_fx_zones`` largest earners and spenders of foreign exchange (half each, the
    spenders one more when odd, as ``return_charts.net_fx_by_zone`` draws them) and the
    ``most_employees`` zones with most employees. A ``whole`` page's rows are picked by
    their zones' flags (``zone_rows``)."""
    # Each row carries its zone's province (as the rollups do): no join to the zones.
    zone_years = zone_rows(ReturnTally, zones, whole, include_illustrative).values(
        "year", *YEAR_SUMS, group_0=F("zone_id"), place=F("province_id")
    )
    first_years = (
        zone_rows(ReturnMarketTally, zones, whole, include_illustrative)
        .values("market")
        .annotate(first=Min("first_year"))
        .order_by()
        .values_list("market", "first")
    )
    return dashboard_figures(
        zone_years.order_by(),
        first_years=dict(first_years),
        earners=net_fx_zones // 2,
        spenders=net_fx_zones - net_fx_zones // 2,
        most_employees=most_employees,
    )
