"""The national policy page's chart: the median days a one-window takes to decide, by zone
authority and kind of application. Pure: plain rows in, a ``dashboards.figures.Chart`` out;
titles translated when the builder runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dashboards import figures
from dashboards.figures import Chart, Column, Table

#: A colour per kind of application (enterprise status, allotment, NOC).
KIND_COLOURS = ("#0969da", "#bf8700", "#8250df")


@dataclass(frozen=True)
class MedianRow:
    """One authority and kind: how many decisions, and their median days."""

    authority: str
    kind: str
    kind_label: str
    decided: int
    median_days_to_decide: float | None


def days_to_decide(rows: Sequence[MedianRow], *, kinds: Sequence[tuple[str, str]]) -> Chart:
    """Horizontal bars: per zone authority (y), one bar per kind (``kinds``: value, label)
    with its median days to decide; the table lists every row with its count of decisions."""
    title = _("Median days to decide an application, by zone authority and kind")
    authorities = sorted({row.authority for row in rows})
    by_key = {(row.authority, row.kind): row for row in rows}
    traces = []
    for index, (kind, label) in enumerate(kinds):
        present = [a for a in authorities if (a, kind) in by_key]
        if not present:
            continue
        traces.append(
            {
                "type": "bar",
                "name": label,
                "orientation": "h",
                "y": [figures.escaped(a) for a in present],
                "x": [by_key[(a, kind)].median_days_to_decide for a in present],
                "customdata": [by_key[(a, kind)].decided for a in present],
                "marker": {"color": KIND_COLOURS[index % len(KIND_COLOURS)]},
                "hovertemplate": "%{y}<br>"
                + figures.escaped(label)
                + ": %{x} "
                + _("days")
                + " (%{customdata})<extra></extra>",
            }
        )
    figure = figures.figure(
        title,
        x_title=_("Median days from application to decision"),
        height=max(320, 90 + 60 * len(authorities)),
        barmode="group",
        legend={"orientation": "h", "y": -0.2},
        yaxis={"autorange": "reversed"},
        data=traces,
        no_data=None if rows else _("No decided applications are recorded for these zones."),
    )
    table = Table(
        [
            Column(_("Zone authority")),
            Column(_("Kind")),
            Column(_("Decided"), numeric=True),
            Column(_("Median days to decide"), numeric=True),
        ],
        [
            (row.authority, row.kind_label, row.decided, row.median_days_to_decide)
            for row in sorted(rows, key=lambda r: (r.authority, r.kind))
        ],
    )
    notes = [
        _(
            "Decided = approved or rejected; withdrawn and pending applications are not "
            "counted. The median of an even count is the mean of the middle two."
        )
    ]
    return Chart("approval-days", title, figure, table, notes)
