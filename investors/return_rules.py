"""The enterprises' annual returns per zone and year (DOMAIN.md, version 3), as pure arithmetic.

Two ways in, one set of rules. The selector (``investors.return_selectors``) sums in
PostgreSQL, grouped by zone and year, and hands the totals to :func:`year_figures`, which
turns them into the published figures. The reference, :func:`yearly_figures`, computes the
same figures from plain records; the tests hold the SQL to it and both to hand calculations.

The definitions, per zone and year (only years with at least one return):

- ``firms_reporting``: the returns of the year (one per firm);
- ``employees``, ``trained``, ``exports_usd``, ``imports_usd``: sums over the returns giving
  the field; null when none gives it (an unknown is not a zero);
- ``local_share`` = Σ employees_local ÷ Σ employees over the returns giving both; null when
  that Σ employees is 0 (or none gives both); ``women_share`` likewise with employees_women;
  half-up to 4 decimals;
- ``net_foreign_exchange_usd`` = Σ (exports − imports) over the returns giving both; null
  when none does;
- ``new_markets``: markets in the year's returns that appear in none of the zone's returns
  of earlier years (sorted codes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

SHARE_PLACES = Decimal("0.0001")

#: The counts a return gives besides ``employees``; each is at most ``employees``.
COUNT_FIELDS: tuple[str, ...] = ("employees_local", "employees_women", "employees_trained")


def share(part: int | None, whole: int | None) -> Decimal | None:
    """part ÷ whole, half-up to 4 decimals; None when ``whole`` is 0 or unknown."""
    if not whole or part is None:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, ROUND_HALF_UP)


def count_problems(employees: int | None, counts: Mapping[str, int | None]) -> dict[str, str]:
    """Which counts are negative or exceed ``employees`` (field -> the rule broken, in English
    codes the callers translate): ``negative`` or ``above_employees``."""
    problems = {}
    if employees is not None and employees < 0:
        problems["employees"] = "negative"
    for name, value in counts.items():
        if value is None:
            continue
        if value < 0:
            problems[name] = "negative"
        elif employees is not None and value > employees:
            problems[name] = "above_employees"
    return problems


@dataclass(frozen=True)
class ReturnRecord:
    """One firm's return for one year, as the rules read it (None: not given)."""

    year: int
    employees: int | None = None
    employees_local: int | None = None
    employees_women: int | None = None
    employees_trained: int | None = None
    exports_usd: Decimal | None = None
    imports_usd: Decimal | None = None
    export_markets: tuple[str, ...] = ()


@dataclass(frozen=True)
class YearTotals:
    """What the figures of one zone's year are made of (sums over the year's returns)."""

    firms_reporting: int = 0
    employees: int | None = None
    #: Σ employees_local and Σ employees over the returns giving both.
    local: int | None = None
    local_base: int | None = None
    women: int | None = None
    women_base: int | None = None
    trained: int | None = None
    exports_usd: Decimal | None = None
    imports_usd: Decimal | None = None
    #: Σ (exports − imports) over the returns giving both.
    net_foreign_exchange_usd: Decimal | None = None
    new_markets: tuple[str, ...] = ()


@dataclass(frozen=True)
class YearFigures:
    """One zone's published figures for one year (the API's ``returns[year]``)."""

    year: int
    firms_reporting: int
    employees: int | None
    local_share: Decimal | None
    women_share: Decimal | None
    trained: int | None
    exports_usd: Decimal | None
    imports_usd: Decimal | None
    net_foreign_exchange_usd: Decimal | None
    new_markets: tuple[str, ...] = field(default_factory=tuple)


def year_figures(year: int, totals: YearTotals) -> YearFigures:
    return YearFigures(
        year=year,
        firms_reporting=totals.firms_reporting,
        employees=totals.employees,
        local_share=share(totals.local, totals.local_base),
        women_share=share(totals.women, totals.women_base),
        trained=totals.trained,
        exports_usd=totals.exports_usd,
        imports_usd=totals.imports_usd,
        net_foreign_exchange_usd=totals.net_foreign_exchange_usd,
        new_markets=tuple(sorted(totals.new_markets)),
    )


def _sum(values: Iterable):
    """The sum of the values given; None when none is."""
    given = [value for value in values if value is not None]
    return sum(given) if given else None


def first_years(records: Iterable[ReturnRecord]) -> dict[str, int]:
    """Each market's first year among ``records`` (one zone's returns)."""
    first: dict[str, int] = {}
    for record in records:
        for market in record.export_markets:
            if market not in first or record.year < first[market]:
                first[market] = record.year
    return first


def new_markets_by_year(first: Mapping[str, int]) -> dict[int, tuple[str, ...]]:
    """Markets grouped by their first year, sorted."""
    by_year: dict[int, list[str]] = {}
    for market, year in first.items():
        by_year.setdefault(year, []).append(market)
    return {year: tuple(sorted(markets)) for year, markets in by_year.items()}


def year_totals(records: Iterable[ReturnRecord], new_markets: tuple[str, ...] = ()) -> YearTotals:
    """The totals of one zone's returns of one year."""
    rows = list(records)
    local = [r for r in rows if r.employees is not None and r.employees_local is not None]
    women = [r for r in rows if r.employees is not None and r.employees_women is not None]
    both = [r for r in rows if r.exports_usd is not None and r.imports_usd is not None]
    return YearTotals(
        firms_reporting=len(rows),
        employees=_sum(r.employees for r in rows),
        local=_sum(r.employees_local for r in local),
        local_base=_sum(r.employees for r in local),
        women=_sum(r.employees_women for r in women),
        women_base=_sum(r.employees for r in women),
        trained=_sum(r.employees_trained for r in rows),
        exports_usd=_sum(r.exports_usd for r in rows),
        imports_usd=_sum(r.imports_usd for r in rows),
        net_foreign_exchange_usd=_sum(r.exports_usd - r.imports_usd for r in both),
        new_markets=new_markets,
    )


def yearly_figures(records: Iterable[ReturnRecord]) -> dict[int, YearFigures]:
    """The reference: one zone's figures for every year with a return, oldest first."""
    rows = list(records)
    by_year: dict[int, list[ReturnRecord]] = {}
    for record in rows:
        by_year.setdefault(record.year, []).append(record)
    new = new_markets_by_year(first_years(rows))
    return {
        year: year_figures(year, year_totals(by_year[year], new.get(year, ())))
        for year in sorted(by_year)
    }


@dataclass(frozen=True)
class LatestFigures:
    """A firm's current jobs, exports and export markets: those of its latest return."""

    year: int
    jobs: int | None
    exports_usd: Decimal | None
    export_markets: tuple[str, ...]


def latest(records: Iterable[ReturnRecord]) -> LatestFigures | None:
    """One firm's current figures from its returns (None without a return)."""
    newest = max(records, key=lambda record: record.year, default=None)
    if newest is None:
        return None
    return LatestFigures(
        newest.year, newest.employees, newest.exports_usd, tuple(newest.export_markets)
    )


def overdue_year(today_year: int) -> int:
    """The year whose return is due: the last whole year."""
    return today_year - 1
