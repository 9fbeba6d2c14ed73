"""Template helpers for the charts: embed a figure's JSON safely, draw a zone's charts."""

from __future__ import annotations

import datetime

from django import template
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from dashboards import cache as dashboards_cache
from dashboards import selectors
from dashboards import zone_page_charts as charts
from dashboards.figures import render as render_chart

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
def cell(value):
    """A table cell: a dash for unknowns, dates and numbers in the active locale."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, float | int) and not isinstance(value, bool):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return value


@register.simple_tag
def zone_charts(zone):
    """A zone's readiness history, milestone timeline and utilities: three queries, and
    none while the rendered charts are in the dashboards' cache."""
    key = f"dashboards:zone:{dashboards_cache.zone_version(zone.pk)}:{get_language()}:{zone.pk}"
    return dashboards_cache.cached(key, lambda: (True, _render_zone_charts(zone)))


def _render_zone_charts(zone) -> str:
    today = timezone.localdate()
    data = selectors.zone_chart_data(zone=zone, today=today)
    built = [
        # The zone page's own tables (#milestones, #utilities) hold the records themselves.
        (charts.zone_readiness_history(data.snapshots), "#table-zone-readiness-history"),
        (charts.zone_milestone_timeline(data.milestones, today=today), "#milestones"),
        (charts.zone_utilities(data.utilities), "#utilities"),
    ]
    return render_to_string(
        "dashboards/_zone_charts.html",
        {"zone": zone, "charts": [render_chart(c, rows_url=anchor) for c, anchor in built]},
    )
