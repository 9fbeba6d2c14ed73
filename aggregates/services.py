"""Keeping the aggregate tables current.

1. Saving or deleting a record some tally sums calls :func:`aggregates_mark_stale` in the
   same transaction (``aggregates.signals``): the zone gets a ``PendingZone`` row, and once
   the transaction commits one task is queued for every zone the transaction touched.
2. The task, half a second later, runs :func:`aggregates_refresh` for those zones: it locks
   their pending rows (skipping any an open edit holds: that edit queues its own task),
   rewrites the zones' tally rows from their records with one ``INSERT ... SELECT`` per
   table, and deletes the pending rows, in one transaction. A burst of edits to a zone costs
   one refresh; later tasks find nothing pending and do nothing.
3. :func:`aggregates_rebuild`, nightly, rewrites every row from every record, counts the
   rows that were wrong (drift: a write that bypassed the ORM, a refresh that never ran; and
   a province rollup that no longer holds its zone rows' sums) and logs them, and recounts
   the figures that depend on the day (overdue, idle).

A crash mid-refresh rolls back: the rows stay as they were and the zones stay pending, for
the next task, the periodic sweep or the nightly rebuild. The rebuild and the refreshes never
overlap (``_take_turn``): the rebuild writes sums it computed a statement earlier, which
would undo a refresh committed in between. Every run is recorded
(``AggregateRun``), which is how each dashboard says when its figures were brought up to
date.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from zones.models import Zone

from . import events
from .models import AggregateRun, PendingZone
from .tallies import TALLIES, ZONE_COLUMNS, Tally

logger = logging.getLogger(__name__)

#: Edits to one zone within this many seconds of each other are counted once.
COALESCE_SECONDS = 0.5
#: How long the log of runs is kept.
KEEP_RUNS_DAYS = 30


@dataclass
class RunSummary:
    kind: str
    zones: int = 0
    seconds: float = 0.0
    drift_zones: int = 0
    drift: dict[str, int] = field(default_factory=dict)


class _Pending(threading.local):
    def __init__(self):
        self.zone_ids: set[int] = set()


_pending = _Pending()


def aggregates_mark_stale(*, zone_ids: Iterable[int | None]) -> None:
    """Flag zones whose records changed, and queue their refresh for when the transaction
    commits. The flag is an upsert that takes the pending row's lock, so a refresh running
    meanwhile either waits for this edit or skips the zone, never clears it unseen."""
    ids = sorted({zone_id for zone_id in zone_ids if zone_id is not None})
    if not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PendingZone._meta.db_table} (zone_id, flagged_at) "
            "SELECT unnest(%s::integer[]), clock_timestamp() "
            "ON CONFLICT (zone_id) DO UPDATE SET flagged_at = excluded.flagged_at",
            [ids],
        )
    _pending.zone_ids.update(ids)
    transaction.on_commit(_enqueue_pending)


def _enqueue_pending() -> None:
    ids = sorted(_pending.zone_ids)
    _pending.zone_ids.clear()
    if ids:
        aggregates_enqueue(zone_ids=ids, countdown=COALESCE_SECONDS)


def aggregates_refresh_uncommitted(*, today: datetime.date | None = None) -> RunSummary | None:
    """Refresh now the zones flagged in this thread's open transaction, without waiting for
    it to commit; None when none are. Only for transactions that never commit by design: the
    test suite's (``tests.aggregates_catch_up``), where it stands in for the worker."""
    ids = sorted(_pending.zone_ids)
    _pending.zone_ids.clear()
    return aggregates_refresh(zone_ids=ids, today=today) if ids else None


def aggregates_enqueue(*, zone_ids: list[int] | None, countdown: float = 0) -> str | None:
    """Queue a refresh of ``zone_ids`` (every pending zone when None); None when the broker
    cannot be reached: the zones stay pending for the sweep and the nightly rebuild."""
    from kombu.exceptions import OperationalError as BrokerError

    from .tasks import refresh_aggregates

    try:
        result = refresh_aggregates.apply_async(
            kwargs={"zone_ids": zone_ids},
            countdown=countdown or None,
            retry_policy={"max_retries": 2, "interval_start": 0.1, "interval_step": 0.2},
            ignore_result=True,
        )
    except (BrokerError, OSError):
        logger.exception("Could not queue an aggregates refresh; the zones stay pending.")
        return None
    return result.id


#: The PostgreSQL advisory lock that keeps the rebuild and the refreshes apart ("aggr").
TURN_LOCK = 0x61676772


def _take_turn(*, alone: bool) -> None:
    """Wait for this transaction's turn at the tally rows and the rollups: a refresh (or a
    zone's deletion) shares it with the others, the nightly rebuild has it alone; each keeps
    it until its transaction ends. So no refresh commits while the rebuild computes the sums
    it then writes, and the rebuild sees every refresh committed before it."""
    function = "pg_advisory_xact_lock" if alone else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s)", [TURN_LOCK])


def _lock_pending(zone_ids: Collection[int] | None) -> list[int]:
    """The pending zones among ``zone_ids`` (all when None) whose rows no open edit holds,
    locked until the transaction ends."""
    pending = PendingZone.objects.select_for_update(skip_locked=True).order_by("zone_id")
    if zone_ids is not None:
        pending = pending.filter(zone_id__in=list(zone_ids))
    return list(pending.values_list("zone_id", flat=True))


def _select_sql(tally: Tally, today: datetime.date, zone_ids: list[int] | None):
    """The tally's fresh rows (of ``zone_ids``, or every zone), with their zone's province
    and flags as they are now."""
    rows = tally.rows(today)
    if zone_ids is not None:
        rows = rows.filter(zone_id__in=zone_ids)
    sql, params = rows.query.sql_with_params()
    columns = ", ".join(
        f"zone.{ZONE_COLUMNS[c]} AS {c}" if c in ZONE_COLUMNS else f"fresh.{c}"
        for c in tally.columns
    )
    return (
        f"SELECT {columns} FROM ({sql}) AS fresh "  # noqa: S608 - our names
        f"JOIN {Zone._meta.db_table} AS zone ON zone.id = fresh.zone_id",
        params,
    )


def _rollup_change(tally: Tally, sign: str) -> str:
    """Add (``sign`` "+") or take away ("-") the rows of the zones ``%s`` to or from their
    province rollup, by the province and flags each row was written with."""
    rollup = tally.rollup._meta.db_table
    keys, sums = tally.rollup_keys, tally.rollup_sums
    return (
        f"INSERT INTO {rollup} ({', '.join([*keys, *sums])}) "  # noqa: S608 - our names
        f"SELECT {', '.join(keys)}, {', '.join(f'{sign}{sql}' for sql in sums.values())} "
        f"FROM {tally.table} WHERE zone_id = ANY(%s) GROUP BY {', '.join(keys)} "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
        + ", ".join(f"{c} = {rollup}.{c} + excluded.{c}" for c in sums)
    )


def _rollup_select(tally: Tally) -> str:
    """Every province rollup row, summed afresh from the zone rows."""
    keys = ", ".join(tally.rollup_keys)
    sums = ", ".join(f"{sql} AS {c}" for c, sql in tally.rollup_sums.items())
    return f"SELECT {keys}, {sums} FROM {tally.table} GROUP BY {keys}"  # noqa: S608


def aggregates_refresh(
    *, zone_ids: Collection[int] | None = None, today: datetime.date | None = None
) -> RunSummary:
    """Rewrite the tally rows of the pending zones among ``zone_ids`` (every pending zone
    when None) from their records, in one transaction."""
    started = time.monotonic()
    today = today or timezone.localdate()
    summary = RunSummary(kind=AggregateRun.Kind.REFRESH)
    with transaction.atomic():
        _take_turn(alone=False)
        ids = _lock_pending(zone_ids)
        if not ids:
            return summary
        # Every table's rows in one round trip, and the pending rows with them. A rollup
        # loses the zones' old rows before they go and gains their new ones.
        statements, params = [], []
        for tally in TALLIES:
            select, select_params = _select_sql(tally, today, ids)
            if tally.rollup:
                statements.append(_rollup_change(tally, "-"))
                params.append(ids)
            statements += [
                f"DELETE FROM {tally.table} WHERE zone_id = ANY(%s)",  # noqa: S608
                f"INSERT INTO {tally.table} ({', '.join(tally.columns)}) {select}",
            ]
            params += [ids, *select_params]
            if tally.rollup:
                statements.append(_rollup_change(tally, "+"))
                params.append(ids)
        pending = PendingZone._meta.db_table
        statements.append(f"DELETE FROM {pending} WHERE zone_id = ANY(%s)")  # noqa: S608
        params.append(ids)
        with connection.cursor() as cursor:
            cursor.execute(";\n".join(statements), params)
        summary.zones = len(ids)
        summary.seconds = time.monotonic() - started
        _record(summary, today)
        transaction.on_commit(lambda: events.aggregates_refreshed.send(sender=None, zone_ids=ids))
    return summary


def aggregates_rebuild(*, today: datetime.date | None = None) -> RunSummary:
    """Rewrite every tally row from every record, in one transaction, and count the zones
    whose rows differed (drift), outside the zones still pending and the columns that change
    with the day. Logged as a warning when any did."""
    started = time.monotonic()
    today = today or timezone.localdate()
    summary = RunSummary(kind=AggregateRun.Kind.REBUILD)
    with transaction.atomic():
        _take_turn(alone=True)
        ids = _lock_pending(None)
        drifted: set[int] = set()
        with connection.cursor() as cursor:
            for tally in TALLIES:
                if tally.rollup:
                    summary.drift[tally.rollup.__name__] = _rollup_drift(cursor, tally)
                zones = _rebuild_table(cursor, tally, today, ids)
                summary.drift[tally.model.__name__] = len(zones)
                drifted.update(zones)
            cursor.execute("SELECT count(*) FROM zones_zone")
            summary.zones = cursor.fetchone()[0]
        PendingZone.objects.filter(zone_id__in=ids).delete()
        AggregateRun.objects.filter(
            finished_at__lt=timezone.now() - datetime.timedelta(days=KEEP_RUNS_DAYS)
        ).delete()
        summary.drift_zones = len(drifted)
        summary.seconds = time.monotonic() - started
        _record(summary, today)
        transaction.on_commit(lambda: events.aggregates_refreshed.send(sender=None, zone_ids=None))
    if summary.drift_zones or any(summary.drift.values()):
        logger.warning(
            "Nightly rebuild of the aggregates corrected the rows of %d zones "
            "(and rollup rows, as named): %s",
            summary.drift_zones,
            summary.drift,
        )
    else:
        logger.info("Nightly rebuild of the aggregates: no drift (%.2f s).", summary.seconds)
    return summary


def _rollup_drift(cursor, tally: Tally) -> int:
    """How many of ``tally``'s rollup rows differ from the sums of its zone rows as they
    stand, before the rebuild rewrites either: what the refreshes' additions and
    subtractions got wrong. A zone row and its rollup are written together, so a pending zone
    or a record the signals missed is not counted here; a rollup row at 0 whose zone rows
    have gone is not drift either."""
    rollup = tally.rollup._meta.db_table
    keys, sums = tally.rollup_keys, list(tally.rollup_sums)
    held = ", ".join(f"t.{c}" for c in sums)
    cursor.execute(
        f"""
        SELECT count(*) FROM {rollup} AS t FULL JOIN ({_rollup_select(tally)}) AS f
            ON {" AND ".join(f"t.{c} = f.{c}" for c in keys)}
        WHERE CASE WHEN f.{keys[0]} IS NULL THEN ({held}) IS DISTINCT FROM
                       ({", ".join("0" for _ in sums)})
                   ELSE t.{keys[0]} IS NULL
                       OR ({held}) IS DISTINCT FROM ({", ".join(f"f.{c}" for c in sums)})
              END
        """  # noqa: S608 - table and column names from our models
    )
    return cursor.fetchone()[0]


def _rebuild_table(cursor, tally: Tally, today: datetime.date, pending: list[int]) -> set[int]:
    """Make ``tally``'s rows equal fresh ones from the records, and its rollup's equal the
    sums of its rows; return the zones whose rows differed outside the day's columns and the
    ``pending`` zones: the drift."""
    select, params = _select_sql(tally, today, None)
    drift = _sync(
        cursor,
        tally.table,
        keys=tally.keys,
        columns=tally.columns,
        dated=tally.dated_columns,
        select=select,
        params=params,
        pending=pending,
    )
    if tally.rollup:
        _sync(
            cursor,
            tally.rollup._meta.db_table,
            keys=tally.rollup_keys,
            columns=[*tally.rollup_keys, *tally.rollup_sums],
            dated=tally.dated_columns,
            select=_rollup_select(tally),
            params=[],
            pending=None,
        )
    return drift


def _sync(cursor, table, *, keys, columns, dated, select, params, pending) -> set:
    """Make ``table``'s rows equal those of ``select``, writing only the rows that differ
    (overnight, mostly the day's columns); return the ``zone_id`` of the rows that differed
    outside the ``dated`` columns and the ``pending`` zones (None: a rollup, no zones).

    The rows that differ are found in one pass, the table's rows full-joined to the fresh
    ones, and only they are kept (in a temporary table): ``CREATE TABLE AS`` may compute the
    fresh rows in parallel, where a statement that writes a table (or has a CTE that does)
    never does. The table is then written from those few rows, by id. A row a refresh wrote
    meanwhile (for a zone flagged since the rebuild began) is newer: an update or delete by
    the old id finds nothing, and a row it inserted is kept."""
    values = [c for c in columns if c not in keys]
    compared = [c for c in values if c not in dated]
    same_key = " AND ".join(f"t.{c} = f.{c}" for c in keys)
    key = keys[0]  # never null in a row, so null after the join only where there is no row

    def row(alias: str, names: list[str]) -> str:
        return f"({', '.join(f'{alias}.{c}' for c in names) or 'NULL'})"

    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # noqa: S608
    filling = not cursor.fetchone()[0]  # an empty table is being filled, not corrected
    owner = "coalesce(t.zone_id, f.zone_id)" if pending is not None else "NULL::integer"
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE differing_rows ON COMMIT DROP AS
        SELECT t.id AS old_id, f.{key} IS NULL AS gone, {owner} AS owner,
            t.id IS NULL OR f.{key} IS NULL
                OR {row("t", compared)} IS DISTINCT FROM {row("f", compared)} AS drift,
            {", ".join(f"f.{c} AS {c}" for c in columns)}
        FROM {table} AS t FULL JOIN ({select}) AS f ON {same_key}
        WHERE t.id IS NULL OR f.{key} IS NULL
            OR {row("t", values)} IS DISTINCT FROM {row("f", values)}
        """,  # noqa: S608 - table and column names from our models
        params,
    )
    cursor.execute(
        f"""
        DELETE FROM {table} AS t USING differing_rows AS d WHERE t.id = d.old_id AND d.gone;
        UPDATE {table} AS t SET {", ".join(f"{c} = d.{c}" for c in values)}
            FROM differing_rows AS d WHERE t.id = d.old_id AND NOT d.gone;
        INSERT INTO {table} ({", ".join(columns)})
            SELECT {", ".join(columns)} FROM differing_rows WHERE old_id IS NULL
            ON CONFLICT DO NOTHING;
        SELECT DISTINCT owner FROM differing_rows WHERE drift AND NOT owner = ANY(%s)
        """,  # noqa: S608 - table and column names from our models
        [pending or []],
    )
    drift = {owner for (owner,) in cursor.fetchall()}
    cursor.execute("DROP TABLE differing_rows")
    return set() if filling or pending is None else drift


def aggregates_forget_zone(*, zone_id: int) -> None:
    """Take a zone about to be deleted out of the province rollups (its rows go with it).
    The zone is flagged first, which takes its pending row's lock: a refresh of the zone
    already running commits before the rows are taken away (they are the rows that go), and
    none starts until the zone is gone."""
    _take_turn(alone=False)
    aggregates_mark_stale(zone_ids=[zone_id])
    with connection.cursor() as cursor:
        for tally in TALLIES:
            if tally.rollup:
                cursor.execute(_rollup_change(tally, "-"), [[zone_id]])


def _record(summary: RunSummary, today: datetime.date) -> None:
    AggregateRun.objects.create(
        kind=summary.kind,
        finished_at=timezone.now(),
        as_of=today,
        zones=summary.zones,
        seconds=summary.seconds,
        drift_zones=summary.drift_zones,
        drift=summary.drift,
    )
