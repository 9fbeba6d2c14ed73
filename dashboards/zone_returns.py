"""A zone's annual returns on its page: the yearly table and its charts (employees with the
local and women's shares, workers trained, exports against imports with the net foreign
exchange, new markets per year), each chart with its table.

``zones.page`` calls :func:`render_zone_returns` and keeps the HTML in the dashboards' cache
under the zone's version (a saved return changes it). Two queries; real returns only
(illustrative ones were invented for the demo and never count on a public page)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from investors import return_selectors
from zones.models import Zone

from . import return_charts as charts
from .figures import render as render_chart


def render_zone_returns(zone: Zone, *, include_illustrative: bool = False) -> SafeString:
    """The section's HTML: real returns only unless ``include_illustrative``."""
    years = return_selectors.returns_by_zone([zone.pk], include_illustrative=include_illustrative)
    years = list(years[zone.pk].values())
    built = []
    if years:
        built = [
            charts.employees_chart(years, key="zone-returns-employees"),
            charts.trained_chart(years, key="zone-returns-trained"),
            charts.trade_chart(years, key="zone-returns-trade"),
            charts.new_markets_chart(years, key="zone-returns-new-markets"),
        ]
    return render_to_string(
        "dashboards/_zone_returns.html",
        {
            "zone": zone,
            "years": years,
            "charts": [render_chart(chart, rows_url="#returns-table") for chart in built],
        },
    )
