"""A zone's own charts on its page: readiness history, milestone timeline and utilities.

The zone page's builder (``zones.page``) calls :func:`render_zone_charts` and keeps the
result in the dashboards' cache under the zone's version; the page's own tables (#milestones,
#utilities) hold the records behind the charts.
"""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from zones.models import Zone

from . import selectors
from . import zone_page_charts as charts
from .figures import render as render_chart


def render_zone_charts(
    zone: Zone, *, today: datetime.date, include_illustrative: bool = False
) -> SafeString:
    """The zone's charts section as HTML (``dashboards/_zone_charts.html``): three queries.
    Real records only, unless ``include_illustrative``."""
    data = selectors.zone_chart_data(
        zone=zone, today=today, include_illustrative=include_illustrative
    )
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
