"""Signals the readiness app sends for other apps (the dashboards' cache) to act on."""

from django.dispatch import Signal

#: Sent when a readiness recompute has committed, with ``zone_ids``: the zones it scored.
#: Their snapshots are written in bulk, so no model signal tells of them.
readiness_recomputed = Signal()
