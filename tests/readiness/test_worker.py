"""Readiness with a real Celery worker on the real broker: no manual step between an edit and
its new score, and a worker killed half-way through a recompute loses nothing."""

import time
from decimal import Decimal

import pytest
from django.db import connection, connections

from readiness import inputs, services
from readiness.rules import compute_readiness
from readiness.tasks import recompute_readiness
from tests.conftest import wait_for
from tests.factories import MilestoneFactory, UtilityFactory, ZoneFactory
from zones.models import Milestone, ReadinessSnapshot, Zone
from zones.vocabulary import MilestoneStatus

pytestmark = pytest.mark.worker

D = Decimal
REDELIVER_AFTER = 2  # seconds: the broker's visibility timeout for these workers


def scores() -> dict[int, Decimal | None]:
    return dict(Zone.objects.values_list("pk", "readiness_score"))


def expected_scores() -> dict[int, Decimal]:
    weights = inputs.scoring_weights_active()
    return {
        zone_id: compute_readiness(zone_inputs, weights).score
        for zone_id, zone_inputs in inputs.readiness_inputs().items()
    }


def all_scored_and_current() -> bool:
    return not Zone.objects.filter(readiness_stale=True).exists() and scores() == expected_scores()


def test_a_milestone_update_rescores_its_zone_with_no_manual_step(celery_worker_process):
    zone = ZoneFactory(area_acres=D("1000"))
    MilestoneFactory(zone=zone, status=MilestoneStatus.DONE)
    pending = MilestoneFactory(zone=zone, status=MilestoneStatus.IN_PROGRESS)

    def score():
        return Zone.objects.values_list("readiness_score", flat=True).get(pk=zone.pk)

    # land 1 (no disputes), milestones 1 of 2 done, no utilities, no firms
    try:
        wait_for(lambda: score() == 100 * (D("0.15") * 1 + D("0.30") * D("0.5")), timeout=60)

        pending.status = MilestoneStatus.DONE
        pending.save()

        wait_for(lambda: score() == 100 * (D("0.15") * 1 + D("0.30") * 1), timeout=60)
    except AssertionError:
        print(celery_worker_process.log())
        raise
    latest = zone.readiness_snapshots.order_by("-computed_at").first()
    assert latest.changes["milestones"]["before"] == "0.5000"
    assert latest.changes["milestones"]["after"] == "1.0000"
    assert Zone.objects.get(pk=zone.pk).readiness_stale is False


@pytest.fixture
def quick_redelivery(monkeypatch):
    """Workers started after this hand an unacknowledged task to the next worker quickly.

    Request it before ``celery_worker_process``, which passes the environment on.
    """
    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", str(REDELIVER_AFTER))


def blocked_snapshot_inserts() -> int:
    """Backends waiting for a lock while inserting snapshots (the worker's, mid-recompute)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' "
            "AND query LIKE 'INSERT INTO \"zones_readinesssnapshot\"%%'"
        )
        return cursor.fetchone()[0]


def test_a_worker_killed_mid_recompute_loses_nothing_and_duplicates_nothing(
    quick_redelivery, celery_worker_process, settings
):
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("redelivery of a dead worker's task is a Redis broker feature")
    worker = celery_worker_process
    assert worker.env["CELERY_VISIBILITY_TIMEOUT"] == str(REDELIVER_AFTER)
    for number in range(3):
        zone = ZoneFactory(area_acres=D("500"))
        UtilityFactory(zone=zone, kind="electricity", status="under_construction")
        for _ in range(number + 2):
            MilestoneFactory(zone=zone)
    try:
        wait_for(all_scored_and_current, timeout=60)
    except AssertionError:
        print(worker.log())
        raise
    before = ReadinessSnapshot.objects.count()
    # Inputs change behind the signals' back: only a full recompute notices.
    Milestone.objects.update(status=MilestoneStatus.DONE)

    # Hold the snapshot table so the recompute stops just before it writes.
    holder = connections.create_connection("default")
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute('LOCK TABLE "zones_readinesssnapshot" IN EXCLUSIVE MODE')
        recompute_readiness.delay()
        wait_for(blocked_snapshot_inserts, timeout=60)

        worker.kill()
    finally:
        holder.rollback()
        holder.close()

    wait_for(lambda: blocked_snapshot_inserts() == 0, timeout=30)
    assert ReadinessSnapshot.objects.count() == before, "nothing of the killed run committed"
    assert scores() != expected_scores()

    time.sleep(REDELIVER_AFTER + 0.5)
    worker.start()
    try:
        wait_for(all_scored_and_current, timeout=60)
    except AssertionError:
        print(worker.log())
        raise

    assert ReadinessSnapshot.objects.count() == before + 3, "one new snapshot per zone"
    for zone in Zone.objects.all():
        latest = zone.readiness_snapshots.order_by("-computed_at").first()
        assert latest.milestones == D("1")
        assert latest.score == zone.readiness_score
    rerun = services.readiness_recompute()
    assert rerun.snapshots_written == 0, "the redelivered run left what an uninterrupted run would"
