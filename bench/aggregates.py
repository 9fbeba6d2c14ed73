"""Benchmark: the cost of keeping the aggregate tables current, on a synthetic country.

    .venv/bin/python bench/aggregates.py [--zones 10000] [--seed 1] [--repeat 9] [--fresh]

Two figures, each against a peer measured in the same run:

* **One milestone edit**: the worker's time to bring the aggregates up to date after one
  milestone is saved (``aggregates_refresh`` of its zone: lock, delete, one ``INSERT ...
  SELECT`` per table, log), the median over ``--repeat`` edits of different zones. Goal:
  under 100 ms.
* **The nightly rebuild** (``aggregates_rebuild``: every table rewritten from every record,
  drift counted), against one aggregate scan of its input tables: each tally's grouped
  ``SELECT`` run alone and its rows thrown away. Goal: within 3x.

The synthetic country is the dashboards bench's (``<your database>_bench_dashboards``), kept
between runs; ``--fresh`` rebuilds it.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

# The bench is the worker: the refresh an edit queues goes to an in-memory broker nobody
# reads, and the bench runs it itself, timed.
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
os.environ["CELERY_BROKER_URL"] = "memory://"
common.setup_django()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402


def scan_once() -> float:
    """One aggregate scan of the tallies' input tables: their grouped queries, rows dropped."""
    from aggregates.tallies import TALLIES

    today = timezone.localdate()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for tally in TALLIES:
            sql, params = tally.rows(today).query.sql_with_params()
            cursor.execute(f"SELECT count(*) FROM ({sql}) AS rows", params)  # noqa: S608
            cursor.fetchone()
    return time.perf_counter() - started


def edit_once(milestone) -> float:
    """Save one milestone (as the workspace does), then time the worker's refresh."""
    from aggregates.services import aggregates_refresh

    milestone.planned_date = milestone.planned_date or timezone.localdate()
    milestone.title = f"{milestone.title[:180]} ·"
    with transaction.atomic():
        milestone.save()
    started = time.perf_counter()
    summary = aggregates_refresh(zone_ids=[milestone.zone_id])
    elapsed = time.perf_counter() - started
    if summary.zones != 1:
        raise SystemExit(f"the refresh saw {summary.zones} zones, not the edited one")
    return elapsed


def main() -> None:
    parser = common.country_arguments(__doc__, repeat=9)
    args = parser.parse_args()
    common.use_bench_database("bench_dashboards", fresh=args.fresh)

    from aggregates.services import aggregates_rebuild
    from investors.models import Firm
    from zones.models import Milestone, Zone

    origin = common.ensure_country(zones=args.zones, seed=args.seed, complete=lambda: True)
    print(f"{common.ensure_aggregates()}; the country: {origin}.")
    print(
        f"Synthetic country: {Zone.objects.count():,} zones, {Firm.objects.count():,} firms, "
        f"{Milestone.objects.count():,} milestones."
    )

    milestones = list(Milestone.objects.order_by("zone_id").distinct("zone_id")[: args.repeat + 2])
    for milestone in milestones[:2]:
        edit_once(milestone)  # warm-up
    edits = [edit_once(m) * 1000 for m in milestones[2:]]
    print(f"\nOne milestone edit, the worker's refresh of its zone (median of {len(edits)}):")
    print(f"  {statistics.median(edits):.1f} ms (min {min(edits):.1f}, max {max(edits):.1f})")

    scans, rebuilds = [], []
    for _ in range(max(3, args.repeat // 3)):
        scans.append(scan_once())
        rebuilds.append(aggregates_rebuild().seconds)
    scan, rebuild = statistics.median(scans), statistics.median(rebuilds)
    print(f"\nNightly rebuild against one aggregate scan of its inputs (median of {len(scans)}):")
    print(f"  scan {scan:.2f} s, rebuild {rebuild:.2f} s: {rebuild / scan:.2f}x the scan")


if __name__ == "__main__":
    main()
