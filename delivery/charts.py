"""Figure builders for "announced vs delivered", how much: each zone's delivered figures as
a share of its current targets (ranked on the national page, one zone on its own page) and
the totals announced against delivered. Pure functions from ``delivery.rules`` results to a
Plotly figure and the same numbers as a plain table (``dashboards.figures.Chart``). No
database access; titles, axis labels and notes are translated when a builder runs.

The other figures: when (promises over time, completion dates) in ``delivery.timing_charts``,
export markets in ``delivery.market_charts``; their words and numbers in ``delivery.display``.
Each builder gathers its traces (plain dictionaries) and its layout, then makes its figure once
(``figures.figure``; a grid of panels as ``figures.subplot_grid``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from dashboards import figures
from dashboards.figures import Chart, Column, Table

from . import rules
from .display import (
    DELIVERED_COLOUR,
    METRIC_COLOURS,
    MONEY_METRICS,
    amount,
    delivered_text,
    metric_label,
    percent,
    plain_number,
    share_percent,
    short_amount,
    status_label,
)
from .rules import VALUE_METRICS, DeliveryTotals, ZoneDelivery

#: The ranking chart (and its table) shows at most this many zones, best delivery first.
MAX_RANKED_ZONES = 30
ANNOUNCED_COLOUR = "#8c959f"
EVERYWHERE_COLOUR = "#7bc47f"


# --- National page ---------------------------------------------------------------------------


def delivery_ranking(deliveries: Sequence[ZoneDelivery], *, limit: int = MAX_RANKED_ZONES) -> Chart:
    """Each zone's delivered figures as a share of its current targets, zones ranked by
    delivery (jobs share; zones without a jobs target last)."""
    title = _("Delivered as a share of the current target, zones ranked by jobs delivered")
    ranked = rules.rank_by_delivery([d for d in deliveries if any(p.is_value for p in d.promises)])
    shown = ranked[:limit]
    bars = sum(1 for d in shown for p in d.promises if p.is_value and p.share is not None)
    traces = []
    largest = 0.0
    for metric in VALUE_METRICS:
        rows = [(d, p) for d in shown if (p := d.promise(metric)) and p.share is not None]
        if not rows:
            continue
        largest = max([largest, *(p.share * 100 for _d, p in rows)])
        label = metric_label(metric)
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": [figures.escaped(d.name) for d, _p in rows],
                "x": [share_percent(p.share) for _d, p in rows],
                "name": label,
                "marker": {"color": METRIC_COLOURS[metric]},
                "text": [percent(p.share) for _d, p in rows],
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": [
                    (
                        delivered_text(p),
                        amount(metric, p.current.value),
                        amount(metric, p.gap),
                        p.current.announced_on.isoformat(),
                    )
                    for _d, p in rows
                ],
                "hovertemplate": (
                    "<b>%{y}</b> · "
                    + label
                    + "<br>"
                    + _("Delivered")
                    + ": %{customdata[0]}<br>"
                    + _("Current target")
                    + ": %{customdata[1]} ("
                    + _("announced")
                    + " %{customdata[3]})<br>"
                    + _("Gap")
                    + ": %{customdata[2]}<extra></extra>"
                ),
            }
        )
    layout: dict = {
        "barmode": "group",
        "bargap": 0.25,
        "bargroupgap": 0.05,
        "xaxis": {"range": [0, max(105.0, largest * 1.15)], "ticksuffix": " %"},
        "yaxis": {
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": [figures.escaped(d.name) for d in shown],
        },
        "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        "margin": {"t": 90},  # a legend above the plot
    }
    notes = []
    if shown:
        layout["shapes"] = [figures.vertical_line(100, {"color": "#1b1f24", "dash": "dot"})]
        notes.append(_("The dotted line is 100 %: the current target delivered in full."))
    figure = figures.figure(
        title,
        height=max(380, 130 + 22 * bars + 10 * len(shown)),
        # xgettext:no-python-format
        x_title=_("Delivered (% of the current target)"),
        y_title=_("Zone"),
        data=traces,
        no_data=(
            None
            if shown
            else _("No zone has an announced jobs, investment, firms or exports target.")
        ),
        **layout,
    )
    if len(ranked) > len(shown):
        notes.append(
            _(
                "Showing the %(shown)s best-delivering of %(total)s zones; the finder lists "
                "them all, sorted by delivery."
            )
            % {"shown": len(shown), "total": len(ranked)}
        )
    rows = [
        (
            d.name,
            rank,
            metric_label(p.metric),
            plain_number(p.current.value),
            p.current.announced_on,
            plain_number(p.delivered),
            share_percent(p.share, 1),
            plain_number(p.gap),
            status_label(p),
        )
        for rank, d in enumerate(shown, start=1)
        for p in d.promises
        if p.is_value
    ]
    table = Table(
        [
            Column(_("Zone")),
            Column(_("Rank"), numeric=True),
            Column(_("Metric")),
            Column(_("Current target"), numeric=True),
            Column(_("Announced on")),
            Column(_("Delivered"), numeric=True),
            # xgettext:no-python-format
            Column(_("Delivered (% of target)"), numeric=True),
            Column(_("Gap (target − delivered)"), numeric=True),
            Column(_("Standing")),
        ],
        rows,
    )
    return Chart("delivery-ranking", title, figure, table, notes)


def delivery_totals_chart(totals: DeliveryTotals) -> Chart:
    """Per value metric: the sum of the zones' current targets against what those zones
    delivered, and what every zone delivered."""
    title = _("Announced vs delivered, totals over the zones with a target")
    labels = [metric_label(m.metric) for m in totals.metrics]
    columns = 2
    rows = -(-len(totals.metrics) // columns)
    layout = figures.subplot_grid(
        rows, columns, titles=labels, horizontal_spacing=0.16, vertical_spacing=0.16
    )
    bars = [
        ("announced", _("Announced (sum of current targets)"), ANNOUNCED_COLOUR),
        ("delivered", _("Delivered by those zones"), DELIVERED_COLOUR),
        ("delivered_everywhere", _("Delivered by all zones shown"), EVERYWHERE_COLOUR),
    ]
    traces = []
    for index, total in enumerate(totals.metrics):
        axis = "" if index == 0 else str(index + 1)
        largest = 0.0
        for attr, label, colour in bars:
            value = getattr(total, attr)
            if attr != "delivered_everywhere" and not total.zones:
                value = None  # nothing was announced: no bar, rather than a bar at zero
            else:
                largest = max(largest, float(value))
            traces.append(
                {
                    "type": "bar",
                    "x": [label],
                    "y": [plain_number(value)],
                    "name": label,
                    "legendgroup": attr,
                    "showlegend": index == 0,
                    "marker": {"color": colour},
                    "text": [short_amount(total.metric, value)],
                    "textposition": "outside",
                    "textfont": {"size": 12},
                    "cliponaxis": False,
                    "hovertemplate": (
                        "<b>"
                        + labels[index]
                        + "</b><br>"
                        + label
                        + ": "
                        + amount(total.metric, value)
                        + "<extra></extra>"
                    ),
                    "xaxis": f"x{axis}",
                    "yaxis": f"y{axis}",
                }
            )
        layout[f"xaxis{axis}"]["showticklabels"] = False
        layout[f"yaxis{axis}"]["range"] = [0, (largest or 1) * 1.25]
        if total.metric in MONEY_METRICS:
            layout[f"yaxis{axis}"]["tickprefix"] = "US$ "
        if not total.zones:
            layout.setdefault("annotations", []).append(
                {
                    "text": _("No zone has<br>a target"),
                    "showarrow": False,
                    "xref": f"x{axis} domain",
                    "yref": f"y{axis} domain",
                    "x": 0.2,
                    "y": 0.6,
                    "font": {"color": "#57606a"},
                }
            )
    figure = figures.figure(
        title,
        height=260 * rows + 140,
        showlegend=True,
        data=traces,
        uniformtext={"mode": "show", "minsize": 11},
        legend={"orientation": "h", "y": -0.04, "yanchor": "top"},
        **layout,
    )
    notes = [
        _(
            "Announced sums each zone's current target (its latest statement); delivered "
            "counts what the same zones' records show. Announced jobs often include "
            "indirect jobs; delivered jobs are only those firms report."
        )
    ]
    table = Table(
        [
            Column(_("Metric")),
            Column(_("Zones with a target"), numeric=True),
            Column(_("Announced (sum of current targets)"), numeric=True),
            Column(_("Delivered by those zones"), numeric=True),
            # xgettext:no-python-format
            Column(_("Delivered (% of announced)"), numeric=True),
            Column(_("Gap (announced − delivered)"), numeric=True),
            Column(_("Delivered by all zones shown"), numeric=True),
        ],
        [
            (
                metric_label(t.metric),
                t.zones,
                plain_number(t.announced),
                plain_number(t.delivered),
                share_percent(t.share, 1),
                plain_number(t.gap),
                plain_number(t.delivered_everywhere),
            )
            for t in totals.metrics
        ],
    )
    return Chart("delivery-totals", title, figure, table, notes)


# --- Zone page -------------------------------------------------------------------------------


def zone_delivery_chart(zone: ZoneDelivery) -> Chart:
    """A zone's delivered figures as a share of each current quantity target."""
    title = _("Delivered as a share of each current target")
    promises = [p for p in zone.promises if p.is_value]
    drawn = [p for p in promises if p.share is not None]
    traces = []
    layout: dict = {"yaxis": {"autorange": "reversed"}}
    if drawn:
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": [metric_label(p.metric) for p in drawn],
                "x": [share_percent(p.share) for p in drawn],
                "marker": {"color": [METRIC_COLOURS[p.metric] for p in drawn]},
                "text": [
                    _("%(delivered)s of %(target)s (%(share)s)")
                    % {
                        "delivered": amount(p.metric, p.delivered),
                        "target": amount(p.metric, p.current.value),
                        "share": percent(p.share),
                    }
                    for p in drawn
                ],
                "textposition": "outside",
                "cliponaxis": False,
                "name": _("Delivered"),
                "customdata": [(status_label(p), amount(p.metric, p.gap)) for p in drawn],
                "hovertemplate": (
                    "<b>%{y}</b>: %{text}<br>"
                    + _("Gap")
                    + ": %{customdata[1]}<br>%{customdata[0]}<extra></extra>"
                ),
                "showlegend": False,
            }
        )
        largest = max(p.share * 100 for p in drawn)
        layout["xaxis"] = {"range": [0, max(130.0, largest * 1.4)], "ticksuffix": " %"}
        layout["shapes"] = [figures.vertical_line(100, {"color": "#1b1f24", "dash": "dot"})]
    figure = figures.figure(
        title,
        height=max(260, 130 + 50 * len(promises)),
        # xgettext:no-python-format
        x_title=_("Delivered (% of the current target)"),
        y_title=_("Target"),
        data=traces,
        no_data=None if drawn else _("No jobs, investment, firms or exports target for this zone."),
        **layout,
    )
    table = Table(
        [
            Column(_("Target")),
            Column(_("Current target"), numeric=True),
            Column(_("Delivered"), numeric=True),
            # xgettext:no-python-format
            Column(_("Delivered (% of target)"), numeric=True),
            Column(_("Gap (target − delivered)"), numeric=True),
        ],
        [
            (
                metric_label(p.metric),
                plain_number(p.current.value),
                plain_number(p.delivered),
                share_percent(p.share, 1),
                plain_number(p.gap),
            )
            for p in promises
        ],
    )
    notes = [_("The dotted line is 100 %: the current target delivered in full.")] if drawn else []
    return Chart("zone-delivery", title, figure, table, notes)
