"""Figure builders for a zone's page: its readiness score over time, its milestones' dates
and how far each utility has come. Pure functions from ``dashboards.data`` to a
``dashboards.figures.Chart``; no database access, titles translated when a builder runs."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zones.vocabulary import ResponsibleLevel, UtilityStatus

from . import figures
from .charts import LEVEL_COLOURS, NO_RECORD_COLOUR, UTILITY_STATUS_COLOURS, UTILITY_STATUS_ORDER
from .data import ZoneMilestone, ZoneSnapshot, ZoneUtility
from .figures import Chart, Column, Table


def zone_readiness_history(snapshots: Sequence[ZoneSnapshot]) -> Chart:
    """A zone's score after each recompute, with its four components (0–1) behind it."""
    title = _("Readiness score over time")
    times = [s.computed_at.isoformat() for s in snapshots]
    components = [
        ("utilities", _("Utilities")),
        ("land", _("Land")),
        ("milestones", _("Milestones")),
        ("occupancy", _("Occupancy")),
    ]
    traces = []
    if snapshots:
        traces.append(
            {
                "type": "scatter",
                "x": times,
                "y": [s.score for s in snapshots],
                "mode": "lines+markers",
                "name": _("Score"),
                "line": {"color": "#0b5a3c", "width": 3, "shape": "hv"},
                "customdata": [
                    tuple(round(getattr(s, attr) * 100) for attr, _label in components)
                    for s in snapshots
                ],
                "hovertemplate": (
                    "%{x}<br><b>"
                    + _("Score")
                    + ": %{y:.1f}</b><br>"
                    + "<br>".join(
                        f"{label}: %{{customdata[{i}]}}%"
                        for i, (_a, label) in enumerate(components)
                    )
                    + "<extra></extra>"
                ),
            }
        )
    figure = figures.figure(
        title,
        x_title=_("Computed at"),
        y_title=_("Readiness score (0–100)"),
        height=340,
        yaxis={"range": [0, 100]},
        data=traces,
        no_data=None if snapshots else _("Readiness not yet computed for this zone."),
    )
    table = Table(
        [Column(_("Computed at")), Column(_("Score"), numeric=True)]
        + [Column(label, numeric=True) for _attr, label in components],
        [
            (s.computed_at, s.score, *(round(getattr(s, a), 4) for a, _label in components))
            for s in snapshots
        ],
    )
    return Chart("zone-readiness-history", title, figure, table)


def zone_milestone_timeline(milestones: Sequence[ZoneMilestone], *, today: datetime.date) -> Chart:
    """Each milestone's baseline, current plan and actual date, coloured by who owns it."""
    title = _("Milestones: baseline, current plan and actual dates")
    dated = [m for m in milestones if m.baseline or m.planned or m.actual]
    labels = [figures.escaped(m.title) for m in dated]
    levels = dict(ResponsibleLevel.choices)
    traces = []
    for level in ResponsibleLevel:
        chosen = [m for m in dated if m.responsible == level.value]
        if not chosen:
            continue
        xs: list = []
        ys: list = []
        for m in chosen:
            start = m.baseline or m.planned or m.actual
            end = m.actual or m.planned or m.baseline
            xs += [start.isoformat(), end.isoformat(), None]
            ys += [figures.escaped(m.title), figures.escaped(m.title), None]
        traces.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines",
                "line": {"color": LEVEL_COLOURS[level], "width": 4},
                "name": _("Slippage") + f" ({levels[level.value]})",
                "legendgroup": level.value,
                "hoverinfo": "skip",
            }
        )
    markers = [
        ("baseline", _("Baseline (first plan)"), "circle-open", "#1b1f24"),
        ("planned", _("Current plan"), "diamond", "#57606a"),
        ("actual", _("Actual"), "star", "#1a7f37"),
    ]
    for attr, label, symbol, colour in markers:
        chosen = [m for m in dated if getattr(m, attr)]
        if not chosen:
            continue
        traces.append(
            {
                "type": "scatter",
                "x": [getattr(m, attr).isoformat() for m in chosen],
                "y": [figures.escaped(m.title) for m in chosen],
                "mode": "markers",
                "marker": {"symbol": symbol, "size": 12, "color": colour, "line": {"width": 2}},
                "name": label,
                "customdata": [
                    (m.responsible_label, m.status_label, _("overdue") if m.overdue else "")
                    for m in chosen
                ],
                "hovertemplate": (
                    "<b>%{y}</b><br>"
                    + label
                    + ": %{x}<br>%{customdata[0]} · %{customdata[1]} %{customdata[2]}"
                    + "<extra></extra>"
                ),
            }
        )
    layout: dict = {"yaxis": {"autorange": "reversed"}}
    if dated:
        today_line = figures.vertical_line(today.isoformat(), {"color": "#a40e26", "dash": "dot"})
        layout["shapes"] = [today_line]
        layout["yaxis"] |= {"categoryorder": "array", "categoryarray": labels}
    figure = figures.figure(
        title,
        x_title=_("Date"),
        y_title=_("Milestone"),
        height=max(320, 110 + 36 * len(milestones)),
        data=traces,
        no_data=None if dated else _("No milestone dates recorded for this zone."),
        **layout,
    )
    table = Table(
        [
            Column(_("Milestone")),
            Column(_("Responsible")),
            Column(_("Status")),
            Column(_("Baseline")),
            Column(_("Current plan")),
            Column(_("Actual")),
        ],
        [
            (
                m.title,
                m.responsible_label,
                m.status_label + (f" ({_('overdue')})" if m.overdue else ""),
                m.baseline,
                m.planned,
                m.actual,
            )
            for m in milestones
        ],
    )
    notes = [_("The dotted red line is today.")] if dated else []
    if milestones:
        notes.append(
            ngettext(
                "Drawn from %(dated)s of %(count)s milestone dated.",
                "Drawn from %(dated)s of %(count)s milestones dated.",
                len(milestones),
            )
            % {"dated": len(dated), "count": len(milestones)}
        )
    return Chart("zone-milestones", title, figure, table, notes)


def zone_utilities(utilities: Sequence[ZoneUtility]) -> Chart:
    """Where each utility stands, from not started to connected inside the zone."""
    title = _("Utilities: how far each has come")
    status_labels = dict(UtilityStatus.choices)
    stages = [_("No record")] + [str(status_labels[s]) for s in reversed(UTILITY_STATUS_ORDER)]
    trace = {
        "type": "scatter",
        "x": [u.status_label or _("No record") for u in utilities],
        "y": [u.label for u in utilities],
        "mode": "markers",
        "marker": {
            "size": 16,
            "symbol": ["circle" if u.status else "circle-open" for u in utilities],
            "color": [UTILITY_STATUS_COLOURS.get(u.status, NO_RECORD_COLOUR) for u in utilities],
            "line": {"width": 1, "color": "#1b1f24"},
        },
        "name": _("Utility"),
        "customdata": [
            (
                _capacity(u.available, u.unit),
                _capacity(u.required, u.unit),
                figures.escaped(u.provider) or "—",
                u.target_date.isoformat() if u.target_date else "—",
            )
            for u in utilities
        ],
        "hovertemplate": (
            "<b>%{y}</b>: %{x}<br>"
            + _("Available")
            + ": %{customdata[0]} · "
            + _("required")
            + ": %{customdata[1]}<br>"
            + _("Provider")
            + ": %{customdata[2]} · "
            + _("target date")
            + ": %{customdata[3]}<extra></extra>"
        ),
        "showlegend": False,
    }
    figure = figures.figure(
        title,
        x_title=_("Status"),
        y_title=_("Utility"),
        height=max(300, 90 + 40 * len(utilities)),
        xaxis={
            "categoryorder": "array",
            "categoryarray": stages,
            "range": [-0.5, len(stages) - 0.5],
        },
        yaxis={"autorange": "reversed"},
        data=[trace],
    )
    table = Table(
        [
            Column(_("Utility")),
            Column(_("Status")),
            Column(_("Available")),
            Column(_("Required")),
            Column(_("Provider")),
            Column(_("Target date")),
        ],
        [
            (
                u.label,
                u.status_label or _("No record"),
                _capacity(u.available, u.unit),
                _capacity(u.required, u.unit),
                u.provider or None,
                u.target_date,
            )
            for u in utilities
        ],
    )
    return Chart("zone-utilities", title, figure, table)


def _capacity(value: float | None, unit: str) -> str:
    if value is None:
        return _("unknown")
    return f"{value:g} {unit}".strip()
