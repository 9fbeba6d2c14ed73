"""Figure builders for the enterprises' annual returns, on a zone's page and on the national
and province dashboards: employees with their local and women's shares, workers trained,
exports against imports with the net foreign exchange, new export markets per year, the
shares by province and the net foreign exchange by zone. Pure functions from
``investors.return_rules`` figures to a ``dashboards.figures.Chart``; every chart's table
holds the same numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from investors.return_rules import YearFigures

from . import figures
from .figures import Chart, Column, Table

EMPLOYEES_COLOUR = "#1f6f8b"
LOCAL_COLOUR = "#0b5a3c"
WOMEN_COLOUR = "#a6408c"
EXPORTS_COLOUR = "#2b7a3d"
IMPORTS_COLOUR = "#b45f06"
NET_COLOUR = "#1b1f24"
MARKETS_COLOUR = "#6a3d9a"
# Years are labels, not quantities: tables hold them as text ("2024", never "2,024") and
# charts put them on a category axis (no 2,021.5 between two years).
#: The net foreign exchange chart draws at most this many zones (its table lists them all).
MAX_ZONES = 25


def _number(value: Decimal | int | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if isinstance(value, int) else float(value)


def _percent(share: Decimal | None) -> float | None:
    """A share (0–1) as a percentage with one decimal; None stays None."""
    return None if share is None else round(float(share) * 100, 1)


def _years(years: Sequence[YearFigures]) -> list[str]:
    return [str(f.year) for f in years]


def employees_chart(years: Sequence[YearFigures], *, key: str = "returns-employees") -> Chart:
    """Employees each year (bars), with the local and women's shares (lines, right axis)."""
    title = _("Employees by year, with local and women's shares")
    traces = []
    layout: dict = {
        "yaxis2": {
            "title": {"text": _("Share of employees (%)")},
            "overlaying": "y",
            "side": "right",
            "range": [0, 100],
            "showgrid": False,
        },
        "legend": {"orientation": "h", "y": -0.2},
    }
    if years:
        x = _years(years)
        traces.append(
            {
                "type": "bar",
                "x": x,
                "y": [_number(f.employees) for f in years],
                "name": _("Employees"),
                "marker": {"color": EMPLOYEES_COLOUR},
                "customdata": [f.firms_reporting for f in years],
                "hovertemplate": "%{x}: %{y:,} "
                + _("employees")
                + "<br>"
                + _("Firms reporting")
                + ": %{customdata}<extra></extra>",
            }
        )
        for name, attr, colour in (
            (_("Local share"), "local_share", LOCAL_COLOUR),
            (_("Women's share"), "women_share", WOMEN_COLOUR),
        ):
            traces.append(
                {
                    "type": "scatter",
                    "x": x,
                    "y": [_percent(getattr(f, attr)) for f in years],
                    "name": name,
                    "yaxis": "y2",
                    "mode": "lines+markers",
                    "line": {"color": colour, "width": 3},
                    "hovertemplate": "%{x}: %{y:.1f}%<extra>" + name + "</extra>",
                }
            )
        layout["xaxis"] = {"type": "category"}
    figure = figures.figure(
        title,
        x_title=_("Year of the returns"),
        y_title=_("Employees (count)"),
        height=360,
        data=traces,
        no_data=None if years else _("No annual return filed yet."),
        **layout,
    )
    table = Table(
        [
            Column(_("Year")),
            Column(_("Firms reporting"), numeric=True),
            Column(_("Employees"), numeric=True),
            Column(_("Local share (%)"), numeric=True),
            Column(_("Women's share (%)"), numeric=True),
        ],
        [
            (
                str(f.year),
                f.firms_reporting,
                _number(f.employees),
                _percent(f.local_share),
                _percent(f.women_share),
            )
            for f in years
        ],
    )
    notes = [
        _(
            "Each share is over the returns giving both the count and the employees; a dash "
            "when none does."
        )
    ]
    return Chart(key, title, figure, table, notes)


def trained_chart(years: Sequence[YearFigures], *, key: str = "returns-trained") -> Chart:
    """Workers trained in the year through zone or vocational programmes."""
    title = _("Workers trained each year")
    given = [f for f in years if f.trained is not None]
    traces = []
    layout: dict = {}
    if given:
        traces.append(
            {
                "type": "bar",
                "x": _years(given),
                "y": [f.trained for f in given],
                "name": _("Trained"),
                "marker": {"color": LOCAL_COLOUR},
                "hovertemplate": "%{x}: %{y:,}<extra></extra>",
            }
        )
        layout["xaxis"] = {"type": "category"}
    figure = figures.figure(
        title,
        x_title=_("Year of the returns"),
        y_title=_("Workers trained (count)"),
        height=320,
        data=traces,
        no_data=None if given else _("No return gives workers trained."),
        **layout,
    )
    table = Table(
        [Column(_("Year")), Column(_("Workers trained"), numeric=True)],
        [(str(f.year), f.trained) for f in years],
    )
    return Chart(key, title, figure, table)


def trade_chart(years: Sequence[YearFigures], *, key: str = "returns-trade") -> Chart:
    """Exports against imports each year (bars), and the net foreign exchange (line)."""
    title = _("Exports, imports and net foreign exchange by year (USD)")
    traces = []
    layout: dict = {"barmode": "group", "legend": {"orientation": "h", "y": -0.2}}
    if years:
        x = _years(years)
        for name, attr, colour in (
            (_("Exports"), "exports_usd", EXPORTS_COLOUR),
            (_("Imports"), "imports_usd", IMPORTS_COLOUR),
        ):
            traces.append(
                {
                    "type": "bar",
                    "x": x,
                    "y": [_number(getattr(f, attr)) for f in years],
                    "name": name,
                    "marker": {"color": colour},
                    "hovertemplate": "%{x}: $%{y:,.0f}<extra>" + name + "</extra>",
                }
            )
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": [_number(f.net_foreign_exchange_usd) for f in years],
                "name": _("Net foreign exchange"),
                "mode": "lines+markers",
                "line": {"color": NET_COLOUR, "width": 3},
                "hovertemplate": "%{x}: $%{y:,.0f}<extra>" + _("Net foreign exchange") + "</extra>",
            }
        )
        layout["xaxis"] = {"type": "category"}
    figure = figures.figure(
        title,
        x_title=_("Year of the returns"),
        y_title=_("US dollars"),
        height=360,
        data=traces,
        no_data=None if years else _("No annual return filed yet."),
        **layout,
    )
    table = Table(
        [
            Column(_("Year")),
            Column(_("Exports (USD)"), numeric=True),
            Column(_("Imports (USD)"), numeric=True),
            Column(_("Net foreign exchange (USD)"), numeric=True),
        ],
        [
            (
                str(f.year),
                _number(f.exports_usd),
                _number(f.imports_usd),
                _number(f.net_foreign_exchange_usd),
            )
            for f in years
        ],
    )
    notes = [_("Net foreign exchange: exports − imports over the returns giving both.")]
    return Chart(key, title, figure, table, notes)


def new_markets_chart(years: Sequence[YearFigures], *, key: str = "returns-new-markets") -> Chart:
    """How many export markets are new each year: listed in the year's returns and in none
    of the earlier years' returns."""
    title = _("New export markets by year, from the annual returns")
    total = 0
    rows = []
    for f in years:
        total += len(f.new_markets)
        rows.append((str(f.year), len(f.new_markets), total, ", ".join(f.new_markets) or None))
    drawn = any(count for _y, count, _t, _m in rows)
    traces = []
    layout: dict = {}
    if drawn:
        traces.append(
            {
                "type": "bar",
                "x": _years(years),
                "y": [count for _y, count, _t, _m in rows],
                "name": _("New markets"),
                "marker": {"color": MARKETS_COLOUR},
                "customdata": [markets or "—" for *_rest, markets in rows],
                "hovertemplate": "%{x}: %{y}<br>%{customdata}<extra></extra>",
            }
        )
        layout |= {"xaxis": {"type": "category"}, "yaxis": {"rangemode": "tozero"}}
    figure = figures.figure(
        title,
        x_title=_("Year of the returns"),
        y_title=_("Markets new that year (count)"),
        height=320,
        data=traces,
        no_data=None if drawn else _("No return lists an export market."),
        **layout,
    )
    table = Table(
        [
            Column(_("Year")),
            Column(_("New markets"), numeric=True),
            Column(_("Markets so far"), numeric=True),
            Column(_("Markets (ISO codes)")),
        ],
        rows,
    )
    return Chart(key, title, figure, table)


@dataclass(frozen=True)
class PlaceYear:
    """One province's or zone's figures for one year, named for a chart."""

    name: str
    figures: YearFigures


def shares_by_place(
    rows: Sequence[PlaceYear],
    *,
    by_zone: bool = False,
    total: int | None = None,
    key: str = "returns-shares",
    limit: int = MAX_ZONES,
) -> Chart:
    """Each province's (or, on a province's page, each zone's: the ``limit`` with most
    employees) local and women's shares of employees in its latest year of returns.
    ``total``: how many places there are, when ``rows`` are only the first of them."""
    if by_zone:
        title = _("Local and women's shares of employees by zone (latest year)")
        place = _("Zone")
    else:
        title = _("Local and women's shares of employees by province (latest year)")
        place = _("Province")
    shown = list(rows[:limit])
    traces = []
    layout: dict = {
        "barmode": "group",
        "legend": {"orientation": "h", "y": -0.25},
        "yaxis": {"range": [0, 100]},
    }
    if shown:
        names = [figures.escaped(row.name) for row in shown]
        for name, attr, colour in (
            (_("Local share"), "local_share", LOCAL_COLOUR),
            (_("Women's share"), "women_share", WOMEN_COLOUR),
        ):
            traces.append(
                {
                    "type": "bar",
                    "x": names,
                    "y": [_percent(getattr(row.figures, attr)) for row in shown],
                    "name": name,
                    "marker": {"color": colour},
                    "customdata": [row.figures.year for row in shown],
                    "hovertemplate": "%{x} (%{customdata}): %{y:.1f}%<extra>" + name + "</extra>",
                }
            )
        layout["xaxis"] = {"type": "category"}
    figure = figures.figure(
        title,
        x_title=place,
        y_title=_("Share of employees (%)"),
        height=360,
        data=traces,
        no_data=None if shown else _("No annual return filed yet."),
        **layout,
    )
    notes = []
    total = max(total or 0, len(rows))
    if total > len(shown):
        notes.append(
            _("Showing the %(shown)s zones with most employees of %(total)s; the finder lists "
              "every zone.") % {"shown": len(shown), "total": total}
        )  # fmt: skip
    table = Table(
        [
            Column(place),
            Column(_("Year")),
            Column(_("Employees"), numeric=True),
            Column(_("Local share (%)"), numeric=True),
            Column(_("Women's share (%)"), numeric=True),
        ],
        [
            (
                row.name,
                str(row.figures.year),
                _number(row.figures.employees),
                _percent(row.figures.local_share),
                _percent(row.figures.women_share),
            )
            for row in shown
        ],
    )
    return Chart(key, title, figure, table, notes)


def net_fx_by_zone(
    rows: Sequence[PlaceYear],
    *,
    total: int | None = None,
    key: str = "returns-net-fx",
    limit: int = MAX_ZONES,
) -> Chart:
    """Each zone's net foreign exchange in its latest year of returns, largest earners first
    and largest spenders last. ``total``: how many zones give a net foreign exchange, when
    ``rows`` hold only those to draw (the largest earners and spenders, ranked by the
    database)."""
    title = _("Net foreign exchange by zone (latest year, USD)")
    given = sorted(
        (row for row in rows if row.figures.net_foreign_exchange_usd is not None),
        key=lambda row: row.figures.net_foreign_exchange_usd,
        reverse=True,
    )
    shown = given if len(given) <= limit else given[: limit // 2] + given[-(limit - limit // 2) :]
    traces = []
    layout: dict = {}
    if shown:
        values = [_number(row.figures.net_foreign_exchange_usd) for row in shown]
        traces.append(
            {
                "type": "bar",
                "x": values,
                "y": [figures.escaped(row.name) for row in shown],
                "orientation": "h",
                "marker": {"color": [EXPORTS_COLOUR if v >= 0 else IMPORTS_COLOUR for v in values]},
                "customdata": [row.figures.year for row in shown],
                "hovertemplate": "%{y} (%{customdata}): $%{x:,.0f}<extra></extra>",
            }
        )
        layout["yaxis"] = {"autorange": "reversed", "type": "category"}
    figure = figures.figure(
        title,
        x_title=_("Exports − imports (USD)"),
        y_title=_("Zone"),
        height=max(320, 110 + 28 * len(shown)),
        data=traces,
        no_data=None if shown else _("No return gives both exports and imports."),
        **layout,
    )
    notes = []
    total = max(total or 0, len(given))
    if total > len(shown):
        notes.append(
            _("Showing the %(shown)s largest earners and spenders of %(total)s zones; the finder "
              "lists every zone.") % {"shown": len(shown), "total": total}
        )  # fmt: skip
    table = Table(
        [
            Column(_("Zone")),
            Column(_("Year")),
            Column(_("Exports (USD)"), numeric=True),
            Column(_("Imports (USD)"), numeric=True),
            Column(_("Net foreign exchange (USD)"), numeric=True),
        ],
        [
            (
                row.name,
                str(row.figures.year),
                _number(row.figures.exports_usd),
                _number(row.figures.imports_usd),
                _number(row.figures.net_foreign_exchange_usd),
            )
            for row in shown
        ],
    )
    return Chart(key, title, figure, table, notes)
