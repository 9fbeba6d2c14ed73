"""Figure builders for "announced vs delivered", when: how long ago each promise was first
made against how much of it is delivered, completion dates against the dates promised, and
every statement of a zone's targets over time. Pure functions from ``delivery.rules``
results to a ``dashboards.figures.Chart``; no database access, titles translated when a
builder runs."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Sequence

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboards import figures
from dashboards.figures import Chart, Column, Table

from . import rules
from .display import (
    DELIVERED_COLOUR,
    METRIC_COLOURS,
    MONEY_METRICS,
    amount,
    completion_status_labels,
    delivered_text,
    iso_date,
    metric_label,
    plain_number,
    promise_label,
    share_percent,
    years,
)
from .rules import COMPLETION_DATE, VALUE_METRICS, Promise, ZoneDelivery

#: Above this many quantity promises, the age chart draws medians by year, not every promise.
MAX_AGE_POINTS = 500
#: The completion-date chart draws at most this many promises (the latest first).
MAX_COMPLETION_BARS = 30
#: A completion promise's colour by its standing (``rules.STATUSES``, the legend's order).
STATUS_COLOURS = {
    rules.MET: "#1a7f37",
    rules.MET_LATE: "#e3a21a",
    rules.MISSED: "#a40e26",
    rules.PENDING: "#8c959f",
    rules.NO_DEADLINE: "#57606a",
    rules.UNKNOWN: "#d0d7de",
}


# --- National page ---------------------------------------------------------------------------


def promise_age(deliveries: Sequence[ZoneDelivery], *, max_points: int = MAX_AGE_POINTS) -> Chart:
    """Each quantity promise: how long ago it was first made (x) and how much of its current
    target is delivered (y), with whether its promised date has passed. Above ``max_points``
    promises, the median share of the promises made the same number of years ago."""
    title = _("How long ago each promise was first made, and how much of it is delivered")
    by_metric = {
        metric: [(d, p) for d in deliveries if (p := d.promise(metric)) and p.share is not None]
        for metric in VALUE_METRICS
    }
    total = sum(len(rows) for rows in by_metric.values())
    if total > max_points:
        traces, table, notes = _promise_age_by_year(by_metric)
    else:
        traces, table, notes = _promise_age_points(by_metric)
    figure = figures.figure(
        title,
        x_title=_("Years since the promise was first announced"),
        # xgettext:no-python-format
        y_title=_("Delivered (% of the current target)"),
        height=420,
        xaxis={"rangemode": "tozero"},
        yaxis={"rangemode": "tozero", "ticksuffix": " %"},
        data=traces,
        no_data=None if total else _("No quantity targets announced for these zones."),
    )
    return Chart("delivery-age", title, figure, table, notes)


def _deadline_words() -> dict:
    return {
        True: _("promised date passed"),
        False: _("promised date still ahead"),
        None: _("no date promised"),
    }


def _promise_age_points(by_metric: dict) -> tuple[list[dict], Table, list[str]]:
    symbols = {True: "circle", False: "circle-open", None: "diamond-open"}
    deadline = _deadline_words()
    traces = []
    for metric, rows in by_metric.items():
        if not rows:
            continue
        label = metric_label(metric)
        traces.append(
            {
                "type": "scatter",
                "x": [years(p.days_since_first_announced) for _d, p in rows],
                "y": [share_percent(p.share) for _d, p in rows],
                "mode": "markers",
                "name": label,
                "marker": {
                    "color": METRIC_COLOURS[metric],
                    "size": 12,
                    "symbol": [symbols[p.due_passed] for _d, p in rows],
                    "line": {"width": 2, "color": METRIC_COLOURS[metric]},
                },
                "customdata": [
                    (
                        figures.escaped(d.name),
                        amount(metric, p.current.value),
                        delivered_text(p),
                        amount(metric, p.gap),
                        p.first.announced_on.isoformat(),
                        len(p.history),
                        deadline[p.due_passed],
                    )
                    for d, p in rows
                ],
                "hovertemplate": (
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
            }
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
                plain_number(p.current.value),
                share_percent(p.share, 1),
                p.current.target_date,
                deadline[p.due_passed],
            )
            for rows in by_metric.values()
            for d, p in rows
        ],
    )
    return traces, table, notes


def _promise_age_by_year(by_metric: dict) -> tuple[list[dict], Table, list[str]]:
    traces = []
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
        traces.append(
            {
                "type": "scatter",
                "x": ages,
                "y": [share_percent(m) for m in medians],
                "mode": "lines+markers",
                "name": label,
                "line": {"color": METRIC_COLOURS[metric]},
                "customdata": [
                    (len(buckets[age]), n, f"{age}–{age + 1}")
                    for age, n in zip(ages, passed, strict=True)
                ],
                "hovertemplate": (
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
            }
        )
        table_rows += [
            (label, age, len(buckets[age]), share_percent(m, 1), n)
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
    return traces, table, notes


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
        id(p): f"{figures.escaped(d.name)}<br><sup>"
        + figures.escaped(Truncator(p.milestone_title or p.milestone_code).chars(48))
        + "</sup>"
        for d, p in dated
    }
    status_names = completion_status_labels()
    traces = []
    for status in rules.STATUSES:
        chosen = [(d, p) for d, p in dated if p.status == status]
        if not chosen:
            continue
        name = status_names[status]
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": [labels[id(p)] for _d, p in chosen],
                "x": [p.days_late for _d, p in chosen],
                "name": name,
                "marker": {
                    "color": STATUS_COLOURS[status],
                    "pattern": {"shape": "/" if _still_open(status) else ""},
                },
                "customdata": [
                    (
                        iso_date(p.current.target_date),
                        iso_date(p.delivered_on) or _("not delivered"),
                        p.current.announced_on.isoformat(),
                        len(p.history),
                    )
                    for _d, p in chosen
                ],
                "hovertemplate": (
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
            }
        )
    notes = [
        _(
            "Days late = the milestone's actual date (or today, while it is not delivered) "
            "minus the promised date. Hatched bars are still open."
        )
    ]
    layout: dict = {
        "yaxis": {
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": [labels[id(p)] for _d, p in dated],
        },
        "legend": {"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        "margin": {"t": 90},  # a legend above the plot
    }
    if dated:
        layout["shapes"] = [figures.vertical_line(0, {"color": "#1b1f24", "width": 1})]
    figure = figures.figure(
        title,
        height=max(320, 140 + 44 * len(dated)),
        x_title=_("Days after the promised date (negative: before it)"),
        y_title=_("Zone and milestone"),
        data=traces,
        no_data=None if dated else _("No completion dates promised for recorded milestones."),
        **layout,
    )
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


# --- Zone page -------------------------------------------------------------------------------


def zone_target_history(zone: ZoneDelivery, *, today: datetime.date) -> Chart:
    """What was promised when: one panel per promise, each statement at its announcement
    date, with what has been delivered drawn across."""
    title = _("What was promised when: every statement of each target")
    promises = list(zone.promises)
    if not promises:
        figure = figures.figure(
            title, height=300, no_data=_("No announced targets recorded for this zone.")
        )
        return Chart("zone-target-history", title, figure, Table([Column(_("Target"))], []))
    layout = figures.subplot_grid(
        len(promises),
        1,
        titles=[figures.escaped(promise_label(p)) for p in promises],
        horizontal_spacing=0.2,
        vertical_spacing=min(0.12, 0.3 / len(promises)),
        shared_xaxes=True,
    )
    traces = []
    shown_legend: set[str] = set()

    def legend_once(key: str) -> bool:
        first = key not in shown_legend
        shown_legend.add(key)
        return first

    announced = _("Statement (when it was announced)")
    for row, promise in enumerate(promises, start=1):
        axis = "" if row == 1 else str(row)
        xs = [s.announced_on.isoformat() for s in promise.history]
        value = promise.metric != COMPLETION_DATE
        ys = (
            [plain_number(s.value) for s in promise.history]
            if value
            else [iso_date(s.target_date) for s in promise.history]
        )
        traces.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines+markers",
                "line": {"shape": "hv", "color": METRIC_COLOURS.get(promise.metric, "#57606a")},
                "marker": {"size": 10},
                "name": announced,
                "legendgroup": "statement",
                "showlegend": legend_once("statement"),
                "customdata": [
                    (
                        figures.escaped(s.announced_by) or "—",
                        amount(promise.metric, s.value) if value else iso_date(s.target_date),
                    )
                    for s in promise.history
                ],
                "hovertemplate": (
                    _("Announced")
                    + " %{x}<br>"
                    + _("Promised")
                    + ": %{customdata[1]}<br>"
                    + _("By")
                    + ": %{customdata[0]}<extra></extra>"
                ),
                "xaxis": f"x{axis}",
                "yaxis": f"y{axis}",
            }
        )
        span = [xs[0], today.isoformat()]
        if value:
            level = plain_number(promise.delivered)
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
            traces.append(
                {
                    "type": "scatter",
                    "x": span,
                    "y": [level, level],
                    "mode": "lines",
                    "line": {"color": DELIVERED_COLOUR, "dash": "dot", "width": 2},
                    "name": label,
                    "legendgroup": key,
                    "showlegend": legend_once(key),
                    "hovertemplate": label + ": %{y}<extra></extra>",
                    "xaxis": f"x{axis}",
                    "yaxis": f"y{axis}",
                }
            )
        layout[f"xaxis{axis}"]["type"] = "date"
        if value:
            layout[f"yaxis{axis}"]["rangemode"] = "tozero"
            if promise.metric in MONEY_METRICS:
                layout[f"yaxis{axis}"]["tickprefix"] = "US$ "
        else:
            layout[f"yaxis{axis}"]["type"] = "date"
    figure = figures.figure(
        title,
        height=110 + 190 * len(promises),
        showlegend=True,
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        margin={"t": 110},  # a legend above the plot
        data=traces,
        **layout,
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
                plain_number(s.value) if p.metric != COMPLETION_DATE else None,
                s.target_date,
                s.announced_by or None,
                _("yes") if s is p.current else _("no (restated later)"),
            )
            for p in promises
            for s in reversed(p.history)
        ],
    )
    return Chart("zone-target-history", title, figure, table, notes)
