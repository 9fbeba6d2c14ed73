"""Figure builders: pure functions from selector output to a Plotly figure and the same
numbers as a plain table. No database access here; titles and axis labels are translated
with the language active when a builder runs.

Every figure is honest about what is unknown: a zone never scored is not drawn at zero, a
missing record is its own category, and a note says what was left out."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zones.vocabulary import (
    FirmStatus,
    OriginGroup,
    ResponsibleLevel,
    UtilityStatus,
    ZoneStatus,
)

from .selectors import (
    FirmSummary,
    ProvinceDisputes,
    ReadinessGroup,
    ReadinessSeries,
    SlippageBar,
    UtilityCounts,
    ZoneMilestone,
    ZonePoint,
    ZonePoints,
    ZoneSnapshot,
    ZoneSummary,
    ZoneUtility,
)

FUNNEL_STAGES = [
    ZoneStatus.PROPOSED,
    ZoneStatus.APPROVED,
    ZoneStatus.NOTIFIED,
    ZoneStatus.UNDER_DEVELOPMENT,
    ZoneStatus.OPERATIONAL,
]
READINESS_SCALE = "Viridis"
UNSCORED_COLOUR = "#8c959f"
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
#: The readiness distribution draws at most this many groups (provinces or districts).
MAX_GROUPS = 30
#: Where the map looks when it shows the whole country: Pakistan with a margin.
PAKISTAN_BOUNDS = ((60.5, 78.0), (23.5, 37.5))

_TEMPLATE = go.layout.Template(
    layout={
        "font": {"family": "system-ui, sans-serif", "size": 13, "color": "#1b1f24"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hoverlabel": {"align": "left"},
        "xaxis": {"gridcolor": "#e6e9ed", "zerolinecolor": "#8c959f", "automargin": True},
        "yaxis": {"gridcolor": "#e6e9ed", "zerolinecolor": "#8c959f", "automargin": True},
        "legend": {"bgcolor": "rgba(255,255,255,0.85)"},
    }
)


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    """The numbers behind a chart, for screen readers and for people who prefer tables."""

    columns: list[Column]
    rows: list[tuple]

    @property
    def body(self) -> list[list[tuple[object, bool]]]:
        """Each row's cells paired with whether their column is numeric (for templates)."""
        return [
            [(value, column.numeric) for value, column in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]


@dataclass(frozen=True)
class Chart:
    """A figure, its plain-table alternative and a note on what the figure leaves out."""

    key: str
    title: str
    figure: go.Figure
    table: Table
    notes: list[str] = field(default_factory=list)


def _figure(
    title: str, *, height: int = 380, x_title: str = "", y_title: str = "", **layout
) -> go.Figure:
    figure = go.Figure(
        layout={
            "template": _TEMPLATE,
            "title": {"text": title, "x": 0, "xanchor": "left"},
            "height": height,
            "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
            **layout,
        }
    )
    if x_title:
        figure.update_xaxes(title_text=x_title)
    if y_title:
        figure.update_yaxes(title_text=y_title)
    return figure


def _no_data(figure: go.Figure, message: str) -> None:
    figure.add_annotation(
        text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5,
        font={"size": 15, "color": "#57606a"},
    )  # fmt: skip
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)


def _readiness_colour(score: float | None) -> str | float:
    return UNSCORED_COLOUR if score is None else score


# --- National and province dashboards -------------------------------------------------------


def status_funnel(summary: ZoneSummary) -> Chart:
    """Zones that reached each stage from proposed to operational; stalled zones apart."""
    title = _("Zones by stage reached, from proposed to operational")
    by_status = {row.status: row for row in summary.by_status}
    labels = [str(stage.label) for stage in FUNNEL_STAGES]
    current = [by_status[stage.value].count for stage in FUNNEL_STAGES]
    reached = [sum(current[i:]) for i in range(len(current))]
    stalled = by_status[ZoneStatus.STALLED.value].count
    figure = _figure(title)
    figure.add_trace(
        go.Funnel(
            y=labels,
            x=reached,
            customdata=current,
            texttemplate="%{x} " + _("zones"),
            marker={"color": "#0b5a3c"},
            connector={"line": {"color": "#d0d7de"}},
            hovertemplate=(
                "<b>%{y}</b><br>"
                + _("Reached this stage or beyond")
                + ": %{x}<br>"
                + _("Now at this stage")
                + ": %{customdata}<extra></extra>"
            ),
            name=_("Zones"),
        )
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
    if not summary.total:
        _no_data(figure, _("No zones match these filters."))
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


def readiness_distribution(
    groups: Sequence[ReadinessGroup],
    points: Sequence[ZonePoint] | None,
    *,
    by: str,
    group_title: str,
    max_groups: int = MAX_GROUPS,
) -> Chart:
    """Readiness of the zones in each group (``by`` ``province`` or ``district``): the spread
    (box) and every scored zone (dot). ``points`` is None when there are too many zones to
    draw one by one; above ``max_groups`` groups only the largest are drawn (the table keeps
    them all)."""
    title = _("Readiness score of each zone, by %(group)s") % {"group": group_title.lower()}
    table_groups = list(groups)
    if len(groups) > max_groups:
        largest = sorted(groups, key=lambda g: (-g.zones, g.label))[:max_groups]
        groups = [g for g in groups if g in largest]
    figure = _figure(
        title,
        height=max(320, 110 + 52 * len(groups)),
        x_title=_("Readiness score (0–100)"),
        y_title=group_title,
    )
    figure.update_xaxes(range=[0, 100])
    figure.update_yaxes(autorange="reversed")

    def axis_label(group: ReadinessGroup) -> str:
        label = group.label or _("(no district)")
        return (
            f"{label}<br><sup>"
            + _("%(scored)s of %(zones)s scored")
            % {
                "scored": group.scored,
                "zones": group.zones,
            }
            + "</sup>"
        )

    axis = {group.label: axis_label(group) for group in groups}
    scored = [g for g in groups if g.scored]
    if scored:
        figure.add_trace(
            go.Box(
                orientation="h",
                y=[axis[g.label] for g in scored],
                q1=[g.q1 for g in scored],
                median=[g.median for g in scored],
                q3=[g.q3 for g in scored],
                lowerfence=[g.minimum for g in scored],
                upperfence=[g.maximum for g in scored],
                mean=[g.mean for g in scored],
                name=_("Spread of scores"),
                marker={"color": "#57606a"},
                fillcolor="rgba(11, 90, 60, 0.10)",
                line={"color": "#0b5a3c"},
                hoverinfo="x",
            )
        )
    if points is not None:
        drawn = [p for p in points if p.score is not None and getattr(p, by) in axis]
        figure.add_trace(
            go.Scatter(
                y=[axis[getattr(p, by)] for p in drawn],
                x=[p.score for p in drawn],
                mode="markers",
                name=_("A zone"),
                marker={
                    "color": [p.score for p in drawn],
                    "colorscale": READINESS_SCALE,
                    "cmin": 0,
                    "cmax": 100,
                    "size": 9,
                    "line": {"width": 1, "color": "#ffffff"},
                },
                customdata=[(p.name, str(p.status)) for p in drawn],
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>" + _("Readiness") + ": %{x:.1f}<extra></extra>"
                ),
            )
        )
    figure.update_yaxes(categoryorder="array", categoryarray=[axis[g.label] for g in groups])
    notes = []
    unscored = sum(g.zones - g.scored for g in table_groups)
    if unscored:
        notes.append(
            ngettext(
                "%(count)s zone has no readiness score yet (not yet computed) and is not drawn.",
                "%(count)s zones have no readiness score yet (not yet computed) and are not drawn.",
                unscored,
            )
            % {"count": unscored}
        )
    if points is None and groups:
        notes.append(_("Too many zones to draw one by one: boxes show the spread of scores."))
    if len(table_groups) > len(groups):
        notes.append(
            _("Showing the %(shown)s of %(total)s groups with the most zones; the table lists all.")
            % {"shown": len(groups), "total": len(table_groups)}
        )
    if not scored:
        _no_data(
            figure,
            _("Readiness not yet computed for these zones.") if groups else _("No zones."),
        )
    table = Table(
        [
            Column(group_title),
            Column(_("Zones"), numeric=True),
            Column(_("Scored"), numeric=True),
            Column(_("Mean"), numeric=True),
            Column(_("Lowest"), numeric=True),
            Column(_("Median"), numeric=True),
            Column(_("Highest"), numeric=True),
        ],
        [
            (
                g.label or _("(no district)"),
                g.zones,
                g.scored,
                _round(g.mean),
                _round(g.minimum),
                _round(g.median),
                _round(g.maximum),
            )
            for g in table_groups
        ],
    )
    return Chart("readiness-distribution", title, figure, table, notes)


@dataclass(frozen=True)
class ProvinceArea:
    code: str
    name: str
    zones: int


def zone_map(
    zones: ZonePoints,
    provinces: Sequence[ProvinceArea],
    *,
    geojson_url: str,
    bounds: tuple[tuple[float, float], tuple[float, float]] = PAKISTAN_BOUNDS,
) -> Chart:
    """Zones on a map over province boundaries, coloured by readiness (grey: not scored)."""
    title = _("Where the zones are, coloured by readiness score")
    figure = _figure(title, height=560, margin={"l": 0, "r": 0, "t": 50, "b": 0})
    figure.add_trace(
        go.Choropleth(
            geojson=geojson_url,
            featureidkey="id",
            locations=[p.code for p in provinces],
            z=[1 for _p in provinces],
            colorscale=[[0, "#f6f8fa"], [1, "#f6f8fa"]],
            showscale=False,
            marker={"line": {"color": "#57606a", "width": 1}},
            customdata=[(p.name, p.zones) for p in provinces],
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>" + _("Zones") + ": %{customdata[1]}<extra></extra>"
            ),
            name=_("Provinces"),
        )
    )
    colourbar = {"title": {"text": _("Readiness<br>(0–100)")}, "len": 0.6, "thickness": 14}
    table_rows: list[tuple] = []
    notes: list[str] = []
    if not zones.truncated:
        located = [p for p in zones.points if p.latitude is not None and p.longitude is not None]
        for scored in (False, True):
            group = [p for p in located if (p.score is not None) is scored]
            if not group:
                continue
            marker = {"size": 11, "line": {"width": 1, "color": "#1b1f24"}}
            if scored:
                marker |= {
                    "color": [p.score for p in group],
                    "colorscale": READINESS_SCALE,
                    "cmin": 0,
                    "cmax": 100,
                    "colorbar": colourbar,
                }
            else:
                marker |= {"color": UNSCORED_COLOUR, "symbol": "circle-open", "line": {"width": 2}}
            figure.add_trace(
                go.Scattergeo(
                    lat=[p.latitude for p in group],
                    lon=[p.longitude for p in group],
                    mode="markers",
                    marker=marker,
                    name=_("Scored zone") if scored else _("Readiness not yet computed"),
                    customdata=[
                        (p.name, p.province, p.score if scored else _("not yet computed"))
                        for p in group
                    ],
                    hovertemplate=(
                        "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
                        + _("Readiness")
                        + ": %{customdata[2]}<extra></extra>"
                    ),
                )
            )
        unlocated = len(zones.points) - len(located)
        if unlocated:
            notes.append(
                ngettext(
                    "%(count)s zone has no recorded location and is not on the map.",
                    "%(count)s zones have no recorded location and are not on the map.",
                    unlocated,
                )
                % {"count": unlocated}
            )
        notes.append(_("Locations are approximate unless a zone's page says exact."))
        table_rows = [
            (p.name, p.province, p.district or None, p.latitude, p.longitude, p.score)
            for p in zones.points
        ]
        columns = [
            Column(_("Zone")),
            Column(_("Province")),
            Column(_("District")),
            Column(_("Latitude"), numeric=True),
            Column(_("Longitude"), numeric=True),
            Column(_("Readiness"), numeric=True),
        ]
    else:
        cells = zones.cells
        figure.add_trace(
            go.Scattergeo(
                lat=[c.latitude for c in cells],
                lon=[c.longitude for c in cells],
                mode="markers",
                marker={
                    "size": [min(8 + c.zones**0.5 * 2, 40) for c in cells],
                    "color": [_readiness_colour(c.mean_score) for c in cells],
                    "colorscale": READINESS_SCALE,
                    "cmin": 0,
                    "cmax": 100,
                    "colorbar": colourbar,
                    "line": {"width": 1, "color": "#1b1f24"},
                },
                name=_("Zones nearby"),
                customdata=[(c.zones, c.scored, _round(c.mean_score)) for c in cells],
                hovertemplate=(
                    _("Zones")
                    + ": %{customdata[0]}<br>"
                    + _("Scored")
                    + ": %{customdata[1]}<br>"
                    + _("Mean readiness")
                    + ": %{customdata[2]}<extra></extra>"
                ),
            )
        )
        notes.append(
            _(
                "Too many zones to draw one by one: each circle gathers the zones within "
                "about 50 km, sized by their number and coloured by their mean score."
            )
        )
        table_rows = [
            (c.latitude, c.longitude, c.zones, c.scored, _round(c.mean_score)) for c in cells
        ]
        columns = [
            Column(_("Latitude"), numeric=True),
            Column(_("Longitude"), numeric=True),
            Column(_("Zones"), numeric=True),
            Column(_("Scored"), numeric=True),
            Column(_("Mean readiness"), numeric=True),
        ]
    (lon_min, lon_max), (lat_min, lat_max) = bounds
    figure.update_geos(
        scope="asia",
        resolution=50,
        projection_type="mercator",
        lonaxis_range=[lon_min, lon_max],
        lataxis_range=[lat_min, lat_max],
        showland=True,
        landcolor="#eef1f4",
        showocean=True,
        oceancolor="#dbe9f6",
        showcountries=True,
        countrycolor="#8c959f",
        showlakes=False,
        showrivers=False,
        showframe=False,
    )
    figure.update_layout(legend={"y": 0, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.8)"})
    return Chart("zone-map", title, figure, Table(columns, table_rows), notes)


def milestone_slippage(bars: Sequence[SlippageBar], *, limit: int) -> Chart:
    """Days each zone's milestones slipped past their baseline, by responsible level:
    solid for delivered milestones (actual − baseline), hatched for the current plan."""
    title = _("Milestone slippage past the first plan, by zone and responsible level")
    zone_order: list[str] = []
    names: dict[str, str] = {}
    for bar in bars:
        if bar.zone_slug not in names:
            zone_order.append(bar.zone_slug)
            names[bar.zone_slug] = bar.zone_name
    height = max(380, 120 + 34 * len(zone_order))
    figure = _figure(
        title,
        height=height,
        x_title=_("Slippage (days later than the baseline date)"),
        y_title=_("Zone"),
        barmode="group",
    )
    figure.update_yaxes(
        autorange="reversed",
        categoryorder="array",
        categoryarray=[names[slug] for slug in zone_order],
    )
    figure.update_layout(bargap=0.2, bargroupgap=0.05)
    levels = dict(ResponsibleLevel.choices)
    measures = {
        "actual": _("delivered (actual vs baseline)"),
        "plan": _("not yet delivered (current plan vs baseline)"),
    }
    for level in ResponsibleLevel:
        for measure, measure_label in measures.items():
            chosen = [b for b in bars if b.responsible == level.value and b.measure == measure]
            if not chosen:
                continue
            figure.add_trace(
                go.Bar(
                    orientation="h",
                    y=[names[b.zone_slug] for b in chosen],
                    x=[b.days for b in chosen],
                    name=f"{levels[level.value]}: {measure_label}",
                    legendgroup=level.value,
                    marker={
                        "color": LEVEL_COLOURS[level],
                        "opacity": 0.6 if measure == "plan" else 1,
                        "pattern": {
                            "shape": "/" if measure == "plan" else "",
                            "fillmode": "overlay",
                            "fgcolor": "#ffffff",
                        },
                    },
                    customdata=[
                        (str(levels[level.value]), b.milestones, b.overdue) for b in chosen
                    ],
                    hovertemplate=(
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
                )
            )
    notes = [
        _(
            "Slippage is (actual date, or the current planned date if not yet delivered) "
            "minus the baseline date. Showing at most the %(limit)s zones that slipped most."
        )
        % {"limit": limit}
    ]
    if not bars:
        _no_data(figure, _("No milestones with a baseline and a later date recorded."))
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


def utilities_by_kind(counts: Sequence[UtilityCounts], *, zone_count: int) -> Chart:
    """For each core utility, how many zones are connected, at zero point, and so on."""
    title = _("Core utilities: zones by connection status")
    figure = _figure(
        title, x_title=_("Zones (count)"), y_title=_("Utility"), barmode="stack", height=360
    )
    figure.update_yaxes(autorange="reversed")
    status_labels = dict(UtilityStatus.choices)
    kinds = [c.label for c in counts]
    series = [
        (status.value, str(status_labels[status]), UTILITY_STATUS_COLOURS[status], {})
        for status in UTILITY_STATUS_ORDER
    ] + [("no_record", _("No record"), NO_RECORD_COLOUR, {"shape": "."})]
    for status, label, colour, pattern in series:
        values = [
            c.no_record if status == "no_record" else c.by_status.get(status, 0) for c in counts
        ]
        figure.add_trace(
            go.Bar(
                orientation="h",
                y=kinds,
                x=values,
                name=label,
                marker={"color": colour, "pattern": pattern},
                hovertemplate="<b>%{y}</b><br>" + label + ": %{x}<extra></extra>",
            )
        )
    notes = [
        _(
            "“Delivered to zero point” means the utility reached the zone's boundary; "
            "“connected” means it reaches plots inside the zone."
        )
    ]
    if not zone_count:
        _no_data(figure, _("No zones match these filters."))
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
    figure = _figure(title, x_title=_("Province"), y_title=_("Acres at stake"), height=360)
    if rows:
        figure.add_trace(
            go.Bar(
                x=[r.name for r in rows],
                y=[r.acres for r in rows],
                text=[
                    ngettext("%(count)s dispute", "%(count)s disputes", r.count)
                    % {"count": r.count}
                    for r in rows
                ],
                textposition="auto",
                marker={"color": "#a40e26"},
                customdata=[(r.count, r.without_acres) for r in rows],
                name=_("Acres at stake"),
                hovertemplate=(
                    "<b>%{x}</b><br>"
                    + _("Acres at stake")
                    + ": %{y:,.0f}<br>"
                    + _("Disputes")
                    + ": %{customdata[0]} ("
                    + _("acres not recorded for")
                    + " %{customdata[1]})<extra></extra>"
                ),
            )
        )
    else:
        _no_data(figure, _("No open land disputes recorded for these zones."))
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
        [(r.name, r.count, _round(r.acres, 0), r.without_acres) for r in rows],
    )
    return Chart("disputes", title, figure, table, notes)


def firms_by_origin(summary: FirmSummary) -> Chart:
    """Firms by origin group (Chinese, Pakistani, joint venture, other foreign) and status."""
    title = _("Firms by origin and status")
    figure = _figure(title, x_title=_("Origin"), y_title=_("Firms (count)"), barmode="stack")
    origin_labels = dict(OriginGroup.choices)
    status_labels = dict(FirmStatus.choices)
    origins = [str(origin_labels[o]) for o in ORIGIN_ORDER]
    counts = {(g.origin_group, g.status): g.count for g in summary.groups}
    for status in FIRM_STATUS_ORDER:
        label = str(status_labels[status])
        figure.add_trace(
            go.Bar(
                x=origins,
                y=[counts.get((o.value, status.value), 0) for o in ORIGIN_ORDER],
                name=label,
                marker={"color": FIRM_STATUS_COLOURS[status]},
                hovertemplate="<b>%{x}</b><br>" + label + ": %{y}<extra></extra>",
            )
        )
    if not summary.groups:
        _no_data(figure, _("No firms recorded for these zones."))
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


def readiness_over_time(series: Sequence[ReadinessSeries], *, all_label: str) -> Chart:
    """Mean latest readiness per group at the end of each period, from the snapshots."""
    title = _("Readiness over time: mean score of the zones scored by then")
    figure = _figure(title, x_title=_("Date"), y_title=_("Mean readiness score (0–100)"))
    figure.update_yaxes(range=[0, 100])
    for item in series:
        label = item.label or all_label
        figure.add_trace(
            go.Scatter(
                x=[p.isoformat() for p in item.periods],
                y=item.means,
                mode="lines+markers",
                name=label,
                customdata=item.zones,
                hovertemplate=(
                    "<b>"
                    + label
                    + "</b><br>%{x}<br>"
                    + _("Mean readiness")
                    + ": %{y:.1f}<br>"
                    + _("Zones scored")
                    + ": %{customdata}<extra></extra>"
                ),
            )
        )
    periods = sorted({p for item in series for p in item.periods})
    figure.update_xaxes(type="date", tickformat="%Y-%m-%d")
    if len(periods) == 1:
        only = periods[0]
        figure.update_xaxes(
            range=[
                (only - datetime.timedelta(days=15)).isoformat(),
                (only + datetime.timedelta(days=15)).isoformat(),
            ]
        )
    if not series:
        _no_data(figure, _("Readiness not yet computed: no snapshots recorded."))
    table = Table(
        [
            Column(_("Group")),
            Column(_("Period starting")),
            Column(_("Mean readiness"), numeric=True),
            Column(_("Zones scored"), numeric=True),
        ],
        [
            (item.label or all_label, period, mean, zones)
            for item in series
            for period, mean, zones in zip(item.periods, item.means, item.zones, strict=True)
        ],
    )
    notes = [
        _(
            "Each point averages every zone's latest score at the end of the period; "
            "zones not yet scored then are left out."
        )
    ]
    return Chart("readiness-history", title, figure, table, notes)


# --- Zone page ------------------------------------------------------------------------------


def zone_readiness_history(snapshots: Sequence[ZoneSnapshot]) -> Chart:
    """A zone's score after each recompute, with its four components (0–1) behind it."""
    title = _("Readiness score over time")
    figure = _figure(
        title, x_title=_("Computed at"), y_title=_("Readiness score (0–100)"), height=340
    )
    figure.update_yaxes(range=[0, 100])
    times = [s.computed_at.isoformat() for s in snapshots]
    components = [
        ("utilities", _("Utilities")),
        ("land", _("Land")),
        ("milestones", _("Milestones")),
        ("occupancy", _("Occupancy")),
    ]
    if snapshots:
        figure.add_trace(
            go.Scatter(
                x=times,
                y=[s.score for s in snapshots],
                mode="lines+markers",
                name=_("Score"),
                line={"color": "#0b5a3c", "width": 3, "shape": "hv"},
                customdata=[
                    tuple(round(getattr(s, attr) * 100) for attr, _label in components)
                    for s in snapshots
                ],
                hovertemplate=(
                    "%{x}<br><b>"
                    + _("Score")
                    + ": %{y:.1f}</b><br>"
                    + "<br>".join(
                        f"{label}: %{{customdata[{i}]}}%"
                        for i, (_a, label) in enumerate(components)
                    )
                    + "<extra></extra>"
                ),
            )
        )
    else:
        _no_data(figure, _("Readiness not yet computed for this zone."))
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
    height = max(320, 110 + 36 * len(milestones))
    figure = _figure(title, x_title=_("Date"), y_title=_("Milestone"), height=height)
    figure.update_yaxes(autorange="reversed")
    dated = [m for m in milestones if m.baseline or m.planned or m.actual]
    labels = [m.title for m in dated]
    levels = dict(ResponsibleLevel.choices)
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
            ys += [m.title, m.title, None]
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": LEVEL_COLOURS[level], "width": 4},
                name=_("Slippage") + f" ({levels[level.value]})",
                legendgroup=level.value,
                hoverinfo="skip",
            )
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
        figure.add_trace(
            go.Scatter(
                x=[getattr(m, attr).isoformat() for m in chosen],
                y=[m.title for m in chosen],
                mode="markers",
                marker={"symbol": symbol, "size": 12, "color": colour, "line": {"width": 2}},
                name=label,
                customdata=[
                    (m.responsible_label, m.status_label, _("overdue") if m.overdue else "")
                    for m in chosen
                ],
                hovertemplate=(
                    "<b>%{y}</b><br>"
                    + label
                    + ": %{x}<br>%{customdata[0]} · %{customdata[1]} %{customdata[2]}"
                    + "<extra></extra>"
                ),
            )
        )
    if dated:
        figure.add_vline(x=today.isoformat(), line={"color": "#a40e26", "dash": "dot"})
        figure.update_yaxes(categoryorder="array", categoryarray=labels)
    else:
        _no_data(figure, _("No milestone dates recorded for this zone."))
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
    return Chart("zone-milestones", title, figure, table, notes)


def zone_utilities(utilities: Sequence[ZoneUtility]) -> Chart:
    """Where each utility stands, from not started to connected inside the zone."""
    title = _("Utilities: how far each has come")
    status_labels = dict(UtilityStatus.choices)
    stages = [_("No record")] + [str(status_labels[s]) for s in reversed(UTILITY_STATUS_ORDER)]
    figure = _figure(
        title, x_title=_("Status"), y_title=_("Utility"), height=max(300, 90 + 40 * len(utilities))
    )
    figure.update_xaxes(
        categoryorder="array", categoryarray=stages, range=[-0.5, len(stages) - 0.5]
    )
    figure.update_yaxes(autorange="reversed")
    figure.add_trace(
        go.Scatter(
            x=[u.status_label or _("No record") for u in utilities],
            y=[u.label for u in utilities],
            mode="markers",
            marker={
                "size": 16,
                "symbol": ["circle" if u.status else "circle-open" for u in utilities],
                "color": [
                    UTILITY_STATUS_COLOURS.get(u.status, NO_RECORD_COLOUR) for u in utilities
                ],
                "line": {"width": 1, "color": "#1b1f24"},
            },
            name=_("Utility"),
            customdata=[
                (
                    _capacity(u.available, u.unit),
                    _capacity(u.required, u.unit),
                    u.provider or "—",
                    u.target_date.isoformat() if u.target_date else "—",
                )
                for u in utilities
            ],
            hovertemplate=(
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
            showlegend=False,
        )
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


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)
