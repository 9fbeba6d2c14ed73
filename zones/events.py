"""Signals the zone records send for other apps (readiness) to act on."""

from django.dispatch import Signal

#: Sent inside the nightly recount's transaction, with ``zone_ids``: the zones whose allotted
#: acres it corrected. The recount writes in SQL, so no model signal tells of them; the
#: readiness app flags those zones for a recompute in the same transaction.
allotments_corrected = Signal()
