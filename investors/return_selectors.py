"""Reads for the annual returns' yearly figures: two grouped queries whatever the number of
zones (the sums in PostgreSQL, each market's first year by ``unnest``), turned into figures by
the pure rules in ``investors.return_rules``.

The same reads group by zone (the API, the zone page), by province or not at all; a market
is new in a group's year when none of the group's earlier returns listed it. The dashboards
read the same sums (``year_sums``) kept per zone and year by the aggregates, and make their
figures with ``dashboard_figures``. Illustrative returns count only when asked for
(``counted_q``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum

from zones.localized import shown_text
from zones.models import Zone, counted_q

from . import return_rules
from .models import AnnualReturn
from .return_rules import YearFigures, YearTotals

LOCAL_GIVEN = Q(employees__isnull=False, employees_local__isnull=False)
WOMEN_GIVEN = Q(employees__isnull=False, employees_women__isnull=False)
FX_GIVEN = Q(exports_usd__isnull=False, imports_usd__isnull=False)

#: Figures per group (a tuple of the grouping values; ``()`` for everything), then per year.
Grouped = dict[tuple, dict[int, YearFigures]]


def counted_returns(
    zones: QuerySet[Zone] | Iterable[int], *, include_illustrative: bool = False
) -> QuerySet[AnnualReturn]:
    """The returns of ``zones`` (a queryset or ids) that figures count."""
    if not isinstance(zones, QuerySet):
        zones = list(zones)
    return AnnualReturn.objects.filter(
        counted_q(include_illustrative=include_illustrative), zone_id__in=zones
    )


def _aliases(group: tuple[str, ...]) -> dict[str, F]:
    return {f"group_{i}": F(name) for i, name in enumerate(group)}


def _first_years(returns: QuerySet[AnnualReturn], group: tuple[str, ...]) -> dict[tuple, dict]:
    """Each group's markets by their first year: {group: {year: (markets…)}}. One query."""
    aliases = _aliases(group)
    inner = returns.annotate(**aliases).values(*aliases, "year", "export_markets").order_by()
    sql, params = inner.query.sql_with_params()
    columns = ", ".join(f"r.{name}" for name in aliases)
    select = f"{columns}, " if columns else ""
    query = (
        f"SELECT {select}market, min(r.year) FROM ({sql}) AS r "  # noqa: S608 (our own SQL)
        f"CROSS JOIN LATERAL unnest(r.export_markets) AS market "
        f"GROUP BY {select}market"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        rows = cursor.fetchall()
    first: dict[tuple, dict[str, int]] = {}
    for row in rows:
        *key, market, year = row
        first.setdefault(tuple(key), {})[market] = year
    return {key: return_rules.new_markets_by_year(markets) for key, markets in first.items()}


def year_sums(returns: QuerySet[AnnualReturn], *keys: str) -> QuerySet:
    """The sums a year's figures are made of, per ``keys`` (fields or annotations of
    ``returns``) and year: one row per group and year, columns named as ``YEAR_SUMS``. The
    aggregates keep these rows per zone (``aggregates.models.ReturnTally``)."""
    return (
        returns.values(*keys, "year")
        .annotate(
            firms_reporting=Count("id"),
            employees_sum=Sum("employees"),
            local=Sum("employees_local", filter=LOCAL_GIVEN),
            local_base=Sum("employees", filter=LOCAL_GIVEN),
            women=Sum("employees_women", filter=WOMEN_GIVEN),
            women_base=Sum("employees", filter=WOMEN_GIVEN),
            trained=Sum("employees_trained"),
            exports=Sum("exports_usd"),
            imports=Sum("imports_usd"),
            net=Sum(F("exports_usd") - F("imports_usd"), filter=FX_GIVEN),
        )
        .order_by(*keys, "year")
    )


def _totals(returns: QuerySet[AnnualReturn], aliases: dict[str, F]) -> QuerySet:
    """The sums of each group's years (one row per group and year)."""
    return year_sums(returns.annotate(**aliases), *aliases)


def _figures(row: dict, new_markets: tuple[str, ...] = ()) -> YearFigures:
    totals = YearTotals(
        firms_reporting=row["firms_reporting"],
        employees=row["employees_sum"],
        local=row["local"],
        local_base=row["local_base"],
        women=row["women"],
        women_base=row["women_base"],
        trained=row["trained"],
        exports_usd=row["exports"],
        imports_usd=row["imports"],
        net_foreign_exchange_usd=row["net"],
        new_markets=new_markets,
    )
    return return_rules.year_figures(row["year"], totals)


def yearly_figures(
    returns: QuerySet[AnnualReturn], group: tuple[str, ...] = (), *, markets: bool = True
) -> Grouped:
    """The yearly figures of ``returns`` per group (``("zone_id",)``, ``("zone__province_id",)``
    or ``()``), oldest year first. Two queries (one without ``markets``: no new markets)."""
    aliases = _aliases(group)
    rows = _totals(returns, aliases)
    new = _first_years(returns, group) if markets else {}
    result: Grouped = {}
    for row in rows:
        key = tuple(row[name] for name in aliases)
        year = row["year"]
        result.setdefault(key, {})[year] = _figures(row, new.get(key, {}).get(year, ()))
    return result


def latest_figures(
    returns: QuerySet[AnnualReturn], group: tuple[str, ...]
) -> dict[tuple, YearFigures]:
    """Each group's figures of its latest year with a return (no new markets): one query,
    which keeps only that year of each group (``DISTINCT ON``) in PostgreSQL."""
    aliases = _aliases(group)
    sql, params = _totals(returns, aliases).query.sql_with_params()
    keys = ", ".join(aliases)
    query = (
        f"SELECT DISTINCT ON ({keys}) * FROM ({sql}) AS totals "  # noqa: S608 (our own SQL)
        f"ORDER BY {keys}, year DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]
    return {tuple(row[name] for name in aliases): _figures(row) for row in rows}


def returns_by_zone(
    zone_ids: Iterable[int], *, include_illustrative: bool = False
) -> dict[int, dict[int, YearFigures]]:
    """Each given zone's yearly figures (zones without returns get {}); two queries."""
    ids = list(zone_ids)
    grouped = yearly_figures(
        counted_returns(ids, include_illustrative=include_illustrative), ("zone_id",)
    )
    return {zone_id: grouped.get((zone_id,), {}) for zone_id in ids}


def zone_names(zone_ids: Iterable[int]) -> dict[int, str]:
    """The zones' names as the page's language shows them (the English where not translated):
    one query."""
    names = Zone.objects.filter(pk__in=list(zone_ids)).values_list("pk", shown_text("name"))
    return dict(names)


#: The sums a year's figures are made of, as ``year_sums`` names them.
YEAR_SUMS = (
    "firms_reporting", "employees_sum", "local", "local_base", "women", "women_base", "trained",
    "exports", "imports", "net",
)  # fmt: skip
_COUNTS = {"firms_reporting", "employees_sum", "local", "local_base", "women", "women_base",
           "trained"}  # fmt: skip


@dataclass(frozen=True)
class DashboardFigures:
    """What the dashboards draw from the returns: every year of all the zones together,
    each province's latest year, and the latest year of the few zones the charts draw
    (``zones``: those :func:`dashboard_figures` ranks first), with how many zones have a
    return (``zones_reporting``) and how many of them give a net foreign exchange in their
    latest year (``zones_with_net``). No new markets but in ``years``."""

    years: dict[int, YearFigures]
    zones: dict[int, YearFigures]
    provinces: dict[str, YearFigures]
    zones_reporting: int = 0
    zones_with_net: int = 0


def dashboard_figures(
    zone_years: QuerySet,
    *,
    first_years: Mapping[str, int],
    earners: int = 0,
    spenders: int = 0,
    most_employees: int = 0,
    place_years: tuple[str, Sequence] | None = None,
) -> DashboardFigures:
    """All of it in one query from ``zone_years``: rows of sums (``YEAR_SUMS``) per zone
    (``group_0``), its province (``place``) and year, several rows for a zone's year allowed
    (the aggregates' rows of real and illustrative returns), each saying whether its year is
    its zone's latest among the rows given (``latest``); summed again by year, by province
    and year (the latest kept by ``DISTINCT ON``) and by zone for each zone's latest year.
    Of the zones only those a chart draws come back: the ``earners`` with the largest net
    foreign exchange, the ``spenders`` with the smallest, and the ``most_employees`` with
    most employees (none given counts as 0), ties to the lower zone id; ranked in
    PostgreSQL, so a page of 10,000 zones reads a few dozen. New markets come from
    ``first_years``: each market's first year among the zones' returns.

    ``place_years``, if given, is SQL and its parameters for the same sums per province
    (``place``) and year (several rows of one allowed), read for the years and the
    provinces instead of summing ``zone_years`` again: the province rollups."""
    sql, params = zone_years.query.sql_with_params()
    place_sql, place_params = place_years or ("SELECT * FROM t", ())

    def summed(name: str) -> str:
        cast = "::bigint" if name in _COUNTS else ""
        return f"sum({name}){cast} AS {name}"

    sums = ", ".join(summed(name) for name in YEAR_SUMS)
    columns = ", ".join(YEAR_SUMS)
    # Each zone's latest year (its rows marked ``latest``) is ranked on two narrow columns,
    # and the full sums are made only for the few zones chosen. Where the provinces' sums
    # come from ``place_years``, ``t`` is read where it is used (all of it once, the chosen
    # zones' rows by their zone), not stored; otherwise it is read whole twice, and stored.
    stored = "NOT MATERIALIZED" if place_years else "MATERIALIZED"
    query = f"""
        WITH t AS {stored} ({sql}),
        by_place AS (
            SELECT place::text AS place, year, {sums} FROM ({place_sql}) AS p GROUP BY place, year
        ),
        narrow AS MATERIALIZED (
            SELECT group_0, sum(net) AS net, sum(employees_sum) AS employees
            FROM t WHERE latest GROUP BY group_0
        ),
        chosen AS (
            (SELECT group_0 FROM narrow WHERE net IS NOT NULL
             ORDER BY net DESC, group_0 LIMIT %s)
            UNION
            (SELECT group_0 FROM narrow WHERE net IS NOT NULL
             ORDER BY net, group_0 DESC LIMIT %s)
            UNION
            (SELECT group_0 FROM narrow
             ORDER BY coalesce(employees, 0) DESC, group_0 LIMIT %s)
        )
        SELECT 'all', NULL::text, year, {sums}, NULL::bigint, NULL::bigint
        FROM by_place GROUP BY year
        UNION ALL
        SELECT * FROM (
            SELECT DISTINCT ON (place) 'province', place, year, {columns},
                   NULL::bigint, NULL::bigint
            FROM by_place ORDER BY place, year DESC
        ) AS provinces
        UNION ALL
        SELECT 'zone', group_0::text, year, {sums}, NULL, NULL
        FROM t WHERE latest AND group_0 IN (SELECT group_0 FROM chosen) GROUP BY group_0, year
        UNION ALL
        SELECT 'count', NULL, NULL, {", ".join("NULL" for _ in YEAR_SUMS)},
               count(*), count(net) FROM narrow
    """  # noqa: S608 (our own SQL)
    with connection.cursor() as cursor:
        cursor.execute(query, (*params, *place_params, earners, spenders, most_employees))
        rows = cursor.fetchall()
    new = return_rules.new_markets_by_year(first_years)
    found = DashboardFigures({}, {}, {})
    reporting = with_net = 0
    for kind, place, year, *values, zones_reporting, zones_with_net in rows:
        row = {"year": year, **dict(zip(YEAR_SUMS, values, strict=True))}
        if kind == "all":
            found.years[year] = _figures(row, new.get(year, ()))
        elif kind == "province":
            found.provinces[place] = _figures(row)
        elif kind == "zone":
            found.zones[int(place)] = _figures(row)
        else:
            reporting, with_net = zones_reporting, zones_with_net
    return DashboardFigures(
        dict(sorted(found.years.items())),
        dict(sorted(found.zones.items())),
        found.provinces,
        reporting,
        with_net,
    )
