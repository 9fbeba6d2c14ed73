"""Reads for the dashboards' annual returns charts, from the aggregate tables only: the
sums per zone and year (``aggregates.models.ReturnTally``) and each zone's markets' first
years (``ReturnMarketTally``), for the zones the page shows. Two queries whatever the number
of zones or returns; the figures are made by ``investors.return_selectors.dashboard_figures``
and ``investors.return_rules``, as the zone page and the API make theirs from the records.
Real returns only unless ``include_illustrative``."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, F, Min, Q, QuerySet

from aggregates.models import (
    ProvinceReturnMarketTally,
    ProvinceReturnTally,
    ReturnMarketTally,
    ReturnTally,
)
from investors.return_selectors import YEAR_SUMS, DashboardFigures, dashboard_figures
from zones.models import Zone

from .selectors import Whole, tally_rows, zone_rows


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
    ``most_employees`` zones with most employees. A ``whole`` page reads the years, the
    provinces and the markets' first years from the province rollups, and its zones' rows
    as ``zone_rows`` picks them."""
    # Each row carries its zone's province (as the rollups do): no join to the zones; and
    # its zone's latest year, of the returns counted here.
    latest = "zone_latest_year" if include_illustrative else "zone_latest_real_year"
    zone_years = zone_rows(ReturnTally, zones, whole, include_illustrative).values(
        "year",
        *YEAR_SUMS,
        group_0=F("zone_id"),
        place=F("province_id"),
        latest=ExpressionWrapper(Q(year=F(latest)), output_field=BooleanField()),
    )
    first_years = (
        tally_rows(ReturnMarketTally, ProvinceReturnMarketTally, zones, whole, include_illustrative)
        .filter(**({} if whole is None else {"zones__gt": 0}))
        .values("market")
        .annotate(first=Min("first_year"))
        .order_by()
        .values_list("market", "first")
    )
    place_years = None
    if whole is not None:
        place_years = _place_years(
            tally_rows(ReturnTally, ProvinceReturnTally, zones, whole, include_illustrative)
        )
    return dashboard_figures(
        zone_years.order_by(),
        first_years=dict(first_years),
        earners=net_fx_zones // 2,
        spenders=net_fx_zones - net_fx_zones // 2,
        most_employees=most_employees,
        place_years=place_years,
    )


def _place_years(rollup: QuerySet) -> tuple[str, tuple]:
    """The rollup's rows as the zone rows' sums per province and year: a sum no zone gives
    is null again (``aggregates.tallies.Tally.rollup_sums``); a year whose returns have all
    gone is no year."""
    given = [name for name in YEAR_SUMS if name != "firms_reporting"]
    rows = rollup.filter(firms_reporting__gt=0).values(
        "province_id", "year", "firms_reporting", *given, *(f"{name}_zones" for name in given)
    )
    sql, params = rows.query.sql_with_params()
    sums = ", ".join(f"CASE WHEN {name}_zones > 0 THEN {name} END AS {name}" for name in given)
    return (
        f"SELECT province_id AS place, year, firms_reporting, {sums} FROM ({sql}) AS rollup",  # noqa: S608
        params,
    )
