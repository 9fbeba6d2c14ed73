"""Figure builders for readiness on the national and province pages: the spread of scores
per province or district, the zones on the map coloured by their score, and the mean score
over time. Pure functions from ``dashboards.data`` to a ``dashboards.figures.Chart``; no
database access, titles translated when a builder runs.

A zone never scored is not drawn at zero: it is left out with a note, or drawn apart."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import plotly.colors
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import figures
from .data import ProvinceArea, ReadinessGroup, ReadinessSeries, ZonePoint, ZonePoints
from .figures import Chart, Column, Table

#: Plotly's "Viridis", spelt out as the stops plotly.py sends for that name: plotly.py expands
#: a named scale when it checks a trace, and the traces here go unchecked when serving
#: (``figures.VALIDATE_LAYOUT``); the bare name would draw plotly.js's own "Viridis", whose
#: stops differ.
READINESS_SCALE = [
    [i / (len(plotly.colors.sequential.Viridis) - 1), colour]
    for i, colour in enumerate(plotly.colors.sequential.Viridis)
]
UNSCORED_COLOUR = "#8c959f"
#: The readiness distribution draws at most this many groups (provinces or districts).
MAX_GROUPS = 30
#: Where the map looks when it shows the whole country: Pakistan with a margin.
PAKISTAN_BOUNDS = ((60.5, 78.0), (23.5, 37.5))


def _readiness_colour(score: float | None) -> str | float:
    return UNSCORED_COLOUR if score is None else score


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

    def axis_label(group: ReadinessGroup) -> str:
        label = figures.escaped(group.label) or _("(no district)")
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
    traces = []
    if scored:
        traces.append(
            {
                "type": "box",
                "orientation": "h",
                "y": [axis[g.label] for g in scored],
                "q1": [g.q1 for g in scored],
                "median": [g.median for g in scored],
                "q3": [g.q3 for g in scored],
                "lowerfence": [g.minimum for g in scored],
                "upperfence": [g.maximum for g in scored],
                "mean": [g.mean for g in scored],
                "name": _("Spread of scores"),
                "marker": {"color": "#57606a"},
                "fillcolor": "rgba(11, 90, 60, 0.10)",
                "line": {"color": "#0b5a3c"},
                "hoverinfo": "x",
            }
        )
    if points is not None:
        drawn = [p for p in points if p.score is not None and getattr(p, by) in axis]
        traces.append(
            {
                "type": "scatter",
                "y": [axis[getattr(p, by)] for p in drawn],
                "x": [p.score for p in drawn],
                "mode": "markers",
                "name": _("A zone"),
                "marker": {
                    "color": [p.score for p in drawn],
                    "colorscale": READINESS_SCALE,
                    "cmin": 0,
                    "cmax": 100,
                    "size": 9,
                    "line": {"width": 1, "color": "#ffffff"},
                },
                "customdata": [(figures.escaped(p.name), str(p.status)) for p in drawn],
                "hovertemplate": (
                    "<b>%{customdata[0]}</b><br>" + _("Readiness") + ": %{x:.1f}<extra></extra>"
                ),
            }
        )
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
    if scored:
        message = None
    elif groups:
        message = _("Readiness not yet computed for these zones.")
    else:
        message = _("No zones.")
    figure = figures.figure(
        title,
        height=max(320, 110 + 52 * len(groups)),
        x_title=_("Readiness score (0–100)"),
        y_title=group_title,
        xaxis={"range": [0, 100]},
        yaxis={
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": [axis[g.label] for g in groups],
        },
        data=traces,
        no_data=message,
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
                figures.rounded(g.mean),
                figures.rounded(g.minimum),
                figures.rounded(g.median),
                figures.rounded(g.maximum),
            )
            for g in table_groups
        ],
    )
    return Chart("readiness-distribution", title, figure, table, notes)


def zone_map(
    zones: ZonePoints,
    provinces: Sequence[ProvinceArea],
    *,
    geojson_url: str,
    bounds: tuple[tuple[float, float], tuple[float, float]] = PAKISTAN_BOUNDS,
) -> Chart:
    """Zones on a map over province boundaries, coloured by readiness (grey: not scored)."""
    title = _("Where the zones are, coloured by readiness score")
    traces = [
        {
            "type": "choropleth",
            "geojson": geojson_url,
            "featureidkey": "id",
            "locations": [p.code for p in provinces],
            "z": [1 for _p in provinces],
            "colorscale": [[0, "#f6f8fa"], [1, "#f6f8fa"]],
            "showscale": False,
            "marker": {"line": {"color": "#57606a", "width": 1}},
            "customdata": [(figures.escaped(p.name), p.zones) for p in provinces],
            "hovertemplate": (
                "<b>%{customdata[0]}</b><br>" + _("Zones") + ": %{customdata[1]}<extra></extra>"
            ),
            "name": _("Provinces"),
        }
    ]
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
            traces.append(
                {
                    "type": "scattergeo",
                    "lat": [p.latitude for p in group],
                    "lon": [p.longitude for p in group],
                    "mode": "markers",
                    "marker": marker,
                    "name": _("Scored zone") if scored else _("Readiness not yet computed"),
                    "customdata": [
                        (
                            figures.escaped(p.name),
                            figures.escaped(p.province),
                            p.score if scored else _("not yet computed"),
                        )
                        for p in group
                    ],
                    "hovertemplate": (
                        "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
                        + _("Readiness")
                        + ": %{customdata[2]}<extra></extra>"
                    ),
                }
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
        traces.append(
            {
                "type": "scattergeo",
                "lat": [c.latitude for c in cells],
                "lon": [c.longitude for c in cells],
                "mode": "markers",
                "marker": {
                    "size": [min(8 + c.zones**0.5 * 2, 40) for c in cells],
                    "color": [_readiness_colour(c.mean_score) for c in cells],
                    "colorscale": READINESS_SCALE,
                    "cmin": 0,
                    "cmax": 100,
                    "colorbar": colourbar,
                    "line": {"width": 1, "color": "#1b1f24"},
                },
                "name": _("Zones nearby"),
                "customdata": [(c.zones, c.scored, figures.rounded(c.mean_score)) for c in cells],
                "hovertemplate": (
                    _("Zones")
                    + ": %{customdata[0]}<br>"
                    + _("Scored")
                    + ": %{customdata[1]}<br>"
                    + _("Mean readiness")
                    + ": %{customdata[2]}<extra></extra>"
                ),
            }
        )
        notes.append(
            _(
                "Too many zones to draw one by one: each circle gathers the zones within "
                "about 50 km, sized by their number and coloured by their mean score."
            )
        )
        table_rows = [
            (c.latitude, c.longitude, c.zones, c.scored, figures.rounded(c.mean_score))
            for c in cells
        ]
        columns = [
            Column(_("Latitude"), numeric=True),
            Column(_("Longitude"), numeric=True),
            Column(_("Zones"), numeric=True),
            Column(_("Scored"), numeric=True),
            Column(_("Mean readiness"), numeric=True),
        ]
    (lon_min, lon_max), (lat_min, lat_max) = bounds
    geo = {
        "scope": "asia",
        "resolution": 50,
        "projection": {"type": "mercator"},
        "lonaxis": {"range": [lon_min, lon_max]},
        "lataxis": {"range": [lat_min, lat_max]},
        "showland": True,
        "landcolor": "#eef1f4",
        "showocean": True,
        "oceancolor": "#dbe9f6",
        "showcountries": True,
        "countrycolor": "#8c959f",
        "showlakes": False,
        "showrivers": False,
        "showframe": False,
    }
    figure = figures.figure(
        title,
        height=560,
        margin={"l": 0, "r": 0, "t": 50, "b": 0},
        geo=geo,
        legend={"y": 0, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.8)"},
        data=traces,
    )
    return Chart("zone-map", title, figure, Table(columns, table_rows), notes)


def readiness_over_time(series: Sequence[ReadinessSeries], *, all_label: str) -> Chart:
    """Mean latest readiness per group at the end of each period, from the snapshots."""
    title = _("Readiness over time: mean score of the zones scored by then")
    traces = []
    for item in series:
        label = figures.escaped(item.label) or all_label
        traces.append(
            {
                "type": "scatter",
                "x": [p.isoformat() for p in item.periods],
                "y": item.means,
                "mode": "lines+markers",
                "name": label,
                "customdata": item.zones,
                "hovertemplate": (
                    "<b>"
                    + label
                    + "</b><br>%{x}<br>"
                    + _("Mean readiness")
                    + ": %{y:.1f}<br>"
                    + _("Zones scored")
                    + ": %{customdata}<extra></extra>"
                ),
            }
        )
    periods = sorted({p for item in series for p in item.periods})
    layout: dict = {
        "xaxis": {"type": "date", "tickformat": "%Y-%m-%d"},
        "yaxis": {"range": [0, 100]},
    }
    if len(periods) == 1:
        only = periods[0]
        layout["xaxis"]["range"] = [
            (only - datetime.timedelta(days=15)).isoformat(),
            (only + datetime.timedelta(days=15)).isoformat(),
        ]
    figure = figures.figure(
        title,
        x_title=_("Date"),
        y_title=_("Mean readiness score (0–100)"),
        data=traces,
        no_data=None if series else _("Readiness not yet computed: no snapshots recorded."),
        **layout,
    )
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
