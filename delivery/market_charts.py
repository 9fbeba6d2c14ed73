"""Figure builders for the export markets of the firms holding land, on the national page
and on a zone's: how many firms list each destination, and how many markets are new each
year. Pure functions from ``delivery.rules`` results to a ``dashboards.figures.Chart``."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboards import figures
from dashboards.figures import Chart, Column, Table

from .display import amount, plain_number
from .rules import EXPORTS_USD, MarketFact, NewMarketsYear

#: The export-markets chart draws at most this many markets (its table lists them all).
MAX_MARKETS = 30


def export_markets_chart(
    markets: Sequence[MarketFact], *, key: str = "export-markets", limit: int = MAX_MARKETS
) -> Chart:
    """Destination markets by the number of firms holding land that list them."""
    title = _("Export markets: firms exporting to each destination")
    shown = list(markets[:limit])
    traces = []
    layout: dict = {}
    if shown:
        traces.append(
            {
                "type": "bar",
                "x": [figures.escaped(m.market) for m in shown],
                "y": [m.firms for m in shown],
                "name": _("Firms"),
                "marker": {"color": "#6a3d9a"},
                "customdata": [
                    (
                        m.first_year or _("unknown"),
                        amount(EXPORTS_USD, m.exports_usd)
                        if m.exports_usd is not None
                        else _("not reported"),
                    )
                    for m in shown
                ],
                "hovertemplate": (
                    "<b>%{x}</b><br>"
                    + _("Firms")
                    + ": %{y}<br>"
                    + _("First listed in")
                    + ": %{customdata[0]}<br>"
                    + _("Their annual exports (all markets)")
                    + ": %{customdata[1]}<extra></extra>"
                ),
            }
        )
        layout["xaxis"] = {"type": "category"}
        layout["yaxis"] = {"rangemode": "tozero"}
        if shown[0].firms <= 10:
            layout["yaxis"]["dtick"] = 1  # whole firms; above ten, plotly's own ticks
    figure = figures.figure(
        title,
        x_title=_("Destination market (ISO country code)"),
        y_title=_("Firms listing it (count)"),
        height=360,
        data=traces,
        no_data=None if shown else _("No firm holding land lists an export market."),
        **layout,
    )
    notes = [
        _(
            "Firms record their destination markets but not exports per market: a firm's "
            "annual exports count under each market it lists."
        )
    ]
    if len(markets) > len(shown):
        notes.append(
            _("Showing the %(shown)s markets with most firms of %(total)s; the table lists all.")
            % {"shown": len(shown), "total": len(markets)}
        )
    table = Table(
        [
            Column(_("Market (ISO code)")),
            Column(_("Firms listing it"), numeric=True),
            Column(_("First listed in")),
            Column(_("Those firms' annual exports, all markets (USD)"), numeric=True),
        ],
        [(m.market, m.firms, m.first_year, plain_number(m.exports_usd)) for m in markets],
    )
    return Chart(key, title, figure, table, notes)


def new_markets(rows: Sequence[NewMarketsYear], *, undated: int, key: str = "new-markets") -> Chart:
    """How many export markets are new each year, with the running total."""
    title = _("New export markets each year")
    traces = []
    layout: dict = {}
    if rows:
        x = [str(y.year) for y in rows]
        traces.append(
            {
                "type": "bar",
                "x": x,
                "y": [y.new for y in rows],
                "name": _("New markets that year"),
                "marker": {"color": "#6a3d9a"},
                "customdata": [figures.escaped(", ".join(y.markets)) or "—" for y in rows],
                "hovertemplate": (
                    "<b>%{x}</b><br>" + _("New markets") + ": %{y} (%{customdata})<extra></extra>"
                ),
            }
        )
        traces.append(
            {
                "type": "scatter",
                "x": x,
                "y": [y.total for y in rows],
                "mode": "lines+markers",
                "name": _("Markets reached so far"),
                "line": {"color": "#1b1f24", "shape": "hv"},
                "hovertemplate": "<b>%{x}</b><br>" + _("Markets reached so far") + ": %{y}"
                "<extra></extra>",
            }
        )
        layout["xaxis"] = {"type": "category"}
        layout["yaxis"] = {"rangemode": "tozero"}
    figure = figures.figure(
        title,
        x_title=_("Year"),
        y_title=_("Markets (count)"),
        height=360,
        data=traces,
        no_data=None if rows else _("No export market with a known year."),
        **layout,
    )
    notes = [
        _(
            "A market counts as new in the first year a firm listed it in its annual return; "
            "where no return names it, the year the first firm listing it was allotted its "
            "plot (the allotment year stands in for it). Only firms holding land (allotted, "
            "building or operating) count."
        )
    ]
    if undated:
        notes.append(
            ngettext(
                "%(count)s market is listed only by firms with no allotment date and is not "
                "counted in any year.",
                "%(count)s markets are listed only by firms with no allotment date and are "
                "not counted in any year.",
                undated,
            )
            % {"count": undated}
        )
    table = Table(
        [
            Column(_("Year")),
            Column(_("New markets"), numeric=True),
            Column(_("Which")),
            Column(_("Markets reached so far"), numeric=True),
        ],
        [(str(y.year), y.new, ", ".join(y.markets) or None, y.total) for y in rows],
    )
    return Chart(key, title, figure, table, notes)
