"""Figure builders for plots, the utility clock and outages on the national and province pages
(DOMAIN.md, version 2): allocation rate by province, idle plots by age, median days to
connect by provider and kind beside the waiting requests' ages, and outage hours by zone as
developers and tenants report them. Pure functions from ``dashboards.data`` to a
``dashboards.figures.Chart``; no database access, titles translated when a builder runs.

The figures are the ones ``zones.plot_rules`` defines; nothing unknown is drawn as zero: a
provider with nobody waiting has no "oldest waiting" bar, a reporter without a report no bar."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zones.plot_rules import IDLE_AGE_BANDS

from . import figures
from .data import IdlePlots, PlotAllocation, ProviderClock, ZoneOutages
from .figures import Chart, Column, Table

ALLOTTED_COLOUR = "#4e79a7"
RESERVED_COLOUR = "#a0cbe8"
AVAILABLE_COLOUR = "#7bc47f"
IDLE_BAND_COLOURS = ("#f3d9a4", "#e3a21a", "#a40e26")
CONNECT_COLOUR = "#1f5f99"
WAITING_COLOUR = "#c26a00"
DEVELOPER_COLOUR = "#6a3d9a"
TENANT_COLOUR = "#e3a21a"
#: The legend above the plot, across: the charts sit half a page wide, and long category
#: labels leave a legend at the side too little room.
LEGEND_ABOVE = {
    "orientation": "h",
    "y": 1.0,
    "yanchor": "bottom",
    "x": 0,
    "traceorder": "normal",
}


def percent(ratio: float | None) -> float | None:
    """A ratio as a percentage with one decimal; unknown stays unknown."""
    return None if ratio is None else round(ratio * 100, 1)


def band_labels() -> list[str]:
    """The idle plots' age bands, in words (years since allotment)."""
    labels = []
    for above, at_most in IDLE_AGE_BANDS:
        if at_most is None:
            labels.append(_("over %(years)s years") % {"years": above // 365})
        else:
            labels.append(
                _("%(low)s to %(high)s years") % {"low": above // 365, "high": at_most // 365}
            )
    return labels


def allocation_by_province(rows: Sequence[PlotAllocation]) -> Chart:
    """Saleable acres of each province's plots, split into allotted, reserved and available,
    with the allocation rate (reserved + allotted ÷ saleable) over each bar."""
    title = _("Plots: saleable acres and allocation rate, by province")
    names = [figures.escaped(r.name) for r in rows]
    series = [
        (_("Allotted"), ALLOTTED_COLOUR, [r.allotted_acres for r in rows]),
        (_("Reserved"), RESERVED_COLOUR, [r.reserved_acres for r in rows]),
        (_("Available"), AVAILABLE_COLOUR, [r.available_acres for r in rows]),
    ]
    rates = [percent(r.allocation_rate) for r in rows]
    traces = []
    for label, colour, values in series:
        traces.append(
            {
                "type": "bar",
                "x": names,
                "y": values,
                "name": label,
                "marker": {"color": colour},
                "customdata": [(rate, r.plots) for rate, r in zip(rates, rows, strict=True)],
                "hovertemplate": (
                    "<b>%{x}</b><br>"
                    + label
                    + ": %{y:,.1f} "
                    + _("acres")
                    + "<br>"
                    + _("Allocation rate")
                    + ": %{customdata[0]} %<br>"
                    + _("Plots")
                    + ": %{customdata[1]}<extra></extra>"
                ),
            }
        )
    # The allocation rate over each bar: the text of the top (last) series.
    traces[-1] |= {
        "text": [
            "" if rate is None else _("%(rate)s %% allocated") % {"rate": rate} for rate in rates
        ],
        "textposition": "outside",
    }
    figure = figures.figure(
        title,
        x_title=_("Province"),
        y_title=_("Saleable acres"),
        barmode="stack",
        height=380,
        data=traces,
        no_data=None if rows else _("No plots recorded for these zones."),
    )
    notes = [
        _(
            "Saleable acres are the plots that are not amenity land (roads, green, utility "
            "land) and not cancelled; the allocation rate is the reserved and allotted acres "
            "divided by them."
        )
    ]
    table = Table(
        [
            Column(_("Province")),
            Column(_("Plots"), numeric=True),
            Column(_("Saleable acres"), numeric=True),
            Column(_("Allotted acres"), numeric=True),
            Column(_("Reserved acres"), numeric=True),
            Column(_("Available acres"), numeric=True),
            Column(_("Allocation rate (%)"), numeric=True),
        ],
        [
            (
                r.name,
                r.plots,
                figures.rounded(r.saleable_acres, 2),
                figures.rounded(r.allotted_acres, 2),
                figures.rounded(r.reserved_acres, 2),
                figures.rounded(r.available_acres, 2),
                rate,
            )
            for r, rate in zip(rows, rates, strict=True)
        ],
    )
    return Chart("plot-allocation", title, figure, table, notes)


def idle_plots(rows: Sequence[IdlePlots], *, group_title: str, limit: int | None = None) -> Chart:
    """Idle plots (allotted over a year ago, with no construction and no production) per
    province or zone, stacked by how long ago they were allotted."""
    title = _("Idle plots by %(group)s: years since allotment") % {"group": group_title.lower()}
    shown = [r for r in rows if r.idle]
    labels = band_labels()
    names = [figures.escaped(r.label) for r in shown]
    traces = []
    for index, label in enumerate(labels):
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": names,
                "x": [r.by_band[index] for r in shown],
                "name": label,
                "marker": {"color": IDLE_BAND_COLOURS[index % len(IDLE_BAND_COLOURS)]},
                "customdata": [
                    (r.idle, r.median_age_days, r.oldest_age_days, r.idle_acres) for r in shown
                ],
                "hovertemplate": (
                    "<b>%{y}</b><br>"
                    + label
                    + ": %{x}<br>"
                    + _("Idle plots")
                    + ": %{customdata[0]} (%{customdata[3]:,.1f} "
                    + _("acres")
                    + ")<br>"
                    + _("Median age (days since allotment)")
                    + ": %{customdata[1]}<br>"
                    + _("Oldest (days since allotment)")
                    + ": %{customdata[2]}<extra></extra>"
                ),
            }
        )
    layout: dict = {"yaxis": {"autorange": "reversed"}}
    if max((r.idle for r in shown), default=0) <= 10:
        layout["xaxis"] = {"dtick": 1}  # counts: no half plots on the axis
    figure = figures.figure(
        title,
        height=max(340, 120 + 34 * len(shown)),
        x_title=_("Idle plots (count)"),
        y_title=group_title,
        barmode="stack",
        legend=LEGEND_ABOVE,
        margin={"t": 110},  # a legend above the plot
        data=traces,
        no_data=None if shown else _("No idle plots recorded for these zones."),
        **layout,
    )
    notes = [
        _(
            "An idle plot was allotted more than 365 days ago and has no construction start "
            "and no production start; its age counts the days since allotment."
        )
    ]
    if limit is not None:
        notes.append(
            _("Showing at most the %(limit)s zones with the most idle plots.") % {"limit": limit}
        )
    table = Table(
        [
            Column(group_title),
            Column(_("Allotted plots"), numeric=True),
            Column(_("Idle plots"), numeric=True),
            Column(_("Idle acres"), numeric=True),
            *(Column(label, numeric=True) for label in labels),
            Column(_("Median age (days)"), numeric=True),
            Column(_("Oldest (days)"), numeric=True),
        ],
        [
            (
                r.label,
                r.allotted,
                r.idle,
                figures.rounded(r.idle_acres, 2),
                *r.by_band,
                r.median_age_days,
                r.oldest_age_days,
            )
            for r in rows
        ],
    )
    return Chart("idle-plots", title, figure, table, notes)


def clock_label(row: ProviderClock) -> str:
    provider = row.provider or _("(provider not recorded)")
    return f"{row.kind_label} · {provider}"


def utility_clock(rows: Sequence[ProviderClock], *, limit: int | None = None) -> Chart:
    """Median days from a unit's application to its connection, per kind and provider, beside
    how long the oldest request still waiting has waited."""
    title = _("Days to connect a unit, by provider and utility")
    names = [
        f"{r.kind_label}<br>{figures.escaped(r.provider) or _('(provider not recorded)')}"
        for r in rows
    ]
    customdata = [(r.connected, r.waiting) for r in rows]
    detail = (
        "<br>"
        + _("Connected")
        + ": %{customdata[0]} · "
        + _("waiting")
        + ": %{customdata[1]}<extra></extra>"
    )
    connect = {
        "type": "bar",
        "orientation": "h",
        "y": names,
        "x": [r.median_days_to_connect for r in rows],
        "name": _("Median days to connect (connected requests)"),
        "marker": {"color": CONNECT_COLOUR},
        "customdata": customdata,
        "hovertemplate": "<b>%{y}</b><br>" + _("Median days to connect") + ": %{x}" + detail,
    }
    waiting = {
        "type": "bar",
        "orientation": "h",
        "y": names,
        "x": [r.oldest_waiting_days for r in rows],
        "name": _("Oldest request still waiting (days since it was made)"),
        "marker": {
            "color": WAITING_COLOUR,
            "pattern": {"shape": "/", "fillmode": "overlay", "fgcolor": "#ffffff"},
        },
        "customdata": customdata,
        "hovertemplate": "<b>%{y}</b><br>" + _("Oldest waiting") + ": %{x} " + _("days") + detail,
    }
    figure = figures.figure(
        title,
        height=max(360, 150 + 52 * len(rows)),
        x_title=_("Days"),
        y_title=_("Utility and provider"),
        barmode="group",
        legend=LEGEND_ABOVE,
        margin={"t": 110},  # a legend above the plot
        yaxis={"autorange": "reversed"},
        data=[connect, waiting],
        no_data=None if rows else _("No utility requests recorded for these zones."),
    )
    notes = [
        _(
            "Days to connect run from a unit's application to its connection; a median of an "
            "even count is the mean of the middle two. Withdrawn requests are not counted."
        )
    ]
    if limit is not None and len(rows) >= limit:
        notes.append(
            _("Showing at most the %(limit)s providers and kinds with the most requests.")
            % {"limit": limit}
        )
    table = Table(
        [
            Column(_("Utility and provider")),
            Column(_("Connected"), numeric=True),
            Column(_("Median days to connect"), numeric=True),
            Column(_("Waiting"), numeric=True),
            Column(_("Oldest waiting (days)"), numeric=True),
        ],
        [
            (
                clock_label(r),
                r.connected,
                r.median_days_to_connect,
                r.waiting,
                r.oldest_waiting_days,
            )
            for r in rows
        ],
    )
    return Chart("utility-clock", title, figure, table, notes)


def outage_hours(
    rows: Sequence[ZoneOutages], *, window_label: str, limit: int | None = None
) -> Chart:
    """Hours without supply over the last 12 whole months, per zone and utility: the
    developer's report beside the tenants'."""
    title = _("Outage hours, last 12 months: developer vs tenants")
    names = [f"{figures.escaped(r.zone_name)}<br>{r.kind_label}" for r in rows]
    traces = []
    for label, colour, hours, share in (
        (_("Developer's report"), DEVELOPER_COLOUR, "developer_hours", "developer_share"),
        (_("Tenants' report"), TENANT_COLOUR, "tenant_hours", "tenant_share"),
    ):
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "y": names,
                "x": [getattr(r, hours) for r in rows],
                "name": label,
                "marker": {"color": colour},
                "customdata": [percent(getattr(r, share)) for r in rows],
                "hovertemplate": (
                    "<b>%{y}</b><br>"
                    + label
                    + ": %{x:,.1f} "
                    + _("hours")
                    + " (%{customdata} % "
                    + _("of the reported months' hours")
                    + ")<extra></extra>"
                ),
            }
        )
    figure = figures.figure(
        title,
        height=max(360, 150 + 52 * len(rows)),
        x_title=_("Hours without supply (12 months)"),
        y_title=_("Zone and utility"),
        barmode="group",
        legend=LEGEND_ABOVE,
        margin={"t": 110},  # a legend above the plot
        yaxis={"autorange": "reversed"},
        data=traces,
        no_data=None if rows else _("No outage reports for the last 12 months for these zones."),
    )
    notes = [
        _(
            "The 12 whole months %(window)s. The share divides the hours by those of the "
            "months that have a report; a missing bar means that reporter sent no report."
        )
        % {"window": window_label}
    ]
    if limit is not None:
        zones = len({r.zone_slug for r in rows})
        notes.append(
            ngettext(
                "Showing %(count)s zone: at most the %(limit)s with the most hours reported.",
                "Showing %(count)s zones: at most the %(limit)s with the most hours reported.",
                zones,
            )
            % {"count": zones, "limit": limit}
        )
    table = Table(
        [
            Column(_("Zone")),
            Column(_("Utility")),
            Column(_("Developer: hours"), numeric=True),
            Column(_("Developer: share of the month's hours (%)"), numeric=True),
            Column(_("Tenants: hours"), numeric=True),
            Column(_("Tenants: share of the month's hours (%)"), numeric=True),
        ],
        [
            (
                r.zone_name,
                r.kind_label,
                figures.rounded(r.developer_hours),
                percent(r.developer_share),
                figures.rounded(r.tenant_hours),
                percent(r.tenant_share),
            )
            for r in rows
        ],
    )
    return Chart("outage-hours", title, figure, table, notes)
