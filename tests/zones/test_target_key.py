"""A target's natural key is [zone, metric, milestone, announced_on] (issue 20): one
announcement can promise several completion dates, while two statements of one metric (and
milestone) on one day stay a duplicate, in the importer, the database, the admin and the
workspace; and the migration that widened the key kept every stored row."""

from __future__ import annotations

import csv
import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests.factories import MilestoneFactory, TargetFactory, ZoneFactory, make_user
from tests.html import text_of
from workspace.models import ImportJob, ImportJobStatus
from zones.importer import BundleError, import_bundle, read_bundle
from zones.models import Target
from zones.vocabulary import TargetMetric

pytestmark = pytest.mark.django_db

HEADER = ["zone", "metric", "milestone", "announced_on", "value", "target_date",
          "announced_by", "source_url"]  # fmt: skip
DAY = "2023-07-21"
POWER = ["rashakai", "completion_date", "power-at-zero-point", DAY, "", "2024-01-31",
         "KPEZDMC", "https://a.example/1"]  # fmt: skip
PHASE_1 = ["rashakai", "completion_date", "phase-1", DAY, "", "2024-06-30", "KPEZDMC",
           "https://a.example/1"]  # fmt: skip
POWER_RESTATED = ["rashakai", "completion_date", "power-at-zero-point", "2024-03-01", "",
                  "2024-09-30", "KPEZDMC", "https://a.example/2"]  # fmt: skip
JOBS = ["rashakai", "jobs", "", DAY, "200000", "", "KPEZDMC", "https://a.example/1"]


@pytest.fixture
def rashakai():
    zone = ZoneFactory(slug="rashakai", name="Rashakai SEZ", published=True)
    MilestoneFactory(zone=zone, code="power-at-zero-point", title="Power at zero point")
    MilestoneFactory(zone=zone, code="phase-1", title="Phase 1 complete")
    return zone


def import_targets(tmp_path, *rows):
    folder = tmp_path / "bundle"
    folder.mkdir(exist_ok=True)
    with (folder / "targets.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return import_bundle(read_bundle(folder))


def refused(tmp_path, *rows) -> list[str]:
    with pytest.raises(BundleError) as excinfo:
        import_targets(tmp_path, *rows)
    assert not Target.objects.exists()
    return [str(error) for error in excinfo.value.errors]


# --- The importer --------------------------------------------------------------------------


def test_one_announcement_can_promise_two_completion_dates(tmp_path, rashakai):
    report = import_targets(tmp_path, POWER, PHASE_1, POWER_RESTATED, JOBS)
    again = import_targets(tmp_path, POWER, PHASE_1, POWER_RESTATED, JOBS)

    assert report.counts["targets"].created == 4
    assert again.counts["targets"].unchanged == 4
    stored = set(Target.objects.filter(announced_on=DAY).values_list("metric", "milestone_code"))
    assert stored == {
        ("completion_date", "power-at-zero-point"),
        ("completion_date", "phase-1"),
        ("jobs", ""),
    }


def test_a_restated_date_updates_only_its_own_milestone(tmp_path, rashakai):
    import_targets(tmp_path, POWER, PHASE_1)
    later = [*PHASE_1[:5], "2024-12-31", *PHASE_1[6:]]

    report = import_targets(tmp_path, POWER, later)

    assert (report.counts["targets"].updated, report.counts["targets"].unchanged) == (1, 1)
    dates = dict(Target.objects.values_list("milestone_code", "target_date"))
    assert dates == {
        "power-at-zero-point": datetime.date(2024, 1, 31),
        "phase-1": datetime.date(2024, 12, 31),
    }


def test_the_same_milestone_twice_on_one_day_is_still_a_duplicate(tmp_path, rashakai):
    again = [*POWER[:5], "2024-02-29", *POWER[6:]]

    errors = refused(tmp_path, POWER, PHASE_1, again)

    assert errors == ["targets:4: announced_on: Duplicate of line 2 (same natural key)."]


def test_the_same_quantity_metric_twice_on_one_day_is_still_a_duplicate(tmp_path, rashakai):
    restated = [*JOBS[:4], "250000", *JOBS[5:]]

    errors = refused(tmp_path, JOBS, restated)

    assert errors == ["targets:3: announced_on: Duplicate of line 2 (same natural key)."]


def test_a_quantity_target_names_no_milestone(tmp_path, rashakai):
    """Otherwise a second statement of the same jobs promise on the same day would pass as
    another promise."""
    errors = refused(tmp_path, JOBS, [*JOBS[:2], "phase-1", *JOBS[3:]])

    assert errors == ["targets:3: milestone: Only a completion-date target names a milestone."]


# --- The zone page and the API ------------------------------------------------------------


def test_the_zone_page_and_the_api_show_two_promises_with_their_own_histories(
    client, tmp_path, rashakai
):
    import_targets(tmp_path, POWER, PHASE_1, POWER_RESTATED)

    page = text_of(client.get(reverse("zones:detail", args=["rashakai"])))
    body = client.get("/api/zones/rashakai/").json()

    assert "Completion: Power at zero point" in page
    assert "Completion: Phase 1 complete" in page
    assert "(restated: 2 statements)" in page
    promises = {
        p["milestone_code"]: p
        for p in body["delivery"]["promises"]
        if p["metric"] == "completion_date"
    }
    assert set(promises) == {"power-at-zero-point", "phase-1"}
    power, phase_1 = promises["power-at-zero-point"], promises["phase-1"]
    assert [s["target_date"] for s in power["history"]] == ["2024-01-31", "2024-09-30"]
    assert power["current"]["announced_on"] == "2024-03-01"
    assert [s["target_date"] for s in phase_1["history"]] == ["2024-06-30"]
    assert phase_1["current"]["announced_on"] == DAY
    on_the_day = [t for t in body["targets"] if t["announced_on"] == DAY]
    assert sorted(t["milestone_code"] for t in on_the_day) == ["phase-1", "power-at-zero-point"]


# --- The database and the admin ----------------------------------------------------------


def _completion(zone, code: str, **values) -> Target:
    values = {"value": None, "target_date": datetime.date(2024, 6, 30), **values}
    return TargetFactory(
        zone=zone, metric=TargetMetric.COMPLETION_DATE, milestone_code=code, **values
    )


def test_the_database_refuses_a_true_duplicate_only(rashakai):
    _completion(rashakai, "power-at-zero-point")
    _completion(rashakai, "phase-1")
    TargetFactory(zone=rashakai)

    with pytest.raises(IntegrityError), transaction.atomic():
        _completion(rashakai, "phase-1", target_date=datetime.date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        TargetFactory(zone=rashakai, value=Decimal("300000"))  # same jobs target, same day


def test_the_admin_records_a_second_date_and_refuses_a_duplicate(admin_client, rashakai):
    _completion(rashakai, "power-at-zero-point", announced_on=datetime.date(2023, 7, 21))
    url = reverse("admin:zones_target_add")
    form = {
        "zone": rashakai.pk,
        "metric": "completion_date",
        "announced_on": "2023-07-21",
        "target_date": "2024-06-30",
        "milestone_code": "phase-1",
        "source_url": "https://a.example/1",
    }

    added = admin_client.post(url, form)
    duplicate = admin_client.post(url, form)
    quantity = admin_client.post(url, {**form, "metric": "jobs", "value": "1000"})

    assert added.status_code == 302
    assert Target.objects.filter(milestone_code="phase-1").count() == 1
    assert duplicate.status_code == 200
    assert "This zone already has a target for this metric announced on that day." in (
        duplicate.content.decode()
    )
    assert quantity.status_code == 200
    assert "Only a completion-date target names a milestone." in quantity.content.decode()
    assert Target.objects.count() == 2


# --- The workspace -------------------------------------------------------------------------


def test_the_import_preview_names_each_promise_by_its_key(client, rashakai):
    client.force_login(make_user("administrator", username="admin"))
    rows = [HEADER, POWER, PHASE_1, JOBS]
    data = "".join(",".join(row) + "\r\n" for row in rows).encode()

    response = client.post(
        reverse("workspace:import_upload"),
        {"file": SimpleUploadedFile("targets.csv", data, content_type="text/csv")},
        follow=True,
    )

    assert ImportJob.objects.get().status == ImportJobStatus.PREVIEWED
    page = re.sub(r"\s+", " ", response.content.decode())
    assert f"rashakai · completion_date · power-at-zero-point · {DAY}" in page
    assert f"rashakai · completion_date · phase-1 · {DAY}" in page
    assert f"rashakai · jobs · {DAY}" in page  # no empty milestone between


# --- The migration -------------------------------------------------------------------------

BEFORE, AFTER = ("zones", "0005_allotment"), ("zones", "0006_target_key_names_the_milestone")


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_stored_target():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        old = executor.loader.project_state([BEFORE]).apps
        province, _ = old.get_model("zones", "Province").objects.get_or_create(
            code="PK-KP", defaults={"name": "Khyber Pakhtunkhwa"}
        )
        zone = old.get_model("zones", "Zone").objects.create(
            slug="rashakai", name="Rashakai SEZ", province=province
        )
        OldTarget = old.get_model("zones", "Target")
        for metric, code, day, value, due in [
            ("jobs", "", "2021-01-16", Decimal("200000"), None),
            ("jobs", "", "2023-07-21", Decimal("320000"), None),
            ("investment_usd", "", "2021-01-16", Decimal("2130000000"), None),
            ("completion_date", "power-at-zero-point", "2021-01-16", None, "2022-06-30"),
        ]:
            OldTarget.objects.create(
                zone=zone, metric=metric, milestone_code=code, announced_on=day, value=value,
                target_date=due, source_url="https://a.example/1",
            )  # fmt: skip
        stored = list(OldTarget.objects.order_by("pk").values())

        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])

        NewTarget = executor.loader.project_state([AFTER]).apps.get_model("zones", "Target")
        assert list(NewTarget.objects.order_by("pk").values()) == stored
        NewTarget.objects.create(
            zone_id=zone.pk, metric="completion_date", milestone_code="phase-1",
            announced_on="2021-01-16", target_date="2023-06-30", source_url="https://a.example/1",
        )  # fmt: skip
        with pytest.raises(IntegrityError), transaction.atomic():
            NewTarget.objects.create(
                zone_id=zone.pk, metric="jobs", announced_on="2021-01-16", value=1,
                source_url="https://a.example/1",
            )  # fmt: skip
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
