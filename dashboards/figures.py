"""Chart primitives shared by every chart module (the dashboards', delivery's): a chart as a
Plotly figure with the same numbers as a plain table, the house figure style, the "no data"
message, and the rendering that serialises a chart for the page.

Pure: no database and no cache; it works on plain values. Titles and labels are whatever the
caller passes, already translated; text that comes from the records (a zone's or a firm's
name, a milestone's title, a district, a provider) goes through ``escaped`` first."""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go
import plotly.io as pio

#: The house style: the page's font and colours, light grids, room for long labels.
TEMPLATE = go.layout.Template(
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


def escaped(text: str | None) -> str | None:
    """Text from the records, safe in a figure. Plotly draws a subset of HTML in chart text
    (names, labels, hover text, annotations, tick labels: ``<b>``, ``<br>``, ``<a href>``), so
    ``&``, ``<`` and ``>`` become entities and a name such as ``<a href=…>`` shows as written,
    never as markup or a link. Only for figures: tables are escaped by the template. None
    stays None (an unknown value)."""
    if text is None:
        return None
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def figure(
    title: str, *, height: int = 380, x_title: str = "", y_title: str = "", **layout
) -> go.Figure:
    """An empty figure in the house style, titled, with its axes' titles (the first x and y
    axes': a second axis given in ``layout`` keeps its own); ``layout`` adds to or overrides
    the layout.

    The axes' titles go into the layout the figure is made with, never through
    ``update_xaxes(title_text=…)``: plotly parses every such "magic underscore" path afresh,
    several times the cost of the figure itself (a dashboard built afresh draws twelve).

    The layout is not validated here (``_validate=False``: a fifth of the cost, and on a
    page of mostly empty charts most of the page's time): it is our own literal, and every
    figure a dashboard sends is validated whole by the tests
    (``tests/dashboards/test_views.py``). Traces and later updates are validated as usual."""
    for axis, text in (("xaxis", x_title), ("yaxis", y_title)):
        if text:
            given = layout.get(axis, {})
            layout[axis] = {**given, "title": {**given.get("title", {}), "text": text}}
    return go.Figure(
        layout={
            "template": TEMPLATE,
            "title": {"text": title, "x": 0, "xanchor": "left"},
            "height": height,
            "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
            **layout,
        },
        _validate=False,
    )


def no_data(figure: go.Figure, message: str) -> None:
    """Say ``message`` in the middle of ``figure`` and hide its axes: there is nothing to draw.

    One layout update from plain values (the axes named from the layout's own keys), not
    ``add_annotation`` and ``for_each_xaxis``: those build and walk plotly objects, about
    half the cost of an empty chart."""
    given = figure.layout.to_plotly_json()
    axes = {"xaxis", "yaxis", *(name for name in given if name.startswith(("xaxis", "yaxis")))}
    annotation = {
        "text": message, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.5,
        "y": 0.5, "font": {"size": 15, "color": "#57606a"},
    }  # fmt: skip
    figure.update_layout(
        annotations=[*given.get("annotations", ()), annotation],
        **{axis: {"visible": False} for axis in sorted(axes)},
    )


def rounded(value: float | None, digits: int = 1) -> float | None:
    """A table's number rounded to ``digits``; an unknown stays unknown."""
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class RenderedChart:
    """A chart ready for the template: its figure as Plotly JSON and where its rows are."""

    chart: Chart
    figure_json: str
    rows_url: str
    base_map: str | None = None

    @property
    def key(self) -> str:
        return self.chart.key


def render(chart: Chart, *, rows_url: str, base_map: str | None = None) -> RenderedChart:
    """Serialise ``chart``'s figure with Plotly, ready for ``figure_json_script``."""
    return RenderedChart(chart, pio.to_json(chart.figure, validate=False), rows_url, base_map)
