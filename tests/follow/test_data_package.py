"""The open data package at /data/: a Frictionless Data Package of the public rows of the
published zones, built nightly and on demand, kept for a configurable number of days."""

import csv
import datetime
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from frictionless import Package, validate

from follow import services, tasks
from tests.factories import (
    AnnualReturnFactory,
    ApplicationFactory,
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    PlotFactory,
    PolicyEventFactory,
    SectorFactory,
    TargetFactory,
    UtilityFactory,
    ZoneFactory,
)
from zones.models import ReadinessSnapshot

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture
def dataset():
    textiles = SectorFactory(slug="textiles", name="Textiles and garments")
    zone = ZoneFactory(
        name="Rashakai", slug="rashakai", province__code="PK-KP", area_acres=Decimal("1000"),
        internal_notes="Board is unhappy", source_url="https://example.org/rashakai",
    )  # fmt: skip
    zone.sectors.add(textiles)
    UtilityFactory(zone=zone, kind="electricity", status="at_zero_point", notes="Call SNGPL")
    DisputeFactory(zone=zone, reference="RD-1", parties="Mr Confidential")
    MilestoneFactory(zone=zone, code="groundbreaking", title="Groundbreaking")
    textiles_firm = FirmFactory(
        zone=zone, name="Rashakai Textiles", sector=textiles, export_markets=["CN", "AE"]
    )
    AnnualReturnFactory(
        firm=textiles_firm, year=2024, employees=150, employees_women=30,
        export_markets=["CN", "AE"],
    )  # fmt: skip
    TargetFactory(zone=zone, metric="jobs", value=Decimal("200000"))
    PlotFactory(zone=zone, number="A-1", acres=Decimal("12.5"))
    ReadinessSnapshot.objects.create(
        zone=zone, score=Decimal("41.5"), utilities=Decimal("0.2"), land=Decimal("1"),
        milestones=Decimal("0"), occupancy=Decimal("0.01"), weights={}, profile_version=1,
        computed_at=datetime.datetime(2026, 12, 1, 2, 30, tzinfo=datetime.UTC),
        inputs_digest="abc",
    )  # fmt: skip
    hidden = ZoneFactory(name="Secret Park", slug="secret-park", published=False)
    MilestoneFactory(zone=hidden, code="hidden-milestone")
    AnnualReturnFactory(firm=FirmFactory(zone=hidden, name="Hidden Firm"), year=2024)
    PlotFactory(zone=hidden, number="HIDDEN-PLOT")
    PolicyEventFactory(reference="sez-act-2012", zones=[zone, hidden])
    ApplicationFactory(zone=zone, reference="ES-1")
    ApplicationFactory(zone=hidden, reference="HIDDEN-APP")
    return zone


def unpack(open_data_dir, name, destination):
    with zipfile.ZipFile(open_data_dir / name) as archive:
        archive.extractall(destination)
    return destination


def rows(folder, resource):
    with open(folder / f"{resource}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_package_validates_and_holds_the_public_rows_of_published_zones(
    dataset, open_data_dir, tmp_path
):
    package = services.data_package_build(today=TODAY)
    folder = unpack(open_data_dir, package.name, tmp_path / "unpacked")

    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    descriptor = json.loads((folder / "datapackage.json").read_text())
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["sources"]
    assert [r["name"] for r in descriptor["resources"]] == [
        "zones", "utilities", "disputes", "milestones", "firms", "targets", "plots", "returns",
        "policy_events", "applications", "readiness_snapshots",
    ]  # fmt: skip
    assert [(p["zone"], p["number"], p["acres"], p["status"]) for p in rows(folder, "plots")] == [
        ("rashakai", "A-1", "12.50", "available")
    ]
    events = rows(folder, "policy_events")
    assert [(e["reference"], e["zones"]) for e in events] == [("sez-act-2012", "rashakai")]
    assert [(a["zone"], a["reference"]) for a in rows(folder, "applications")] == [
        ("rashakai", "ES-1")
    ]
    zones = rows(folder, "zones")
    assert [z["slug"] for z in zones] == ["rashakai"]
    assert zones[0]["province"] == "PK-KP"
    assert zones[0]["sectors"] == "textiles"
    assert zones[0]["area_acres"] == "1000.00"
    assert [(u["zone"], u["kind"], u["status"]) for u in rows(folder, "utilities")] == [
        ("rashakai", "electricity", "at_zero_point")
    ]
    assert [m["code"] for m in rows(folder, "milestones")] == ["groundbreaking"]
    firms = rows(folder, "firms")
    assert [(f["name"], f["sector"], f["export_markets"]) for f in firms] == [
        ("Rashakai Textiles", "textiles", "CN;AE")
    ]
    assert rows(folder, "targets")[0]["value"] == "200000.00"
    assert [
        (r["zone"], r["firm"], r["year"], r["employees_women"], r["export_markets"])
        for r in rows(folder, "returns")
    ] == [("rashakai", "Rashakai Textiles", "2024", "30", "CN;AE")]
    snapshot = rows(folder, "readiness_snapshots")[0]
    assert (snapshot["score"], snapshot["computed_at"]) == ("41.5", "2026-12-01T02:30:00Z")
    assert Package(str(folder / "datapackage.json")).get_resource("disputes").read_rows()


def test_unpublished_zones_and_internal_fields_never_appear(dataset, open_data_dir, tmp_path):
    package = services.data_package_build(today=TODAY)
    folder = unpack(open_data_dir, package.name, tmp_path / "unpacked")

    everything = "".join(path.read_text() for path in folder.iterdir())
    for secret in ("Secret Park", "secret-park", "hidden-milestone", "Hidden Firm", "HIDDEN-PLOT",
                   "Board is unhappy", "Mr Confidential", "Call SNGPL"):  # fmt: skip
        assert secret not in everything
    assert "parties" not in rows(folder, "disputes")[0]
    assert "internal_notes" not in rows(folder, "zones")[0]
    assert "published" not in rows(folder, "zones")[0]


def test_the_page_lists_packages_by_date_and_downloads_one(dataset, open_data_dir, client):
    assert "No package has been built yet" in client.get("/data/").content.decode()
    services.data_package_build(today=TODAY - datetime.timedelta(days=1))
    services.data_package_build(today=TODAY)

    page = client.get("/data/")
    download = client.get("/data/2026-12-07.zip")

    html = page.content.decode()
    assert html.index("2026-12-07") < html.index("2026-12-06")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert 'filename="cpec-sez-open-data-2026-12-07.zip"' in download["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        assert "datapackage.json" in archive.namelist()
    assert client.get("/data/2026-01-01.zip").status_code == 404
    assert client.get("/data/not-a-date.zip").status_code == 404


def test_packages_older_than_the_days_kept_are_pruned_and_a_rebuild_replaces_the_days(
    dataset, open_data_dir
):
    for days_ago in (0, 3, 10):
        services.data_package_build(today=TODAY - datetime.timedelta(days=days_ago))
    services.data_package_build(today=TODAY)  # the same day again

    deleted = services.data_packages_prune(today=TODAY, keep_days=5)

    assert deleted == ["cpec-sez-open-data-2026-11-27.zip"]
    assert sorted(p.name for p in open_data_dir.iterdir()) == [
        "cpec-sez-open-data-2026-12-04.zip",
        "cpec-sez-open-data-2026-12-07.zip",
    ]


def test_the_command_and_the_nightly_task_build_todays_package(dataset, open_data_dir, settings):
    settings.OPEN_DATA_KEEP_DAYS = 0
    out = io.StringIO()
    call_command("build_data_package", stdout=out)
    result = tasks.build_data_package.delay().get()

    assert "Built cpec-sez-open-data-" in out.getvalue()
    assert result["name"].startswith("cpec-sez-open-data-")
    assert len(list(open_data_dir.iterdir())) == 1
    assert "follow.build_data_package" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
