"""Recomputing readiness: snapshots only when inputs change, scores kept on the zone, every
input edit flagging its zone and rescoring it after commit, scoring profiles."""

from decimal import Decimal

import pytest
from celery.signals import task_prerun
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from investors.models import Firm
from readiness import inputs, services
from readiness.rules import compute_readiness
from readiness.tasks import recompute_readiness
from tests.factories import (
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    UtilityFactory,
    ZoneFactory,
)
from zones.models import LandDispute, Milestone, ReadinessSnapshot, ScoringProfile, Zone
from zones.vocabulary import MilestoneStatus

pytestmark = pytest.mark.django_db

D = Decimal


def expected_score(zone) -> Decimal:
    """The pure function on the selector's inputs: what the stored score must be."""
    weights = inputs.scoring_weights_active()
    return compute_readiness(inputs.readiness_inputs(zone_ids=[zone.pk])[zone.pk], weights).score


@pytest.fixture
def zone():
    """A zone of 1,000 acres, half its milestones done, electricity at its zero point."""
    zone = ZoneFactory(area_acres=D("1000"))
    UtilityFactory(zone=zone, kind="electricity", status="at_zero_point")
    MilestoneFactory(zone=zone, status=MilestoneStatus.DONE)
    MilestoneFactory(zone=zone, status=MilestoneStatus.IN_PROGRESS)
    FirmFactory(zone=zone, allotted_acres=D("100"))
    return zone


@pytest.fixture
def task_runs():
    """Ids of zones each readiness task was asked to recompute, as the tasks start."""
    runs = []

    def record(sender=None, kwargs=None, **extra):
        if getattr(sender, "name", None) == recompute_readiness.name:
            runs.append((kwargs or {}).get("zone_ids"))

    task_prerun.connect(record, weak=False)
    yield runs
    task_prerun.disconnect(record)


# --- the service --------------------------------------------------------------------------


def test_a_recompute_stores_a_snapshot_and_the_latest_score_on_the_zone(zone):
    summary = services.readiness_recompute(zone_ids=[zone.pk])

    zone.refresh_from_db()
    snapshot = zone.readiness_snapshots.get()
    assert (summary.recomputed, summary.snapshots_written) == (1, 1)
    assert zone.readiness_score == snapshot.score == expected_score(zone)
    assert zone.readiness_computed_at == snapshot.computed_at
    assert zone.readiness_stale is False
    assert snapshot.profile_version == 1
    assert snapshot.weights == {
        "utilities": "0.35", "land": "0.15", "milestones": "0.3", "occupancy": "0.2",
    }  # fmt: skip
    assert snapshot.milestones == D("0.5")
    assert snapshot.inputs["done_weight"] == "1"
    assert len(snapshot.inputs_digest) == 64
    assert snapshot.changes == {}


def test_a_recompute_with_unchanged_inputs_writes_no_snapshot(zone):
    services.readiness_recompute(zone_ids=[zone.pk])

    summary = services.readiness_recompute(zone_ids=[zone.pk])

    assert (summary.recomputed, summary.snapshots_written, summary.unchanged) == (1, 0, 1)
    assert zone.readiness_snapshots.count() == 1
    zone.refresh_from_db()
    assert zone.readiness_computed_at == zone.readiness_snapshots.get().computed_at


def test_a_changed_input_writes_a_snapshot_saying_what_changed(zone):
    services.readiness_recompute(zone_ids=[zone.pk])
    Milestone.objects.filter(zone=zone).update(status=MilestoneStatus.DONE)

    services.readiness_recompute(zone_ids=[zone.pk])

    latest = zone.readiness_snapshots.order_by("-computed_at").first()
    assert zone.readiness_snapshots.count() == 2
    assert latest.changes == {
        "milestones": {
            "before": "0.5000",
            "after": "1.0000",
            "inputs": {"done_weight": {"before": "1", "after": "2"}},
        }
    }


def test_a_score_overwritten_by_a_stale_form_is_restored_without_a_new_snapshot(zone):
    services.readiness_recompute(zone_ids=[zone.pk])
    Zone.objects.filter(pk=zone.pk).update(readiness_score=D("99.9"))

    services.readiness_recompute()

    zone.refresh_from_db()
    assert zone.readiness_score == expected_score(zone)
    assert zone.readiness_snapshots.count() == 1


def test_only_stale_leaves_zones_already_scored_alone(zone):
    services.readiness_recompute(zone_ids=[zone.pk])
    other = ZoneFactory()

    summary = services.readiness_recompute(only_stale=True)

    assert summary.recomputed == 1
    assert ReadinessSnapshot.objects.filter(zone=other).count() == 1


def _make_zones(count: int) -> None:
    for _ in range(count):
        zone = ZoneFactory()
        MilestoneFactory(zone=zone)
        UtilityFactory(zone=zone)
        DisputeFactory(zone=zone)
        FirmFactory(zone=zone)


@pytest.mark.parametrize("only_stale", [False, True])
def test_the_number_of_queries_does_not_grow_with_the_number_of_zones(only_stale):
    def queries_for_recompute() -> int:
        Zone.objects.update(readiness_stale=True)
        ReadinessSnapshot.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            services.readiness_recompute(only_stale=only_stale)
        return len(queries)

    _make_zones(2)
    few = queries_for_recompute()
    _make_zones(15)
    many = queries_for_recompute()

    assert ReadinessSnapshot.objects.count() == 17
    assert few == many


# --- edits flag their zone and rescore it after commit ------------------------------------------


def _stale(zone) -> bool:
    return Zone.objects.values_list("readiness_stale", flat=True).get(pk=zone.pk)


def _score(zone) -> Decimal | None:
    return Zone.objects.values_list("readiness_score", flat=True).get(pk=zone.pk)


EDITS = {
    "milestone saved": lambda z: MilestoneFactory(zone=z, status=MilestoneStatus.DONE),
    "milestone deleted": lambda z: z.milestones.filter(status=MilestoneStatus.DONE).get().delete(),
    "utility saved": lambda z: UtilityFactory(zone=z, kind="gas", status="connected"),
    "utility deleted": lambda z: z.utilities.get().delete(),
    "dispute saved": lambda z: DisputeFactory(zone=z, affected_acres=D("500")),
    "firm saved": lambda z: FirmFactory(zone=z, allotted_acres=D("300")),
    "firm deleted": lambda z: z.firms.get().delete(),
    "zone area saved": lambda z: (setattr(z, "area_acres", D("400")), z.save()),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_every_input_edit_flags_the_zone_and_rescores_it_after_commit(
    zone, edit, django_capture_on_commit_callbacks
):
    services.readiness_recompute(zone_ids=[zone.pk])
    before = _score(zone)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        EDITS[edit](zone)
        assert _stale(zone), "the flag is set in the edit's own transaction"

    assert callbacks, "the recompute is queued on commit"
    zone.refresh_from_db()
    assert zone.readiness_stale is False
    assert zone.readiness_score == expected_score(zone) != before
    assert zone.readiness_snapshots.count() == 2


def test_a_dispute_deleted_restores_the_land_it_took(zone, django_capture_on_commit_callbacks):
    dispute = DisputeFactory(zone=zone, affected_acres=D("1000"))
    services.readiness_recompute(zone_ids=[zone.pk])

    with django_capture_on_commit_callbacks(execute=True):
        LandDispute.objects.get(pk=dispute.pk).delete()

    assert zone.readiness_snapshots.order_by("-computed_at").first().land == D("1")


def test_a_milestone_moved_to_another_zone_rescores_both(zone, django_capture_on_commit_callbacks):
    other = ZoneFactory()
    services.readiness_recompute()
    milestone = Milestone.objects.get(zone=zone, status=MilestoneStatus.DONE)

    with django_capture_on_commit_callbacks(execute=True):
        milestone.zone = other
        milestone.save()

    assert zone.readiness_snapshots.count() == 2
    assert other.readiness_snapshots.count() == 2
    assert zone.readiness_snapshots.order_by("-computed_at").first().milestones == D("0")
    assert other.readiness_snapshots.order_by("-computed_at").first().milestones == D("1")


def test_deleting_a_zone_with_its_records_and_history_needs_no_recompute(
    zone, django_capture_on_commit_callbacks, task_runs
):
    services.readiness_recompute(zone_ids=[zone.pk])
    other = ZoneFactory()
    services.readiness_recompute(zone_ids=[other.pk])

    zone_id = zone.pk

    with django_capture_on_commit_callbacks(execute=True):
        zone.delete()

    assert not ReadinessSnapshot.objects.filter(zone_id=zone_id).exists()
    assert len(task_runs) == 1, "the records' deletion queues one recompute, which finds nothing"
    assert zone_id in task_runs[0]
    assert other.readiness_snapshots.count() == 1


def test_a_burst_of_edits_in_one_transaction_is_one_recompute(
    zone, django_capture_on_commit_callbacks, task_runs
):
    services.readiness_recompute(zone_ids=[zone.pk])
    other = ZoneFactory()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for number in range(10):
            MilestoneFactory(zone=zone, status=MilestoneStatus.DONE, code=f"burst-{number}")
        FirmFactory(zone=other)

    assert task_runs == [sorted([zone.pk, other.pk])]
    assert zone.readiness_snapshots.count() == 2


def test_a_queued_recompute_finding_the_zone_already_scored_does_nothing(
    zone, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        MilestoneFactory(zone=zone)
    snapshots = zone.readiness_snapshots.count()

    result = recompute_readiness.apply(kwargs={"zone_ids": [zone.pk], "only_stale": True}).get()

    assert result["recomputed"] == 0
    assert zone.readiness_snapshots.count() == snapshots


def test_an_edit_rolled_back_leaves_the_score_and_flag_as_they_were(
    zone, django_capture_on_commit_callbacks, task_runs
):
    services.readiness_recompute(zone_ids=[zone.pk])

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        MilestoneFactory(zone=zone, status=MilestoneStatus.DONE)
        raise RuntimeError("the user cancelled")

    assert task_runs == []
    assert _stale(zone) is False


@pytest.mark.django_db(transaction=True)
def test_a_zone_held_by_an_unfinished_edit_is_skipped_then_caught_up_by_the_sweep():
    zone = ZoneFactory(area_acres=D("1000"))
    MilestoneFactory(zone=zone, status=MilestoneStatus.IN_PROGRESS)
    scored = _score(zone)
    # An edit committed and flagged the zone; its task has not run yet.
    Milestone.objects.filter(zone=zone).update(status=MilestoneStatus.DONE)
    Zone.objects.filter(pk=zone.pk).update(readiness_stale=True)

    holder = connections.create_connection("default")
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:  # a second edit, still open, holds the zone's row
            cursor.execute('SELECT 1 FROM "zones_zone" WHERE id = %s FOR UPDATE', [zone.pk])
        summary = services.readiness_recompute(zone_ids=[zone.pk], only_stale=True)
    finally:
        holder.rollback()  # the second edit is abandoned and queues nothing
        holder.close()

    assert (summary.recomputed, summary.skipped) == (0, [zone.pk])
    assert (_score(zone), _stale(zone)) == (scored, True)

    from config.celery import app

    recompute_readiness.apply(kwargs=app.conf.beat_schedule["readiness-stale-sweep"]["kwargs"])

    assert (_score(zone), _stale(zone)) == (expected_score(zone), False)
    assert _score(zone) != scored


# --- a broker that is down -------------------------------------------------------------------


@pytest.fixture
def broker_down(monkeypatch):
    """Point the Celery app at a port where no broker listens, and stop running tasks inline."""
    from config.celery import app

    # The environment outranks the app's configuration, whatever other tests left in it.
    for variable in ("CELERY_BROKER_URL", "CELERY_BROKER_WRITE_URL"):
        monkeypatch.setenv(variable, "redis://127.0.0.1:1/0")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    _drop_broker_connections(app)
    yield
    app.conf.task_always_eager = eager
    _drop_broker_connections(app)


def _drop_broker_connections(app) -> None:
    # The app pools its broker connections and producers, and Celery has no public way to
    # forget them: drop both pools so the next publish connects to the broker now configured.
    app.__dict__.pop("amqp", None)
    app._pool = None


def _form_data(instance, **changes) -> dict:
    from django.forms.models import model_to_dict

    data = {**model_to_dict(instance), **changes}
    return {key: "" if value is None else value for key, value in data.items()}


def test_a_milestone_saved_in_the_admin_while_the_broker_is_down_is_kept_and_caught_up(
    zone, admin_client, broker_down, django_capture_on_commit_callbacks, caplog
):
    services.readiness_recompute(zone_ids=[zone.pk])
    scored = _score(zone)
    milestone = Milestone.objects.get(zone=zone, status=MilestoneStatus.IN_PROGRESS)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/zones/milestone/{milestone.pk}/change/",
            _form_data(milestone, status=MilestoneStatus.DONE),
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.DONE
    assert _stale(zone) is True
    assert _score(zone) == scored
    assert "Could not queue a readiness recompute" in caplog.text

    from config.celery import app

    sweep = next(
        entry
        for entry in app.conf.beat_schedule.values()
        if entry["task"] == recompute_readiness.name and entry.get("kwargs", {}).get("only_stale")
    )
    recompute_readiness.apply(kwargs=sweep.get("kwargs", {}))

    assert _stale(zone) is False
    assert _score(zone) == expected_score(zone) != scored


def test_the_nightly_job_rescores_every_zone(zone):
    from config.celery import app

    nightly = app.conf.beat_schedule["readiness-nightly-recompute"]
    other = ZoneFactory()
    Zone.objects.update(readiness_stale=False)

    recompute_readiness.apply(kwargs=nightly.get("kwargs", {}))

    assert {_score(zone), _score(other)} == {expected_score(zone), expected_score(other)}


# --- scoring profiles ---------------------------------------------------------------------------


def test_version_one_is_stored_active_with_the_default_weights():
    profile = ScoringProfile.objects.get(is_active=True)

    assert profile.version == 1
    assert (profile.utilities, profile.land, profile.milestones, profile.occupancy) == (
        D("0.35"), D("0.15"), D("0.30"), D("0.20"),
    )  # fmt: skip


def test_weights_that_do_not_add_up_to_one_are_refused():
    with pytest.raises(ValidationError, match="must add up to exactly 1"):
        services.scoring_profile_create(
            utilities=D("0.4"), land=D("0.2"), milestones=D("0.3"), occupancy=D("0.2")
        )
    assert not ScoringProfile.objects.filter(version=2).exists()


def test_a_negative_weight_is_refused():
    with pytest.raises(ValidationError, match="A weight cannot be negative"):
        services.scoring_profile_create(
            utilities=D("0.6"), land=D("-0.1"), milestones=D("0.3"), occupancy=D("0.2")
        )


def test_the_database_refuses_weights_that_do_not_add_up_to_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoringProfile.objects.create(
            version=9, utilities=D("0.5"), land=D("0.5"), milestones=D("0.5"), occupancy=D("0")
        )


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (("0.40", "0.20", "0.30", "0.20"), "must add up to exactly 1"),
        (("0.60", "-0.10", "0.30", "0.20"), "A weight cannot be negative"),
    ],
)
def test_the_admin_refuses_bad_weights_with_a_clear_message(admin_client, weights, message):
    data = dict(zip(("utilities", "land", "milestones", "occupancy"), weights, strict=True))

    response = admin_client.post("/admin/zones/scoringprofile/add/", {"name": "Bad", **data})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ScoringProfile.objects.filter(name="Bad").exists()


def test_an_administrator_adds_a_profile_and_activating_it_rescores_every_zone(
    zone, admin_client, django_capture_on_commit_callbacks
):
    other = ZoneFactory(area_acres=None)
    services.readiness_recompute()
    response = admin_client.post(
        "/admin/zones/scoringprofile/add/",
        {
            "name": "Milestones only",
            "utilities": "0",
            "land": "0",
            "milestones": "1",
            "occupancy": "0",
        },
    )
    assert response.status_code == 302
    profile = ScoringProfile.objects.get(name="Milestones only")
    assert (profile.version, profile.is_active) == (2, False)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/zones/scoringprofile/",
            {"action": "activate", "_selected_action": [profile.pk]},
        )

    assert response.status_code == 302
    assert list(ScoringProfile.objects.filter(is_active=True)) == [profile]
    for scored in (zone, other):
        latest = scored.readiness_snapshots.order_by("-computed_at").first()
        assert latest.profile_version == 2
        assert latest.changes["profile_version"] == {"before": 1, "after": 2}
        assert _score(scored) == 100 * latest.milestones
    assert _score(zone) == D("50.0")


def test_with_no_stored_profile_the_default_weights_apply(zone):
    ScoringProfile.objects.all().delete()

    services.readiness_recompute(zone_ids=[zone.pk])

    snapshot = zone.readiness_snapshots.get()
    assert snapshot.profile_version == 1
    assert snapshot.weights["utilities"] == "0.35"


def test_only_one_profile_can_be_active():
    second = services.scoring_profile_create(
        utilities=D("0.25"), land=D("0.25"), milestones=D("0.25"), occupancy=D("0.25")
    )

    services.scoring_profile_activate(profile=second)

    assert list(ScoringProfile.objects.filter(is_active=True)) == [second]
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoringProfile.objects.filter(version=1).update(is_active=True)


# --- the management command ---------------------------------------------------------------------


def test_recompute_readiness_sync_scores_every_zone_and_prints_a_summary(zone, capsys):
    other = ZoneFactory()

    call_command("recompute_readiness", "--sync")

    out = capsys.readouterr().out
    assert "Recomputed 2 zone(s) with scoring profile version 1" in out
    assert "2 new snapshot(s), 0 unchanged" in out
    assert _score(zone) == expected_score(zone)
    assert _score(other) == expected_score(other)


def test_recompute_readiness_for_one_zone(zone, capsys):
    other = ZoneFactory()

    call_command("recompute_readiness", "--sync", "--zone", zone.slug)

    assert "Recomputed 1 zone(s)" in capsys.readouterr().out
    assert _score(zone) is not None
    assert _score(other) is None


def test_recompute_readiness_refuses_an_unknown_zone():
    with pytest.raises(CommandError, match="Unknown zone slug"):
        call_command("recompute_readiness", "--zone", "no-such-zone")


def test_recompute_readiness_without_sync_queues_the_task(zone, capsys, task_runs):
    call_command("recompute_readiness", "--zone", zone.slug)

    assert "Queued a readiness recompute of 1 zone(s)" in capsys.readouterr().out
    assert task_runs == [[zone.pk]]
    assert _score(zone) == expected_score(zone)


def test_recompute_readiness_without_sync_says_when_the_broker_is_down(zone, broker_down):
    with pytest.raises(CommandError, match="Could not reach the Celery broker"):
        call_command("recompute_readiness")


def test_firm_records_do_not_need_a_sector_to_count(zone):
    Firm.objects.update(sector=None)

    services.readiness_recompute(zone_ids=[zone.pk])

    assert zone.readiness_snapshots.get().occupancy == D("0.1")
