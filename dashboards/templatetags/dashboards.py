"""Template helpers for the charts: embed a figure's JSON safely, format a table cell, write a
chart table's rows."""

from __future__ import annotations

import datetime

from django import template
from django.utils import formats, numberformat, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

# The escapes of Django's json_script, for JSON that plotly.io.to_json already wrote.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def figure_json_script(chart, element_id: str):
    """``<script type="application/json">`` holding a rendered chart's Plotly JSON,
    escaped exactly as ``json_script`` escapes (the figure is serialised by Plotly)."""
    return format_html(
        '<script id="{}" type="application/json">{}</script>',
        element_id,
        mark_safe(chart.figure_json.translate(_JSON_SCRIPT_ESCAPES)),
    )


@register.filter
def cell(value, number=None):
    """A table cell: a dash for unknowns, dates and numbers in the active locale (``number``:
    a formatter of :func:`locale_numbers`, when the caller has one)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, float | int) and not isinstance(value, bool):
        if number is not None:
            return number(value)
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return value


def locale_numbers():
    """``formats.number_format(value, use_l10n=True, force_grouping=True)`` for the active
    language, its separators and grouping looked up once rather than for every number (a
    third of the cost of each; a dashboard counting every zone writes thousands)."""
    language = get_language()
    separators = {
        "decimal_sep": formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
        "grouping": formats.get_format("NUMBER_GROUPING", language, use_l10n=True),
        "thousand_sep": formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
    }

    def number(value) -> str:
        return numberformat.format(value, force_grouping=True, use_l10n=True, **separators)

    return number


@register.filter
def table_rows(table):
    """A chart table's ``<tr>`` rows, each cell as ``cell`` formats it and escaped as the
    template would: the first a row header, numeric columns' cells of class ``num``.

    Written in one pass in Python, not by the template's loops: a zone page's nine tables
    hold about 250 cells, and the template engine's lookups, tags and filter calls for each
    cost 5–10 ms of a cold zone page."""
    opening = ["<th scope=\"row\">", *('<td class="num">' if column.numeric else "<td>"
                                        for column in table.columns[1:])]  # fmt: skip
    closing = ["</th>", *("</td>" for _ in table.columns[1:])]
    number = locale_numbers()
    html = []
    for row in table.rows:
        html.append("<tr>")
        for start, value, end in zip(opening, row, closing, strict=True):
            html.extend((start, conditional_escape(cell(value, number)), end))
        html.append("</tr>\n")
    return mark_safe("".join(html))  # every value escaped above
