"""Chart primitives shared by every chart module (the dashboards', delivery's): a chart as a
Plotly figure with the same numbers as a plain table, the house figure style, the "no data"
message, and the rendering that serialises a chart for the page.

Pure: no database and no cache; it works on plain values. Titles and labels are whatever the
caller passes, already translated; text that comes from the records (a zone's or a firm's
name, a milestone's title, a district, a provider) goes through ``escaped`` first."""

from __future__ import annotations

from collections.abc import Sequence
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


#: The house margins: room for the title above, long labels within. A chart gives only the
#: sides it changes (``margin={"t": 110}`` for a legend above the plot).
HOUSE_MARGIN = {"l": 10, "r": 10, "t": 50, "b": 10}


#: Whether a figure is made as plotly.py's ``go.Figure``, every trace and layout property
#: checked, or as plain ``Drawn`` data. plotly.js draws the same JSON either way (a test
#: compares every figure of the demo country's pages), but plotly.py's objects cost more than
#: the rest of a chart: off when serving pages, on in the tests (``tests/conftest.py``), so
#: that a misspelt property still fails there.
VALIDATE_LAYOUT = False


@dataclass(frozen=True)
class Drawn:
    """A figure as plotly.js reads it, without plotly.py's objects: its traces (plain
    dictionaries naming their ``type``) and its layout. What ``figure`` makes when serving;
    about a twentieth of the CPU of an unchecked ``go.Figure`` made, copied and serialised
    (0.02 against 0.39 ms for a bar chart of two traces)."""

    data: list[dict]
    layout: dict


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    """The numbers behind a chart, for screen readers and for people who prefer tables."""

    columns: list[Column]
    rows: list[tuple]


@dataclass(frozen=True)
class Chart:
    """A figure, its plain-table alternative and a note on what the figure leaves out."""

    key: str
    title: str
    figure: go.Figure | Drawn
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
    title: str,
    *,
    height: int = 380,
    x_title: str = "",
    y_title: str = "",
    data: Sequence[dict] = (),
    no_data: str | None = None,
    **layout,
) -> go.Figure | Drawn:
    """A figure in the house style, titled, with its axes' titles (the first x and y axes':
    a second axis given in ``layout`` keeps its own), drawing ``data``: its traces, each a
    plain dictionary naming its ``type`` (``{"type": "bar", "x": […], "y": […]}``).
    ``layout`` adds to or overrides the layout (a ``margin`` only the sides it names). With
    ``no_data``, a message instead of the axes: there is nothing to draw.

    A chart builder gathers its traces and its layout first, then makes the figure once:
    plotly builds and checks its objects on every ``add_trace`` and ``update_layout`` (about
    1 ms each, more than the rest of a chart). Here a ``Drawn`` figure when serving, a checked
    ``go.Figure`` in the tests (``VALIDATE_LAYOUT``: every figure the pages send is checked
    whole by the tests, traces and layout, through this same call). The house style
    (``TEMPLATE``) is put in when the figure is serialised (``render``): plotly checks a
    template afresh for every figure given one; plotly's own plain template "none" stands in
    until then."""
    for axis, text in (("xaxis", x_title), ("yaxis", y_title)):
        if text:
            given = layout.get(axis, {})
            layout[axis] = {**given, "title": {**given.get("title", {}), "text": text}}
    layout = {
        "template": "none",
        "title": {"text": title, "x": 0, "xanchor": "left"},
        "height": height,
        **layout,
        "margin": {**HOUSE_MARGIN, **layout.get("margin", {})},
    }
    if no_data is not None:
        _say_no_data(layout, no_data)
    if not VALIDATE_LAYOUT:
        return Drawn(list(data), layout)
    return go.Figure(data=list(data), layout=layout)


def _say_no_data(layout: dict, message: str) -> None:
    """``message`` in the middle of the figure and every axis of ``layout`` hidden."""
    axes = {"xaxis", "yaxis", *(name for name in layout if name.startswith(("xaxis", "yaxis")))}
    for axis in axes:
        layout[axis] = {**layout.get(axis, {}), "visible": False}
    annotation = {
        "text": message, "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.5,
        "y": 0.5, "font": {"size": 15, "color": "#57606a"},
    }  # fmt: skip
    layout["annotations"] = [*layout.get("annotations", ()), annotation]


def vertical_line(x, line: dict) -> dict:
    """A line across the plot at ``x`` (a number, or a date in ISO form), for the layout's
    ``shapes``: the shape plotly's ``add_vline`` makes, which costs three times the whole
    figure."""
    return {
        "type": "line", "xref": "x", "yref": "y domain", "x0": x, "x1": x, "y0": 0, "y1": 1,
        "line": line,
    }  # fmt: skip


def subplot_grid(
    rows: int,
    cols: int,
    *,
    titles: Sequence[str],
    horizontal_spacing: float,
    vertical_spacing: float,
    shared_xaxes: bool = False,
) -> dict:
    """The layout of ``rows`` × ``cols`` panels, each titled, numbered row by row from the top
    left (``xaxis``/``yaxis``, ``xaxis2``/``yaxis2``…): the same axes, domains and title
    annotations as plotly's ``make_subplots``, to the last digit of the floats, without the
    figure it builds and updates. A trace is drawn in panel ``n`` by ``"xaxis": "x<n>"`` and
    ``"yaxis": "y<n>"`` (``"x"``, ``"y"`` for the first). With ``shared_xaxes``, each
    column's panels follow the x axis of its bottom one, whose tick labels alone show."""
    # make_subplots' own arithmetic, kept term for term: its floats are the ones in the JSON.
    width = (1.0 - horizontal_spacing * (cols - 1)) / cols
    height = (1.0 - vertical_spacing * (rows - 1)) / rows
    layout: dict = {}
    titled = []
    for row in range(rows):
        below = rows - 1 - row
        bottom = sum([height] * below) + below * vertical_spacing
        y_domain = [min(max(bottom, 0.0), 1.0), min(max(bottom + height, 0.0), 1.0)]
        for col in range(cols):
            left = sum([width] * col) + col * horizontal_spacing
            x_domain = [left, left + width]
            number = row * cols + col + 1
            axis = "" if number == 1 else str(number)
            layout[f"xaxis{axis}"] = {
                "domain": [max(0.0, x_domain[0]), min(1.0, x_domain[1])],
                "anchor": f"y{axis}",
            }
            layout[f"yaxis{axis}"] = {"domain": y_domain, "anchor": f"x{axis}"}
            if shared_xaxes and row < rows - 1:
                matches = f"x{(rows - 1) * cols + col + 1}"  # the bottom panel's, not the first
                layout[f"xaxis{axis}"] |= {"matches": matches, "showticklabels": False}
            title = titles[number - 1] if number <= len(titles) else ""
            if title:
                titled.append(
                    {
                        "y": y_domain[1], "xref": "paper", "x": sum(x_domain) / 2.0,
                        "yref": "paper", "text": title, "showarrow": False,
                        "font": {"size": 16}, "xanchor": "center", "yanchor": "bottom",
                    }
                )  # fmt: skip
    if titled:
        layout["annotations"] = titled
    return layout


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
    """Serialise ``chart``'s figure with Plotly, in the house style (``TEMPLATE``), ready for
    ``figure_json_script``."""
    return RenderedChart(chart, figure_json(chart.figure), rows_url, base_map)


#: ``TEMPLATE`` as it is serialised, made once.
_TEMPLATE_JSON = TEMPLATE.to_plotly_json()


def figure_json(figure: go.Figure | Drawn) -> str:
    """``figure`` (made by ``figure``) as Plotly JSON, in the house style."""
    if isinstance(figure, Drawn):
        drawn = {"data": figure.data, "layout": {**figure.layout, "template": _TEMPLATE_JSON}}
    else:
        drawn = figure.to_dict()
        drawn["layout"]["template"] = _TEMPLATE_JSON
    return pio.to_json(drawn, validate=False)
