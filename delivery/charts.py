"""Figure builders for "announced vs delivered": pure functions from ``delivery.rules``
results to a Plotly figure and the same numbers as a plain table (``charts.Chart``). No
database access; titles, axis labels and notes are translated when a builder runs."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Sequence
from decimal import Decimal

import plotly.graph_objects as go
from django.contrib.humanize.templatetags.humanize import intcomma, intword
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from plotly.subplots import make_subplots

from dashboards.charts import Chart, Column, Table, _figure, _no_data
from zones.vocabulary import TargetMetric

from . import rules
from .rules import (
    COMPLETION_DATE,
    EXPORTS_USD,
    FIRMS_OPERATING,
    INVESTMENT_USD,
    JOBS,
    VALUE_METRICS,
    DeliveryTotals,
    MarketFact,
    NewMarketsYear,
    Promise,
    ZoneDelivery,
)

#: The ranking chart (and its table) shows at most this many zones, best delivery first.
MAX_RANKED_ZONES = 30
#: Above this many quantity promises, the age chart draws medians by year, not every promise.
MAX_AGE_POINTS = 500
#: The completion-date chart draws at most this many promises (the latest first).
MAX_COMPLETION_BARS = 30
#: The export-markets chart draws at most this many markets (its table lists them all).
MAX_MARKETS = 30

METRIC_COLOURS = {
    JOBS: "#0b5a3c",
    INVESTMENT_USD: "#1f5f99",
    FIRMS_OPERATING: "#c26a00",
    EXPORTS_USD: "#6a3d9a",
}
STATUS_COLOURS = {
    rules.MET: "#1a7f37",
    rules.MET_LATE: "#e3a21a",
    rules.MISSED: "#a40e26",
    rules.PENDING: "#8c959f",
    rules.NO_DEADLINE: "#57606a",
    rules.UNKNOWN: "#d0d7de",
}
STATUS_ORDER = (
    rules.MET,
    rules.MET_LATE,
    rules.MISSED,
    rules.PENDING,
    rules.NO_DEADLINE,
    rules.UNKNOWN,
)
ANNOUNCED_COLOUR = "#8c959f"
DELIVERED_COLOUR = "#0b5a3c"
EVERYWHERE_COLOUR = "#7bc47f"
MONEY_METRICS = (INVESTMENT_USD, EXPORTS_USD)


# --- Words and numbers shared by the charts and the pages -----------------------------------


def metric_label(metric: str) -> str:
    return str(dict(TargetMetric.choices).get(metric, metric))


def promise_label(promise: Promise) -> str:
    """The metric, or for a completion date the milestone promised."""
    if promise.metric != COMPLETION_DATE:
        return metric_label(promise.metric)
    return _("Completion: %(milestone)s") % {
        "milestone": promise.milestone_title or promise.milestone_code or _("(no milestone named)")
    }


def status_label(promise: Promise) -> str:
    """Where the promise stands, in words."""
    completion = promise.metric == COMPLETION_DATE
    if promise.status == rules.MET:
        return _("Delivered on time") if completion else _("Delivered in full")
    if promise.status == rules.MET_LATE:
        return _("Delivered late")
    if promise.status == rules.MISSED:
        return _("Promised date passed, not delivered")
    if promise.status == rules.PENDING:
        return _("Not delivered yet; promised date still ahead")
    if promise.status == rules.NO_DEADLINE:
        return _("Not delivered in full; no date was promised")
    if completion:
        return _("Cannot tell: the milestone is not recorded")
    return _("Cannot tell: no value was announced")


def lateness(promise: Promise) -> str:
    """A completion promise's days late, early or still to go, in words; a dash otherwise."""
    days = promise.days_late
    if days is None:
        return "—"
    if days > 0:
        return ngettext("%(days)s day late", "%(days)s days late", days) % {"days": days}
    if promise.delivered_on is None:
        return ngettext("due in %(days)s day", "due in %(days)s days", -days) % {"days": -days}
    return _("on time")


def completion_status_labels() -> dict[str, str]:
    return {
        rules.MET: _("Delivered on time"),
        rules.MET_LATE: _("Delivered late"),
        rules.MISSED: _("Promised date passed, not delivered"),
        rules.PENDING: _("Not delivered yet; promised date still ahead"),
        rules.NO_DEADLINE: _("Not delivered; no date was promised"),
        rules.UNKNOWN: _("Cannot tell: the milestone is not recorded"),
    }


def amount(metric: str, value: Decimal | float | int | None) -> str:
    """A target or delivered figure in words: US$ amounts rounded, counts grouped."""
    if value is None:
        return "—"
    if metric in MONEY_METRICS:
        return "US$ " + str(intcomma(intword(int(value))))
    return formats.number_format(int(value), use_l10n=True, force_grouping=True)


def short_amount(metric: str, value: Decimal | float | int | None) -> str:
    """A figure short enough for a bar label: US$ 2.1 bn, US$ 239 m, 1,645."""
    if value is None:
        return ""
    if metric not in MONEY_METRICS:
        return formats.number_format(int(value), use_l10n=True, force_grouping=True)
    value = float(value)
    if value >= 1e9:
        return _("US$ %(amount)s bn") % {"amount": formats.number_format(round(value / 1e9, 1), 1)}
    if value >= 1e6:
        return _("US$ %(amount)s m") % {"amount": formats.number_format(round(value / 1e6), 0)}
    return "US$ " + formats.number_format(int(value), use_l10n=True, force_grouping=True)


def percent(share: float | None) -> str:
    if share is None:
        return "—"
    digits = 1 if share < 0.1 else 0
    return formats.number_format(round(share * 100, digits), digits, use_l10n=True) + " %"


def years(days: int) -> float:
    return round(days / 365.25, 1)


def _number(value: Decimal | int | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def _share_percent(share: float | None, digits: int = 2) -> float | None:
    return None if share is None else round(share * 100, digits)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _delivered_text(promise: Promise) -> str:
    text = amount(promise.metric, promise.delivered)
    if promise.reported == 0:
        text += " (" + _("no firm reports this figure") + ")"
    return text


# --- National page ---------------------------------------------------------------------------


def delivery_ranking(deliveries: Sequence[ZoneDelivery], *, limit: int = MAX_RANKED_ZONES) -> Chart:
    """Each zone's delivered figures as a share of its current targets, zones ranked by
    delivery (jobs share; zones without a jobs target last)."""
    title = _("Delivered as a share of the current target, zones ranked by jobs delivered")
    ranked = rules.rank_by_delivery([d for d in deliveries if any(p.is_value for p in d.promises)])
    shown = ranked[:limit]
    bars = sum(1 for d in shown for p in d.promises if p.is_value and p.share is not None)
    figure = _figure(
        title,
        height=max(380, 130 + 22 * bars + 10 * len(shown)),
        # xgettext:no-python-format
        x_title=_("Delivered (% of the current target)"),
        y_title=_("Zone"),
        barmode="group",
    )
    figure.update_yaxes(autorange="reversed", categoryorder="array")
    figure.update_yaxes(categoryarray=[d.name for d in shown])
    figure.update_layout(bargap=0.25, bargroupgap=0.05)
    largest = 0.0
    for metric in VALUE_METRICS:
        rows = [(d, p) for d in shown if (p := d.promise(metric)) and p.share is not None]
        if not rows:
            continue
        largest = max([largest, *(p.share * 100 for _d, p in rows)])
        label = metric_label(metric)
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=[d.name for d, _p in rows],
                x=[_share_percent(p.share) for _d, p in rows],
                name=label,
                marker={"color": METRIC_COLOURS[metric]},
                text=[percent(p.share) for _d, p in rows],
                textposition="outside",
                cliponaxis=False,
                customdata=[
                    (
                        _delivered_text(p),
                        amount(metric, p.current.value),
                        amount(metric, p.gap),
                        p.current.announced_on.isoformat(),
                    )
                    for _d, p in rows
                ],
                hovertemplate=(
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
            )
        )
    figure.update_xaxes(range=[0, max(105.0, largest * 1.15)], ticksuffix=" %")
    figure.update_layout(
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        margin={"t": 90},
    )
    notes = []
    if shown:
        figure.add_vline(x=100, line={"color": "#1b1f24", "dash": "dot"})
        notes.append(_("The dotted line is 100 %: the current target delivered in full."))
    else:
        _no_data(figure, _("No zone has an announced jobs, investment, firms or exports target."))
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
            _number(p.current.value),
            p.current.announced_on,
            _number(p.delivered),
            _share_percent(p.share, 1),
            _number(p.gap),
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


def delivery_totals(totals: DeliveryTotals) -> Chart:
    """Per value metric: the sum of the zones' current targets against what those zones
    delivered, and what every zone delivered."""
    title = _("Announced vs delivered, totals over the zones with a target")
    labels = [metric_label(m.metric) for m in totals.metrics]
    columns = 2
    rows = -(-len(totals.metrics) // columns)
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=labels,
        horizontal_spacing=0.16,
        vertical_spacing=0.16,
        figure=_figure(title, height=260 * rows + 140, showlegend=True),
    )
    bars = [
        ("announced", _("Announced (sum of current targets)"), ANNOUNCED_COLOUR),
        ("delivered", _("Delivered by those zones"), DELIVERED_COLOUR),
        ("delivered_everywhere", _("Delivered by all zones shown"), EVERYWHERE_COLOUR),
    ]
    for index, total in enumerate(totals.metrics):
        row, col = index // columns + 1, index % columns + 1
        largest = 0.0
        for attr, label, colour in bars:
            value = getattr(total, attr)
            if attr != "delivered_everywhere" and not total.zones:
                value = None  # nothing was announced: no bar, rather than a bar at zero
            else:
                largest = max(largest, float(value))
            figure.add_trace(
                go.Bar(
                    x=[label],
                    y=[_number(value)],
                    name=label,
                    legendgroup=attr,
                    showlegend=index == 0,
                    marker={"color": colour},
                    text=[short_amount(total.metric, value)],
                    textposition="outside",
                    textfont={"size": 12},
                    cliponaxis=False,
                    hovertemplate=(
                        "<b>"
                        + labels[index]
                        + "</b><br>"
                        + label
                        + ": "
                        + amount(total.metric, value)
                        + "<extra></extra>"
                    ),
                ),
                row=row,
                col=col,
            )
        figure.update_xaxes(showticklabels=False, row=row, col=col)
        figure.update_yaxes(range=[0, (largest or 1) * 1.25], row=row, col=col)
        if total.metric in MONEY_METRICS:
            figure.update_yaxes(tickprefix="US$ ", row=row, col=col)
        if not total.zones:
            axis = "" if index == 0 else str(index + 1)
            figure.add_annotation(
                text=_("No zone has<br>a target"),
                showarrow=False,
                xref=f"x{axis} domain",
                yref=f"y{axis} domain",
                x=0.2,
                y=0.6,
                font={"color": "#57606a"},
            )
    figure.update_layout(
        uniformtext={"mode": "show", "minsize": 11},
        legend={"orientation": "h", "y": -0.04, "yanchor": "top"},
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
                _number(t.announced),
                _number(t.delivered),
                _share_percent(t.share, 1),
                _number(t.gap),
                _number(t.delivered_everywhere),
            )
            for t in totals.metrics
        ],
    )
    return Chart("delivery-totals", title, figure, table, notes)


def promise_age(deliveries: Sequence[ZoneDelivery], *, max_points: int = MAX_AGE_POINTS) -> Chart:
    """Each quantity promise: how long ago it was first made (x) and how much of its current
    target is delivered (y), with whether its promised date has passed. Above ``max_points``
    promises, the median share of the promises made the same number of years ago."""
    title = _("How long ago each promise was first made, and how much of it is delivered")
    figure = _figure(
        title,
        x_title=_("Years since the promise was first announced"),
        # xgettext:no-python-format
        y_title=_("Delivered (% of the current target)"),
        height=420,
    )
    by_metric = {
        metric: [(d, p) for d in deliveries if (p := d.promise(metric)) and p.share is not None]
        for metric in VALUE_METRICS
    }
    total = sum(len(rows) for rows in by_metric.values())
    if total > max_points:
        table, notes = _promise_age_by_year(figure, by_metric)
    else:
        table, notes = _promise_age_points(figure, by_metric)
    figure.update_yaxes(rangemode="tozero", ticksuffix=" %")
    figure.update_xaxes(rangemode="tozero")
    if not total:
        _no_data(figure, _("No quantity targets announced for these zones."))
    return Chart("delivery-age", title, figure, table, notes)


def _deadline_words() -> dict:
    return {
        True: _("promised date passed"),
        False: _("promised date still ahead"),
        None: _("no date promised"),
    }


def _promise_age_points(figure: go.Figure, by_metric: dict) -> tuple[Table, list[str]]:
    symbols = {True: "circle", False: "circle-open", None: "diamond-open"}
    deadline = _deadline_words()
    for metric, rows in by_metric.items():
        if not rows:
            continue
        label = metric_label(metric)
        figure.add_trace(
            go.Scatter(
                x=[years(p.days_since_first_announced) for _d, p in rows],
                y=[_share_percent(p.share) for _d, p in rows],
                mode="markers",
                name=label,
                marker={
                    "color": METRIC_COLOURS[metric],
                    "size": 12,
                    "symbol": [symbols[p.due_passed] for _d, p in rows],
                    "line": {"width": 2, "color": METRIC_COLOURS[metric]},
                },
                customdata=[
                    (
                        d.name,
                        amount(metric, p.current.value),
                        _delivered_text(p),
                        amount(metric, p.gap),
                        p.first.announced_on.isoformat(),
                        len(p.history),
                        deadline[p.due_passed],
                    )
                    for d, p in rows
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b> · "
                    + label
                    + "<br>"
                    + _("First announced")
                    + ": %{customdata[4]} ("
                    + _("statements")
                    + ": %{customdata[5]})<br>"
                    + _("Current target")
                    + ": %{customdata[1]}<br>"
                    + _("Delivered")
                    + ": %{customdata[2]} (%{y:.1f} %)<br>"
                    + _("Gap")
                    + ": %{customdata[3]}<br>%{customdata[6]}<extra></extra>"
                ),
            )
        )
    notes = [
        _(
            "Filled circle: the promised date has passed; open circle: it is still ahead; "
            "open diamond: no date was promised."
        )
    ]
    table = Table(
        [
            Column(_("Zone")),
            Column(_("Metric")),
            Column(_("First announced")),
            Column(_("Years since"), numeric=True),
            Column(_("Statements"), numeric=True),
            Column(_("Current target"), numeric=True),
            # xgettext:no-python-format
            Column(_("Delivered (% of target)"), numeric=True),
            Column(_("Promised by")),
            Column(_("Promised date passed")),
        ],
        [
            (
                d.name,
                metric_label(p.metric),
                p.first.announced_on,
                years(p.days_since_first_announced),
                len(p.history),
                _number(p.current.value),
                _share_percent(p.share, 1),
                p.current.target_date,
                deadline[p.due_passed],
            )
            for rows in by_metric.values()
            for d, p in rows
        ],
    )
    return table, notes


def _promise_age_by_year(figure: go.Figure, by_metric: dict) -> tuple[Table, list[str]]:
    table_rows = []
    for metric, rows in by_metric.items():
        buckets: dict[int, list[Promise]] = {}
        for _d, p in rows:
            buckets.setdefault(int(p.days_since_first_announced // 365.25), []).append(p)
        if not buckets:
            continue
        label = metric_label(metric)
        ages = sorted(buckets)
        medians = [statistics.median(p.share for p in buckets[age]) for age in ages]
        passed = [sum(1 for p in buckets[age] if p.due_passed) for age in ages]
        figure.add_trace(
            go.Scatter(
                x=ages,
                y=[_share_percent(m) for m in medians],
                mode="lines+markers",
                name=label,
                line={"color": METRIC_COLOURS[metric]},
                customdata=[
                    (len(buckets[age]), n, f"{age}–{age + 1}")
                    for age, n in zip(ages, passed, strict=True)
                ],
                hovertemplate=(
                    "<b>"
                    + label
                    + "</b><br>"
                    + _("First announced")
                    + " %{customdata[2]} "
                    + _("years ago")
                    + "<br>"
                    + _("Median delivered")
                    + ": %{y:.1f} %<br>"
                    + _("Promises")
                    + ": %{customdata[0]} ("
                    + _("promised date passed")
                    + ": %{customdata[1]})<extra></extra>"
                ),
            )
        )
        table_rows += [
            (label, age, len(buckets[age]), _share_percent(m, 1), n)
            for age, m, n in zip(ages, medians, passed, strict=True)
        ]
    notes = [
        _(
            "Too many promises to draw one by one: each point is the median share delivered "
            "of the promises first made that many whole years ago."
        )
    ]
    table = Table(
        [
            Column(_("Metric")),
            Column(_("Years since first announced"), numeric=True),
            Column(_("Promises"), numeric=True),
            # xgettext:no-python-format
            Column(_("Median delivered (% of target)"), numeric=True),
            Column(_("Promised date passed"), numeric=True),
        ],
        table_rows,
    )
    return table, notes


def completion_promises(
    deliveries: Sequence[ZoneDelivery], *, limit: int = MAX_COMPLETION_BARS
) -> Chart:
    """Each completion-date promise: days between the promised date and the milestone's
    actual date (or today, while it is not delivered), by standing; at most ``limit``, the
    latest first."""
    title = _("Completion dates: days past the promised date")
    rows = [(d, p) for d in deliveries for p in d.promises if p.metric == COMPLETION_DATE]
    all_dated = [(d, p) for d, p in rows if p.days_late is not None]
    all_dated.sort(key=lambda row: (-(row[1].days_late or 0), row[0].name))
    dated = all_dated[:limit]
    labels = {
        id(p): f"{d.name}<br><sup>"
        + Truncator(p.milestone_title or p.milestone_code).chars(48)
        + "</sup>"
        for d, p in dated
    }
    figure = _figure(
        title,
        height=max(320, 140 + 44 * len(dated)),
        x_title=_("Days after the promised date (negative: before it)"),
        y_title=_("Zone and milestone"),
    )
    figure.update_yaxes(
        autorange="reversed",
        categoryorder="array",
        categoryarray=[labels[id(p)] for _d, p in dated],
    )
    status_names = completion_status_labels()
    for status in STATUS_ORDER:
        chosen = [(d, p) for d, p in dated if p.status == status]
        if not chosen:
            continue
        name = status_names[status]
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=[labels[id(p)] for _d, p in chosen],
                x=[p.days_late for _d, p in chosen],
                name=name,
                marker={
                    "color": STATUS_COLOURS[status],
                    "pattern": {"shape": "/" if _still_open(status) else ""},
                },
                customdata=[
                    (
                        _iso(p.current.target_date),
                        _iso(p.delivered_on) or _("not delivered"),
                        p.current.announced_on.isoformat(),
                        len(p.history),
                    )
                    for _d, p in chosen
                ],
                hovertemplate=(
                    "<b>%{y}</b><br>"
                    + name
                    + "<br>"
                    + _("Promised by")
                    + ": %{customdata[0]} ("
                    + _("announced")
                    + " %{customdata[2]})<br>"
                    + _("Delivered on")
                    + ": %{customdata[1]}<br>"
                    + _("Days after the promised date")
                    + ": %{x}<extra></extra>"
                ),
            )
        )
    notes = [
        _(
            "Days late = the milestone's actual date (or today, while it is not delivered) "
            "minus the promised date. Hatched bars are still open."
        )
    ]
    figure.update_layout(
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        margin={"t": 90},
    )
    if dated:
        figure.add_vline(x=0, line={"color": "#1b1f24", "width": 1})
    else:
        _no_data(figure, _("No completion dates promised for recorded milestones."))
    if len(all_dated) > len(dated):
        notes.append(
            _(
                "Showing the %(shown)s latest of %(total)s promises with a recorded milestone; "
                "the table lists the same."
            )
            % {"shown": len(dated), "total": len(all_dated)}
        )
    unknown = len(rows) - len(all_dated)
    if unknown:
        notes.append(
            ngettext(
                "%(count)s promise names a milestone that is not recorded and is not drawn.",
                "%(count)s promises name milestones that are not recorded and are not drawn.",
                unknown,
            )
            % {"count": unknown}
        )
    table = Table(
        [
            Column(_("Zone")),
            Column(_("Milestone")),
            Column(_("Promised by")),
            Column(_("Announced on")),
            Column(_("Announced by")),
            Column(_("Delivered on")),
            Column(_("Days after the promised date"), numeric=True),
            Column(_("Standing")),
        ],
        [
            (
                d.name,
                p.milestone_title or p.milestone_code,
                p.current.target_date,
                p.current.announced_on,
                p.current.announced_by or None,
                p.delivered_on,
                p.days_late,
                status_names[p.status],
            )
            for d, p in [*dated, *[row for row in rows if row[1].days_late is None][:limit]]
        ],
    )
    return Chart("delivery-completion", title, figure, table, notes)


def _still_open(status: str) -> bool:
    return status in (rules.MISSED, rules.PENDING, rules.NO_DEADLINE)


def export_markets(
    markets: Sequence[MarketFact], *, key: str = "export-markets", limit: int = MAX_MARKETS
) -> Chart:
    """Destination markets by the number of firms holding land that list them."""
    title = _("Export markets: firms exporting to each destination")
    shown = list(markets[:limit])
    figure = _figure(
        title,
        x_title=_("Destination market (ISO country code)"),
        y_title=_("Firms listing it (count)"),
        height=360,
    )
    if shown:
        figure.add_trace(
            go.Bar(
                x=[m.market for m in shown],
                y=[m.firms for m in shown],
                name=_("Firms"),
                marker={"color": "#6a3d9a"},
                customdata=[
                    (
                        m.first_year or _("unknown"),
                        amount(EXPORTS_USD, m.exports_usd)
                        if m.exports_usd is not None
                        else _("not reported"),
                    )
                    for m in shown
                ],
                hovertemplate=(
                    "<b>%{x}</b><br>"
                    + _("Firms")
                    + ": %{y}<br>"
                    + _("First firm allotted in")
                    + ": %{customdata[0]}<br>"
                    + _("Their annual exports (all markets)")
                    + ": %{customdata[1]}<extra></extra>"
                ),
            )
        )
        figure.update_xaxes(type="category")
        figure.update_yaxes(rangemode="tozero", dtick=1 if shown[0].firms <= 10 else None)
    else:
        _no_data(figure, _("No firm holding land lists an export market."))
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
            Column(_("First firm allotted in")),
            Column(_("Those firms' annual exports, all markets (USD)"), numeric=True),
        ],
        [(m.market, m.firms, m.first_year, _number(m.exports_usd)) for m in markets],
    )
    return Chart(key, title, figure, table, notes)


def new_markets(rows: Sequence[NewMarketsYear], *, undated: int, key: str = "new-markets") -> Chart:
    """How many export markets are new each year, with the running total."""
    title = _("New export markets each year")
    figure = _figure(title, x_title=_("Year"), y_title=_("Markets (count)"), height=360)
    if rows:
        x = [str(y.year) for y in rows]
        figure.add_trace(
            go.Bar(
                x=x,
                y=[y.new for y in rows],
                name=_("New markets that year"),
                marker={"color": "#6a3d9a"},
                customdata=[", ".join(y.markets) or "—" for y in rows],
                hovertemplate=(
                    "<b>%{x}</b><br>" + _("New markets") + ": %{y} (%{customdata})<extra></extra>"
                ),
            )
        )
        figure.add_trace(
            go.Scatter(
                x=x,
                y=[y.total for y in rows],
                mode="lines+markers",
                name=_("Markets reached so far"),
                line={"color": "#1b1f24", "shape": "hv"},
                hovertemplate="<b>%{x}</b><br>" + _("Markets reached so far") + ": %{y}"
                "<extra></extra>",
            )
        )
        figure.update_xaxes(type="category")
        figure.update_yaxes(rangemode="tozero")
    else:
        _no_data(figure, _("No export market with a known year."))
    notes = [
        _(
            "A market counts as new in the year the first firm listing it was allotted its "
            "plot: the records hold no date when exports began, so the allotment year stands "
            "in for it. Only firms holding land (allotted, building or operating) count."
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


# --- Zone page -------------------------------------------------------------------------------


def zone_delivery(zone: ZoneDelivery) -> Chart:
    """A zone's delivered figures as a share of each current quantity target."""
    title = _("Delivered as a share of each current target")
    promises = [p for p in zone.promises if p.is_value]
    figure = _figure(
        title,
        height=max(260, 130 + 50 * len(promises)),
        # xgettext:no-python-format
        x_title=_("Delivered (% of the current target)"),
        y_title=_("Target"),
    )
    figure.update_yaxes(autorange="reversed")
    drawn = [p for p in promises if p.share is not None]
    if drawn:
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=[metric_label(p.metric) for p in drawn],
                x=[_share_percent(p.share) for p in drawn],
                marker={"color": [METRIC_COLOURS[p.metric] for p in drawn]},
                text=[
                    _("%(delivered)s of %(target)s (%(share)s)")
                    % {
                        "delivered": amount(p.metric, p.delivered),
                        "target": amount(p.metric, p.current.value),
                        "share": percent(p.share),
                    }
                    for p in drawn
                ],
                textposition="outside",
                cliponaxis=False,
                name=_("Delivered"),
                customdata=[(status_label(p), amount(p.metric, p.gap)) for p in drawn],
                hovertemplate=(
                    "<b>%{y}</b>: %{text}<br>"
                    + _("Gap")
                    + ": %{customdata[1]}<br>%{customdata[0]}<extra></extra>"
                ),
                showlegend=False,
            )
        )
        largest = max(p.share * 100 for p in drawn)
        figure.update_xaxes(range=[0, max(130.0, largest * 1.4)], ticksuffix=" %")
        figure.add_vline(x=100, line={"color": "#1b1f24", "dash": "dot"})
    else:
        _no_data(figure, _("No jobs, investment, firms or exports target for this zone."))
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
                _number(p.current.value),
                _number(p.delivered),
                _share_percent(p.share, 1),
                _number(p.gap),
            )
            for p in promises
        ],
    )
    notes = [_("The dotted line is 100 %: the current target delivered in full.")] if drawn else []
    return Chart("zone-delivery", title, figure, table, notes)


def zone_target_history(zone: ZoneDelivery, *, today: datetime.date) -> Chart:
    """What was promised when: one panel per promise, each statement at its announcement
    date, with what has been delivered drawn across."""
    title = _("What was promised when: every statement of each target")
    promises = list(zone.promises)
    if not promises:
        figure = _figure(title, height=300)
        _no_data(figure, _("No announced targets recorded for this zone."))
        return Chart("zone-target-history", title, figure, Table([Column(_("Target"))], []))
    figure = make_subplots(
        rows=len(promises),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=min(0.12, 0.3 / len(promises)),
        subplot_titles=[promise_label(p) for p in promises],
        figure=_figure(title, height=110 + 190 * len(promises), showlegend=True),
    )
    shown_legend: set[str] = set()

    def legend_once(key: str) -> bool:
        first = key not in shown_legend
        shown_legend.add(key)
        return first

    announced = _("Statement (when it was announced)")
    for row, promise in enumerate(promises, start=1):
        xs = [s.announced_on.isoformat() for s in promise.history]
        value = promise.metric != COMPLETION_DATE
        ys = (
            [_number(s.value) for s in promise.history]
            if value
            else [_iso(s.target_date) for s in promise.history]
        )
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                line={"shape": "hv", "color": METRIC_COLOURS.get(promise.metric, "#57606a")},
                marker={"size": 10},
                name=announced,
                legendgroup="statement",
                showlegend=legend_once("statement"),
                customdata=[
                    (
                        s.announced_by or "—",
                        amount(promise.metric, s.value) if value else _iso(s.target_date),
                    )
                    for s in promise.history
                ],
                hovertemplate=(
                    _("Announced")
                    + " %{x}<br>"
                    + _("Promised")
                    + ": %{customdata[1]}<br>"
                    + _("By")
                    + ": %{customdata[0]}<extra></extra>"
                ),
            ),
            row=row,
            col=1,
        )
        span = [xs[0], today.isoformat()]
        if value:
            level = _number(promise.delivered)
            label = _("Delivered so far")
            key = "delivered"
        elif promise.delivered_on:
            level = promise.delivered_on.isoformat()
            label = _("Actual date (delivered)")
            key = "actual"
        else:
            level = None
            label = ""
            key = ""
        if level is not None:
            figure.add_trace(
                go.Scatter(
                    x=span,
                    y=[level, level],
                    mode="lines",
                    line={"color": DELIVERED_COLOUR, "dash": "dot", "width": 2},
                    name=label,
                    legendgroup=key,
                    showlegend=legend_once(key),
                    hovertemplate=label + ": %{y}<extra></extra>",
                ),
                row=row,
                col=1,
            )
        if value:
            figure.update_yaxes(rangemode="tozero", row=row, col=1)
            if promise.metric in MONEY_METRICS:
                figure.update_yaxes(tickprefix="US$ ", row=row, col=1)
        else:
            figure.update_yaxes(type="date", row=row, col=1)
    figure.update_xaxes(type="date")
    figure.update_layout(
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        margin={"t": 110},
    )
    notes = [
        _(
            "Each marker is one statement, at the date it was announced; its height is what "
            "was promised. The last statement is the current target."
        )
    ]
    table = Table(
        [
            Column(_("Target")),
            Column(_("Announced on")),
            Column(_("Promised"), numeric=True),
            Column(_("Promised by")),
            Column(_("Announced by")),
            Column(_("Current")),
        ],
        [
            (
                promise_label(p),
                s.announced_on,
                _number(s.value) if p.metric != COMPLETION_DATE else None,
                s.target_date,
                s.announced_by or None,
                _("yes") if s is p.current else _("no (restated later)"),
            )
            for p in promises
            for s in reversed(p.history)
        ],
    )
    return Chart("zone-target-history", title, figure, table, notes)
