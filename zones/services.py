"""Writes about the zone records that no form makes: the nightly recount of allotted acres.

(Readiness writes, which used to live here, are in :mod:`readiness.services`.)
"""

from __future__ import annotations

import logging

from django.db import connection, transaction

from . import events
from .models import ZoneAllotment
from .vocabulary import LAND_HOLDING_FIRM_STATUSES, sql_in

logger = logging.getLogger(__name__)

# Every zone whose stored allotment differs from its firms' sum, set right. The triggers on
# the firms table keep the allotments exact (investors/models.py); this checks that they did.
# The IN list comes from the vocabulary through sql_in, which refuses anything but codes.
_RECOUNT_ALLOTMENTS = f"""
    WITH counted AS (
        SELECT zone_id, sum(allotted_acres) AS acres FROM investors_firm
        WHERE status IN {sql_in(LAND_HOLDING_FIRM_STATUSES)} AND allotted_acres <> 0
        GROUP BY zone_id
    ), drift AS (
        SELECT coalesce(counted.zone_id, stored.zone_id) AS zone_id,
               coalesce(counted.acres, 0) AS acres
        FROM counted FULL JOIN zones_zoneallotment AS stored ON stored.zone_id = counted.zone_id
        WHERE coalesce(counted.acres, 0) <> coalesce(stored.allotted_acres, 0)
    )
    INSERT INTO zones_zoneallotment (zone_id, allotted_acres)
    SELECT drift.zone_id, drift.acres FROM drift JOIN zones_zone AS zone ON zone.id = drift.zone_id
    ORDER BY drift.zone_id
    ON CONFLICT (zone_id) DO UPDATE SET allotted_acres = EXCLUDED.allotted_acres
    RETURNING zone_id
"""  # noqa: S608


def reconcile_allotments() -> list[int]:
    """Recount every zone's allotted acres from its firms, correct those that drifted (a
    write the triggers could not see, such as firms inserted before their zone in one
    transaction) and tell :data:`~zones.events.allotments_corrected`, in the same
    transaction, so that their readiness is flagged with the correction. Returns the
    corrected zones' ids.

    Firm writes wait while it runs (a SHARE lock: about a third of a second at a million
    firms), so that no transaction's firms are counted half.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE investors_firm IN SHARE MODE")
        cursor.execute(_RECOUNT_ALLOTMENTS)
        corrected = sorted(zone_id for (zone_id,) in cursor.fetchall())
        if corrected:
            events.allotments_corrected.send(sender=ZoneAllotment, zone_ids=corrected)
    if corrected:
        logger.warning("Allotted acres corrected for %d zone(s): %s", len(corrected), corrected)
    return corrected
