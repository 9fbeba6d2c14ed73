"""Readiness at national scale: how long scoring every zone takes, against the floor.

Usage (from the project root; see docs/performance.md for the figures measured):

    DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://... .venv/bin/python bench/readiness.py

It creates a scratch database next to DATABASE_URL's (named ``<name>_bench``, dropped at
the end unless ``--keep``), loads a synthetic country with ``generate_synthetic``, and
prints, in one run:

- the full recompute time for every zone: the first run (every zone gets a snapshot), a
  run with nothing changed (the nightly job on a quiet day) and a run after a new scoring
  profile (every zone gets a new snapshot again);
- the time of one plain aggregate query that reads the same input tables once: the floor
  no implementation can beat, and the ratio of each recompute to it (each recompute is
  timed right after a floor, so that both meet the same machine load); and, for
  reference, the per-zone sums alone in one SQL statement (no scoring, no writes);
- the queries issued per recompute, for every zone and for a few zones;
- the time from committing a milestone change to the new score being readable, through a
  real Celery worker on the configured broker (Redis), over ``--samples`` edits.

Without DATABASE_URL the embedded PostgreSQL is used, as by ``make run``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench import common  # noqa: E402
from zones.vocabulary import MilestoneStatus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--zones", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--samples", type=int, default=25, help="milestone edits to time")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each recompute")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    with common.scratch_database("bench", keep=args.keep) as bench_url:
        os.environ.update(
            DATABASE_URL=bench_url,
            DJANGO_SETTINGS_MODULE="config.settings.local",
            DJANGO_DEBUG="false",
            CELERY_TASK_DEFAULT_QUEUE=f"bench-{uuid.uuid4().hex[:8]}",
        )
        run(args)


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    print(f"Scratch database: {os.environ['DATABASE_URL'].rpartition('/')[2]}")
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    call_command("generate_synthetic", zones=args.zones, seed=args.seed, verbosity=1)
    load_seconds = time.monotonic() - started

    figures = {"load": load_seconds}
    figures.update(measure_recompute(args.repeat))
    figures.update(measure_latency(args.samples))
    report(args, figures)


# --- full recompute against the floor -----------------------------------------------------------


FLOOR_SQL = """
SELECT
  (SELECT count(*) FROM zones_zone WHERE area_acres > 0),
  (SELECT count(*) FROM zones_utilityconnection WHERE status = 'connected'),
  (SELECT sum(affected_acres) FROM zones_landdispute WHERE status = 'open'),
  (SELECT sum(weight) FROM zones_milestone WHERE status = 'done'),
  (SELECT sum(allotted_acres) FROM zones_zoneallotment)
"""
# Occupancy reads zones_zoneallotment, which triggers on the firms table keep per zone (the
# grouping of firms moved to the writes); until then the floor summed investors_firm.


# A second reference: the per-zone sums every implementation needs, in one SQL statement,
# fetched, with no scoring and no writes.
GROUPED_SQL = """
SELECT z.id, z.area_acres, u.n, d.acres, m.done, m.active, f.allotted_acres
FROM zones_zone z
LEFT JOIN (SELECT zone_id, count(*) AS n FROM zones_utilityconnection
           WHERE kind IN ('electricity', 'gas', 'water', 'road') GROUP BY zone_id) u
       ON u.zone_id = z.id
LEFT JOIN (SELECT zone_id, sum(affected_acres) AS acres FROM zones_landdispute
           WHERE status IN ('open', 'in_court', 'in_mediation') GROUP BY zone_id) d
       ON d.zone_id = z.id
LEFT JOIN (SELECT zone_id, sum(weight) FILTER (WHERE status = 'done') AS done,
                  sum(weight) AS active
           FROM zones_milestone WHERE status <> 'cancelled' GROUP BY zone_id) m
       ON m.zone_id = z.id
LEFT JOIN zones_zoneallotment f ON f.zone_id = z.id
"""


def floor_seconds(repeat: int = 5, sql: str = FLOOR_SQL) -> float:
    """One plain aggregate that reads each input table once, no grouping: the floor."""
    from django.db import connection

    timings = []
    with connection.cursor() as cursor:
        for _ in range(repeat + 1):
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            timings.append(time.perf_counter() - started)
    return statistics.median(timings[1:])  # the first run warms the cache


def timed_recompute(**kwargs) -> tuple[float, int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from readiness import services

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        summary = services.readiness_recompute(**kwargs)
        seconds = time.perf_counter() - started
    return seconds, len(queries), summary


def measure_recompute(repeat: int) -> dict:
    """Each recompute is timed right after the floor, so both see the same machine load."""
    from decimal import Decimal

    from zones.models import ScoringProfile, Zone

    floor_seconds()  # warm the cache before anything is timed
    figures = {"zones": Zone.objects.count()}
    floors = [floor_seconds()]
    first, figures["queries_all"], summary = timed_recompute()
    assert summary.snapshots_written == summary.recomputed
    figures["first"] = [(first, floors[-1])]

    figures["quiet"] = []
    for _ in range(repeat):
        floors.append(floor_seconds())
        seconds, figures["queries_quiet"], summary = timed_recompute()
        assert summary.snapshots_written == 0
        figures["quiet"].append((seconds, floors[-1]))

    # New profiles, set active directly so that no task is queued: every zone changes.
    figures["reprofiled"] = []
    weights = [("0.4", "0.1", "0.3", "0.2"), ("0.35", "0.15", "0.3", "0.2")]
    for number in range(min(repeat, 3)):
        utilities, land, milestones, occupancy = map(Decimal, weights[number % 2])
        profile = ScoringProfile.objects.create(
            version=100 + number, utilities=utilities, land=land,
            milestones=milestones, occupancy=occupancy,
        )  # fmt: skip
        ScoringProfile.objects.update(is_active=False)
        ScoringProfile.objects.filter(pk=profile.pk).update(is_active=True)
        floors.append(floor_seconds())
        seconds, _, summary = timed_recompute()
        assert summary.snapshots_written == summary.recomputed
        figures["reprofiled"].append((seconds, floors[-1]))

    ids = list(Zone.objects.order_by("?").values_list("pk", flat=True)[:100])
    _, figures["queries_100"], _ = timed_recompute(zone_ids=ids)
    _, figures["queries_1"], _ = timed_recompute(zone_ids=ids[:1])
    figures["floor"] = statistics.median(floors)
    figures["grouped"] = floor_seconds(sql=GROUPED_SQL)
    return figures


# --- commit to readable score, through a real worker ----------------------------------------------


def measure_latency(samples: int) -> dict:
    from django.conf import settings

    if not settings.CELERY_BROKER_URL.startswith("redis"):
        print("Latency skipped: set CELERY_BROKER_URL=redis://... to run a worker on Redis.")
        return {}
    worker = start_worker()
    try:
        return {"latencies": [edit_and_wait() for _ in range(samples)]}
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def start_worker() -> subprocess.Popen:
    from config.celery import health_check

    queue = os.environ["CELERY_TASK_DEFAULT_QUEUE"]
    log = (BASE_DIR / ".data" / f"{queue}.log").open("wb")
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--queues", queue,
            "--concurrency", "2", "--pool", "prefork", "--loglevel", "WARNING",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{queue}@%h",
        ],
        cwd=BASE_DIR,
        env=os.environ.copy(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    health_check.delay("bench").get(timeout=120)
    return worker


def edit_and_wait() -> float:
    """Flip one milestone of a random zone; seconds from commit until its new score shows."""
    from django.db import transaction

    from readiness.inputs import readiness_inputs, scoring_weights_active
    from readiness.rules import compute_readiness
    from zones.models import Milestone, Zone

    time.sleep(0.3)  # let the previous edit's task finish: samples are independent
    while True:
        milestone = (
            Milestone.objects.exclude(status=MilestoneStatus.CANCELLED).order_by("?").first()
        )
        with transaction.atomic():
            milestone.status = (
                MilestoneStatus.IN_PROGRESS
                if milestone.status == MilestoneStatus.DONE
                else MilestoneStatus.DONE
            )
            milestone.save()
            inputs = readiness_inputs(zone_ids=[milestone.zone_id])
            expected = compute_readiness(inputs[milestone.zone_id], scoring_weights_active())
            current = Zone.objects.values_list("readiness_score", flat=True).get(
                pk=milestone.zone_id
            )
            if expected.score == current:
                transaction.set_rollback(True)
                continue
            committing = time.perf_counter()
        break
    rows = Zone.objects.filter(
        pk=milestone.zone_id, readiness_score=expected.score, readiness_stale=False
    )
    deadline = committing + 60
    while not rows.exists():
        if time.perf_counter() > deadline:
            raise SystemExit(
                "No new score within 60 s: is the worker running? See .data/bench-*.log"
            )
        time.sleep(0.005)
    return time.perf_counter() - committing


# --- the report -----------------------------------------------------------------------------------


def report(args, f: dict) -> None:
    print()
    print(f"Readiness benchmark: {f['zones']:,} zones (seed {args.seed})")
    print(f"  load (generate_synthetic)            {f['load']:8.1f} s")
    print(f"  floor: one aggregate over the inputs {f['floor'] * 1000:8.0f} ms   (median)")
    print(
        f"  per-zone sums in one SQL statement   {f['grouped'] * 1000:8.0f} ms   "
        f"{f['grouped'] / f['floor']:5.1f} × floor   (no scoring, no writes)"
    )
    for label, key in (
        ("full recompute, first (all new)", "first"),
        ("full recompute, nothing changed", "quiet"),
        ("full recompute, new profile", "reprofiled"),
    ):
        runs = f[key]
        seconds = statistics.median(run for run, _ in runs)
        ratio = statistics.median(run / floor for run, floor in runs)
        print(
            f"  {label:<36} {seconds * 1000:8.0f} ms   {ratio:5.1f} × floor"
            f"   (median of {len(runs)}; ratio to the floor timed just before)"
        )
    print(
        f"  queries per recompute: every zone {f['queries_all']} (unchanged run "
        f"{f['queries_quiet']}), 100 zones {f['queries_100']}, 1 zone {f['queries_1']}"
    )
    latencies = f.get("latencies")
    if latencies:
        ordered = sorted(latencies)
        p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
        print(
            f"  commit → new score readable (worker on Redis, {len(latencies)} edits): "
            f"median {statistics.median(latencies) * 1000:.0f} ms, p90 {p90 * 1000:.0f} ms, "
            f"max {ordered[-1] * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
