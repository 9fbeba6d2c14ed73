"""Signals the aggregates app sends for other apps (the dashboards' page cache) to act on."""

from django.dispatch import Signal

#: Sent when a refresh or rebuild of the tally tables has committed, with ``zone_ids``
#: (None: every zone).
aggregates_refreshed = Signal()
