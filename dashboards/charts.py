"""Figure builders for the national and province pages: pure functions from selector output
(``dashboards.data``) to a Plotly figure and the same numbers as a plain table
(``dashboards.figures.Chart``). No database access here; titles and axis labels are
translated with the language active when a builder runs. The readiness figures are in
``dashboards.readiness_charts``, a zone page's in ``dashboards.zone_page_charts``.

Every figure is honest about what is unknown: a zone never scored is not drawn at zero, a
missing record is its own category, and a note says what was left out."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zones.vocabulary import (
    FirmStatus,
    OriginGroup,
    ResponsibleLevel,
    UtilityStatus,
    ZoneStatus,
)

from . import figures
from .data import FirmSummary, ProvinceDisputes, SlippageBar, UtilityCounts, ZoneSummary
from .figures import Chart, Column, Table

FUNNEL_STAGES = [
    ZoneStatus.PROPOSED,
    ZoneStatus.APPROVED,
    ZoneStatus.NOTIFIED,
    ZoneStatus.UNDER_DEVELOPMENT,
    ZoneStatus.OPERATIONAL,
]
LEVEL_COLOURS = {
    ResponsibleLevel.FEDERAL: "#1f5f99",
    ResponsibleLevel.PROVINCIAL: "#c26a00",
    ResponsibleLevel.DEVELOPER: "#6a3d9a",
}
UTILITY_STATUS_ORDER = [
    UtilityStatus.CONNECTED,
    UtilityStatus.AT_ZERO_POINT,
    UtilityStatus.UNDER_CONSTRUCTION,
    UtilityStatus.PLANNED,
    UtilityStatus.NOT_STARTED,
]
UTILITY_STATUS_COLOURS = {
    UtilityStatus.CONNECTED: "#1a7f37",
    UtilityStatus.AT_ZERO_POINT: "#7bc47f",
    UtilityStatus.UNDER_CONSTRUCTION: "#e3a21a",
    UtilityStatus.PLANNED: "#f3d9a4",
    UtilityStatus.NOT_STARTED: "#c8553d",
}
NO_RECORD_COLOUR = "#d0d7de"
FIRM_STATUS_ORDER = [
    FirmStatus.OPERATING,
    FirmStatus.UNDER_CONSTRUCTION,
    FirmStatus.ALLOTTED,
    FirmStatus.INTERESTED,
    FirmStatus.WITHDRAWN,
]
FIRM_STATUS_COLOURS = {
    FirmStatus.OPERATING: "#1a7f37",
    FirmStatus.UNDER_CONSTRUCTION: "#e3a21a",
    FirmStatus.ALLOTTED: "#4e79a7",
    FirmStatus.INTERESTED: "#a0cbe8",
    FirmStatus.WITHDRAWN: "#8c959f",
}
ORIGIN_ORDER = [
    OriginGroup.CHINESE,
    OriginGroup.PAKISTANI,
    OriginGroup.JOINT_VENTURE,
    OriginGroup.OTHER_FOREIGN,
]


# --- National and province dashboards -------------------------------------------------------


def status_funnel(summary: ZoneSummary) -> Chart:
    """Zones that reached each stage from proposed to operational; stalled zones apart."""
    title = _("Zones by stage reached, from proposed to operational")
    by_status = {row.status: row for row in summary.by_status}
    labels = [str(stage.label) for stage in FUNNEL_STAGES]
    current = [by_status[stage.value].count for stage in FUNNEL_STAGES]
    reached = [sum(current[i:]) for i in range(len(current))]
    stalled = by_status[ZoneStatus.STALLED.value].count
    funnel = {
        "type": "funnel",
        "y": labels,
        "x": reached,
        "customdata": current,
        "texttemplate": "%{x} " + _("zones"),
        "marker": {"color": "#0b5a3c"},
        "connector": {"line": {"color": "#d0d7de"}},
        "hovertemplate": (
            "<b>%{y}</b><br>"
            + _("Reached this stage or beyond")
            + ": %{x}<br>"
            + _("Now at this stage")
            + ": %{customdata}<extra></extra>"
        ),
        "name": _("Zones"),
    }
    figure = figures.figure(
        title,
        data=[funnel],
        no_data=None if summary.total else _("No zones match these filters."),
    )
    notes = []
    if stalled:
        notes.append(
            ngettext(
                "%(count)s stalled zone is not placed in the funnel.",
                "%(count)s stalled zones are not placed in the funnel.",
                stalled,
            )
            % {"count": stalled}
        )
    rows = [
        (label, now, at_least)
        for label, now, at_least in zip(labels, current, reached, strict=True)
    ]
    rows.append((str(ZoneStatus.STALLED.label), stalled, None))
    table = Table(
        [
            Column(_("Stage")),
            Column(_("Zones now at this stage"), numeric=True),
            Column(_("Zones that reached this stage or beyond"), numeric=True),
        ],
        rows,
    )
    return Chart("status-funnel", title, figure, table, notes)


def milestone_slippage(bars: Sequence[SlippageBar], *, limit: int) -> Chart:
    """Days each zone's milestones slipped past their baseline, by responsible level:
    solid for delivered milestones (actual − baseline), hatched for the current plan."""
    title = _("Milestone slippage past the first plan, by zone and responsible level")
    zone_order: list[str] = []
    names: dict[str, str] = {}
    for bar in bars:
        if bar.zone_slug not in names:
            zone_order.append(bar.zone_slug)
            names[bar.zone_slug] = figures.escaped(bar.zone_name)
    levels = dict(ResponsibleLevel.choices)
    measures = {
        "actual": _("delivered (actual vs baseline)"),
        "plan": _("not yet delivered (current plan vs baseline)"),
    }
    traces = []
    for level in ResponsibleLevel:
        for measure, measure_label in measures.items():
            chosen = [b for b in bars if b.responsible == level.value and b.measure == measure]
            if not chosen:
                continue
            traces.append(
                {
                    "type": "bar",
                    "orientation": "h",
                    "y": [names[b.zone_slug] for b in chosen],
                    "x": [b.days for b in chosen],
                    "name": f"{levels[level.value]}: {measure_label}",
                    "legendgroup": level.value,
                    "marker": {
                        "color": LEVEL_COLOURS[level],
                        "opacity": 0.6 if measure == "plan" else 1,
                        "pattern": {
                            "shape": "/" if measure == "plan" else "",
                            "fillmode": "overlay",
                            "fgcolor": "#ffffff",
                        },
                    },
                    "customdata": [
                        (str(levels[level.value]), b.milestones, b.overdue) for b in chosen
                    ],
                    "hovertemplate": (
                        "<b>%{y}</b><br>%{customdata[0]} · "
                        + measure_label
                        + "<br>"
                        + _("Worst slippage")
                        + ": %{x} "
                        + _("days")
                        + "<br>"
                        + _("Milestones")
                        + ": %{customdata[1]} · "
                        + _("overdue")
                        + ": %{customdata[2]}<extra></extra>"
                    ),
                }
            )
    figure = figures.figure(
        title,
        height=max(380, 120 + 34 * len(zone_order)),
        x_title=_("Slippage (days later than the baseline date)"),
        y_title=_("Zone"),
        barmode="group",
        bargap=0.2,
        bargroupgap=0.05,
        yaxis={
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": [names[slug] for slug in zone_order],
        },
        data=traces,
        no_data=None if bars else _("No milestones with a baseline and a later date recorded."),
    )
    notes = [
        _(
            "Slippage is (actual date, or the current planned date if not yet delivered) "
            "minus the baseline date. Showing at most the %(limit)s zones that slipped most."
        )
        % {"limit": limit}
    ]
    table = Table(
        [
            Column(_("Zone")),
            Column(_("Responsible")),
            Column(_("Measure")),
            Column(_("Worst slippage (days)"), numeric=True),
            Column(_("Milestones"), numeric=True),
            Column(_("Overdue"), numeric=True),
        ],
        [
            (
                b.zone_name,
                str(levels[b.responsible]),
                str(measures[b.measure]),
                b.days,
                b.milestones,
                b.overdue,
            )
            for b in bars
        ],
    )
    return Chart("milestone-slippage", title, figure, table, notes)


def zones_by_utility_status(counts: Sequence[UtilityCounts], *, zone_count: int) -> Chart:
    """For each core utility, how many zones are connected, at zero point, and so on."""
    title = _("Core utilities: zones by connection status")
    status_labels = dict(UtilityStatus.choices)
    kinds = [c.label for c in counts]
    series = [
        (status.value, str(status_labels[status]), UTILITY_STATUS_COLOURS[status], {})
        for status in UTILITY_STATUS_ORDER
    ] + [("no_record", _("No record"), NO_RECORD_COLOUR, {"shape": "."})]
    traces = []
    for status, label, colour, pattern in series:
        values = [
            c.no_record if status == "no_record" else c.by_status.get(status, 0) for c in counts
        ]
        # No empty pattern: plotly drops one when it checks a trace, keeps it when serving.
        marker = {"color": colour, "pattern": pattern} if pattern else {"color": colour}
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": kinds,
                "x": values,
                "name": label,
                "marker": marker,
                "hovertemplate": "<b>%{y}</b><br>" + label + ": %{x}<extra></extra>",
            }
        )
    figure = figures.figure(
        title,
        x_title=_("Zones (count)"),
        y_title=_("Utility"),
        barmode="stack",
        height=360,
        yaxis={"autorange": "reversed"},
        data=traces,
        no_data=None if zone_count else _("No zones match these filters."),
    )
    notes = [
        _(
            "“Delivered to zero point” means the utility reached the zone's boundary; "
            "“connected” means it reaches plots inside the zone."
        )
    ]
    table = Table(
        [Column(_("Utility"))] + [Column(label, numeric=True) for _status, label, _c, _p in series],
        [
            (c.label, *(c.by_status.get(s.value, 0) for s in UTILITY_STATUS_ORDER), c.no_record)
            for c in counts
        ],
    )
    return Chart("utilities", title, figure, table, notes)


def disputes_by_province(rows: Sequence[ProvinceDisputes]) -> Chart:
    """Acres at stake in land disputes not yet settled, per province."""
    title = _("Open land disputes: acres at stake, by province")
    traces = []
    if rows:
        traces.append(
            {
                "type": "bar",
                "x": [figures.escaped(r.name) for r in rows],
                "y": [r.acres for r in rows],
                "text": [
                    ngettext("%(count)s dispute", "%(count)s disputes", r.count)
                    % {"count": r.count}
                    for r in rows
                ],
                "textposition": "auto",
                "marker": {"color": "#a40e26"},
                "customdata": [(r.count, r.without_acres) for r in rows],
                "name": _("Acres at stake"),
                "hovertemplate": (
                    "<b>%{x}</b><br>"
                    + _("Acres at stake")
                    + ": %{y:,.0f}<br>"
                    + _("Disputes")
                    + ": %{customdata[0]} ("
                    + _("acres not recorded for")
                    + " %{customdata[1]})<extra></extra>"
                ),
            }
        )
    figure = figures.figure(
        title,
        x_title=_("Province"),
        y_title=_("Acres at stake"),
        height=360,
        data=traces,
        no_data=None if rows else _("No open land disputes recorded for these zones."),
    )
    notes = [_("Open means open, in court or in mediation.")]
    missing = sum(r.without_acres for r in rows)
    if missing:
        notes.append(
            ngettext(
                "%(count)s dispute has no recorded acreage and adds nothing to the bars.",
                "%(count)s disputes have no recorded acreage and add nothing to the bars.",
                missing,
            )
            % {"count": missing}
        )
    table = Table(
        [
            Column(_("Province")),
            Column(_("Open disputes"), numeric=True),
            Column(_("Acres at stake"), numeric=True),
            Column(_("Disputes with acres not recorded"), numeric=True),
        ],
        [(r.name, r.count, figures.rounded(r.acres, 0), r.without_acres) for r in rows],
    )
    return Chart("disputes", title, figure, table, notes)


def firms_by_origin(summary: FirmSummary) -> Chart:
    """Firms by origin group (Chinese, Pakistani, joint venture, other foreign) and status."""
    title = _("Firms by origin and status")
    origin_labels = dict(OriginGroup.choices)
    status_labels = dict(FirmStatus.choices)
    origins = [str(origin_labels[o]) for o in ORIGIN_ORDER]
    counts = {(g.origin_group, g.status): g.count for g in summary.groups}
    traces = []
    for status in FIRM_STATUS_ORDER:
        label = str(status_labels[status])
        traces.append(
            {
                "type": "bar",
                "x": origins,
                "y": [counts.get((o.value, status.value), 0) for o in ORIGIN_ORDER],
                "name": label,
                "marker": {"color": FIRM_STATUS_COLOURS[status]},
                "hovertemplate": "<b>%{x}</b><br>" + label + ": %{y}<extra></extra>",
            }
        )
    figure = figures.figure(
        title,
        x_title=_("Origin"),
        y_title=_("Firms (count)"),
        barmode="stack",
        data=traces,
        no_data=None if summary.groups else _("No firms recorded for these zones."),
    )
    notes = [_("Joint ventures are counted as joint ventures whatever the partners' origins.")]
    table = Table(
        [Column(_("Origin"))]
        + [Column(str(status_labels[s]), numeric=True) for s in FIRM_STATUS_ORDER]
        + [Column(_("Total"), numeric=True)],
        [
            (
                str(origin_labels[o]),
                *(counts.get((o.value, s.value), 0) for s in FIRM_STATUS_ORDER),
                sum(counts.get((o.value, s.value), 0) for s in FIRM_STATUS_ORDER),
            )
            for o in ORIGIN_ORDER
        ],
    )
    return Chart("firms", title, figure, table, notes)
