"""Readiness writes: recompute scores, flag zones for recompute, scoring profiles.

How a score stays current:

1. Saving or deleting an input (a zone, utility, dispute, milestone or firm) calls
   :func:`readiness_mark_stale` in the same transaction (see :mod:`readiness.signals`; the
   nightly recount of allotted acres does too): the zone's ``readiness_stale``
   flag is set, and once the transaction commits one task is queued for every zone the
   transaction touched (a bulk import queues one task, not one per row).
2. The task runs :func:`readiness_recompute` for those zones a moment later and only for
   zones still flagged, so a burst of edits to one zone costs one recompute; later tasks
   find the flag cleared and do nothing.
3. The recompute locks the zones' rows, reads the inputs of all of them with a few
   grouped queries, scores them with the pure :mod:`readiness.rules`, writes a snapshot for
   each zone whose inputs digest differs from its latest snapshot, stores the score on the
   zone and clears the flag, all in one transaction. Rerunning it (a redelivered task)
   finds the same digests and writes nothing new.
4. If the broker is down, the save still succeeds and the zone stays flagged; the
   periodic sweep of flagged zones and the nightly full recompute catch it up.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections.abc import Collection, Iterable
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from zones.models import ReadinessSnapshot, ScoringProfile, Zone

from . import events, inputs, rules, selectors

logger = logging.getLogger(__name__)

# Edits to one zone within this many seconds of each other are scored once.
COALESCE_SECONDS = 0.5


@dataclass
class RecomputeSummary:
    """What one recompute did."""

    profile_version: int
    recomputed: int = 0
    snapshots_written: int = 0
    skipped: list[int] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def unchanged(self) -> int:
        return self.recomputed - self.snapshots_written

    def as_dict(self) -> dict:
        return {**asdict(self), "unchanged": self.unchanged}


def readiness_recompute(
    *,
    zone_ids: Collection[int] | None = None,
    only_stale: bool = False,
    now: datetime.datetime | None = None,
) -> RecomputeSummary:
    """Recompute the readiness of some zones, or of every zone when ``zone_ids`` is None.

    With ``only_stale``, zones whose flag is already cleared are left alone. Zones whose
    rows another transaction holds are skipped (and listed in the summary) rather than
    waited for, so a recompute never deadlocks with an edit: the edit flags its zone and
    queues its own recompute when it commits, and the periodic sweep catches zones that
    stay flagged. The number of queries does not depend on the number of zones.
    """
    started = time.monotonic()
    now = now or timezone.now()
    with transaction.atomic():
        weights = inputs.scoring_weights_active()
        summary = RecomputeSummary(profile_version=weights.version)
        zones = Zone.objects.order_by("pk")
        if zone_ids is not None:
            zones = zones.filter(pk__in=list(zone_ids))
        if only_stale:
            zones = zones.filter(readiness_stale=True)
        stored = {
            pk: (score, stale, computed_at)
            for pk, score, stale, computed_at in zones.select_for_update(
                no_key=True, skip_locked=True
            ).values_list("pk", "readiness_score", "readiness_stale", "readiness_computed_at")
        }
        # Every zone: read whole tables once rather than filter by a long list of ids.
        every_zone = zone_ids is None and not only_stale
        scope = None if every_zone else list(stored)
        inputs_by_zone = inputs.readiness_inputs(zone_ids=scope) if stored or every_zone else {}
        wanted = set(inputs_by_zone) if every_zone else set(zones.values_list("pk", flat=True))
        summary.skipped = sorted(wanted.difference(stored))
        if stored:
            summary.snapshots_written = _score_and_store(
                stored=stored,
                inputs_by_zone=inputs_by_zone,
                latest=selectors.readiness_latest_digests(zone_ids=scope),
                weights=weights,
                now=now,
            )
            summary.recomputed = len(stored)
            scored = list(stored)
            transaction.on_commit(
                lambda: events.readiness_recomputed.send(sender=Zone, zone_ids=scored)
            )
    summary.seconds = time.monotonic() - started
    return summary


def _score_and_store(
    *,
    stored: dict[int, tuple[Decimal | None, bool, datetime.datetime | None]],
    inputs_by_zone: dict[int, rules.ReadinessInputs],
    latest: dict[int, selectors.LatestSnapshot],
    weights: rules.Weights,
    now: datetime.datetime,
) -> int:
    """Snapshot the zones whose digest changed; bring every zone row up to date."""
    changed = []
    rows = []  # (zone id, score, computed at) for zone rows that need writing
    for zone_id, (stored_score, stale, stored_at) in stored.items():
        zone_inputs = inputs_by_zone[zone_id]
        digest = rules.inputs_digest(zone_inputs, weights)
        previous = latest.get(zone_id)
        if previous is None or previous.inputs_digest != digest:
            result = rules.compute_readiness(zone_inputs, weights)
            changed.append((zone_id, zone_inputs, result, digest, previous))
            rows.append((zone_id, result.score, now))
        elif stale or stored_score != previous.score or stored_at != previous.computed_at:
            # Same digest, same score: the latest snapshot's score is the zone's score.
            rows.append((zone_id, previous.score, previous.computed_at))
    if changed:
        _write_snapshots(changed, weights=weights, now=now)
    if rows:
        _store_scores(rows)
    return len(changed)


def _write_snapshots(changed: list, *, weights: rules.Weights, now: datetime.datetime) -> None:
    previous_ids = [previous.id for *_, previous in changed if previous is not None]
    previous = {}
    if previous_ids:
        previous = ReadinessSnapshot.objects.only(
            "inputs", "profile_version", *rules.COMPONENTS
        ).in_bulk(previous_ids)
    weights_json = weights.as_json()
    snapshots = []
    for zone_id, zone_inputs, result, digest, latest in changed:
        before = previous.get(latest.id) if latest is not None else None
        inputs_json = zone_inputs.as_json()
        components = {name: str(value) for name, value in result.components().items()}
        snapshots.append(
            ReadinessSnapshot(
                zone_id=zone_id,
                score=result.score,
                **result.components(),
                weights=weights_json,
                profile_version=weights.version,
                computed_at=now,
                inputs_digest=digest,
                inputs=inputs_json,
                changes=rules.describe_changes(
                    previous_inputs=before.inputs if before else None,
                    previous_components=_components_json(before) if before else None,
                    previous_version=before.profile_version if before else None,
                    inputs=inputs_json,
                    components=components,
                    version=weights.version,
                ),
            )
        )
    ReadinessSnapshot.objects.bulk_create(snapshots)


def _components_json(snapshot: ReadinessSnapshot) -> dict[str, str]:
    return {name: str(getattr(snapshot, name)) for name in rules.COMPONENTS}


def _store_scores(rows: list[tuple[int, Decimal, datetime.datetime]]) -> None:
    """Keep each zone's latest score on its row and clear its flag, in one statement."""
    meta = Zone._meta
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(meta.get_field(name).column)

    sql = (
        f"UPDATE {quote(meta.db_table)} AS zone SET "  # noqa: S608 (identifiers, not data)
        f"{column('readiness_score')} = new.score, "
        f"{column('readiness_computed_at')} = new.computed_at, "
        f"{column('readiness_stale')} = false "
        "FROM unnest(%s::bigint[], %s::numeric[], %s::timestamptz[]) "
        "AS new(id, score, computed_at) "
        f"WHERE zone.{quote(meta.pk.column)} = new.id"
    )
    ids, scores, times = zip(*rows, strict=True)
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(ids), list(scores), list(times)])


# --- Flagging and queueing --------------------------------------------------------------------


class _Pending(threading.local):
    def __init__(self):
        self.zone_ids: set[int] = set()


_pending = _Pending()


def readiness_mark_stale(*, zone_ids: Iterable[int | None]) -> None:
    """Flag zones for recompute, and queue the recompute for when the transaction commits.

    The flag is written in the caller's transaction, so it commits (or rolls back) with
    the edit that caused it. All the zones flagged in one transaction go into one task.
    """
    ids = sorted({zone_id for zone_id in zone_ids if zone_id is not None})
    if not ids:
        return
    Zone.objects.filter(pk__in=ids).update(readiness_stale=True)
    _pending.zone_ids.update(ids)
    transaction.on_commit(_enqueue_pending)


def _enqueue_pending() -> None:
    ids = sorted(_pending.zone_ids)
    _pending.zone_ids.clear()
    if ids:
        readiness_enqueue(zone_ids=ids, only_stale=True, countdown=COALESCE_SECONDS)


def readiness_enqueue(
    *, zone_ids: list[int] | None = None, only_stale: bool = False, countdown: float = 0
) -> str | None:
    """Queue a recompute task; return its id, or None when the broker cannot be reached.

    A broker that is down never breaks the caller: the failure is logged, flagged zones
    stay flagged, and the periodic jobs catch them up.
    """
    from kombu.exceptions import OperationalError as BrokerError

    from .tasks import recompute_readiness

    try:
        result = recompute_readiness.apply_async(
            kwargs={"zone_ids": zone_ids, "only_stale": only_stale},
            countdown=countdown or None,
            retry_policy={"max_retries": 2, "interval_start": 0.1, "interval_step": 0.2},
            # Nobody waits for the result; asking for one would make the Redis result backend
            # subscribe to it now, which fails the caller's request when Redis is down.
            ignore_result=True,
        )
    except (BrokerError, OSError):
        logger.exception(
            "Could not queue a readiness recompute (zones %s); they stay flagged for the "
            "periodic recompute.",
            "all" if zone_ids is None else zone_ids,
        )
        return None
    return result.id


# --- Scoring profiles -------------------------------------------------------------------------


def scoring_profile_create(
    *,
    utilities: Decimal,
    land: Decimal,
    milestones: Decimal,
    occupancy: Decimal,
    name: str = "",
    notes: str = "",
) -> ScoringProfile:
    """Store a new, inactive profile with the next version number.

    Raises ``ValidationError`` when a weight is negative or the weights do not add up to 1.
    """
    with transaction.atomic():
        latest = ScoringProfile.objects.select_for_update().order_by("-version").first()
        version = (latest.version if latest else rules.DEFAULT_WEIGHTS.version) + 1
        profile = ScoringProfile(
            version=version,
            name=name,
            notes=notes,
            utilities=utilities,
            land=land,
            milestones=milestones,
            occupancy=occupancy,
        )
        profile.full_clean()
        profile.save()
    return profile


def scoring_profile_activate(*, profile: ScoringProfile) -> ScoringProfile:
    """Make ``profile`` the active one and recompute every zone with its weights.

    Every zone is flagged in the same transaction, so a broker outage delays the
    recompute but cannot lose it.
    """
    now = timezone.now()
    with transaction.atomic():
        list(ScoringProfile.objects.select_for_update().filter(is_active=True))
        ScoringProfile.objects.filter(is_active=True).exclude(pk=profile.pk).update(is_active=False)
        ScoringProfile.objects.filter(pk=profile.pk).update(is_active=True, activated_at=now)
        Zone.objects.update(readiness_stale=True)
        transaction.on_commit(lambda: readiness_enqueue(zone_ids=None, only_stale=False))
    profile.refresh_from_db()
    return profile
