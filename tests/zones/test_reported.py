"""Reported totals: imported through the ``reported`` sheet, kept as statements, shown
beside what the records sum to with coverage; free land subtracts the larger allotment."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from tests.factories import FirmFactory, ZoneFactory
from tests.html import text_of
from zones.importer import BundleError, import_bundle, read_bundle
from zones.models import ReportedTotal

pytestmark = pytest.mark.django_db

HEADER = ["zone", "metric", "value", "as_of", "reported_by", "source_url", "notes"]
SOURCE = "https://example.org/report"


def _import(tmp_path: Path, *rows: list[str]):
    folder = tmp_path / "bundle"
    folder.mkdir(exist_ok=True)
    with (folder / "reported.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return import_bundle(read_bundle(folder))


@pytest.fixture
def zone():
    zone = ZoneFactory(slug="aiic", name="Allama Iqbal", area_acres=Decimal("3217"))
    FirmFactory(zone=zone, status="operating", allotted_acres=Decimal("74"), jobs_actual=300)
    FirmFactory(zone=zone, status="operating", allotted_acres=Decimal("500"), is_illustrative=True)
    return zone


def test_the_reported_sheet_imports_every_statement_and_reimports_as_unchanged(tmp_path, zone):
    rows = [
        ["aiic", "allotted_acres", "751", "2021-07-01", "CPEC Authority", SOURCE, "33 %"],
        ["aiic", "allotted_acres", "1000", "2021-04-01", "FIEDMC", SOURCE, ""],
        ["aiic", "saleable_acres", "2276", "2021-07-01", "CPEC Authority", SOURCE, ""],
    ]
    _import(tmp_path, *rows)
    _import(tmp_path, *rows)

    stored = ReportedTotal.objects.filter(zone=zone)
    assert stored.count() == 3
    assert stored.filter(metric="allotted_acres").first().value == Decimal("751")


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (["aiic", "allotted_acres", "-1", "2021-07-01", "CPEC Authority", SOURCE, ""], "value"),
        (["aiic", "allotted_acres", "751", "2021-07-01", "CPEC Authority", "", ""], "source_url"),
        (["aiic", "acres", "751", "2021-07-01", "CPEC Authority", SOURCE, ""], "metric"),
        (["nowhere", "jobs", "10", "2021-07-01", "CPEC Authority", SOURCE, ""], "zone"),
    ],
)
def test_a_bad_reported_row_is_refused_with_its_column_and_changes_nothing(
    tmp_path, zone, row, column
):
    with pytest.raises(BundleError) as refused:
        _import(tmp_path, row)

    assert any(f"reported:2: {column}:" in str(error) for error in refused.value.errors)
    assert not ReportedTotal.objects.exists()


def test_the_zone_page_sets_the_reported_total_beside_the_records_with_coverage(
    tmp_path, zone, client
):
    _import(
        tmp_path,
        ["aiic", "allotted_acres", "751", "2021-07-01", "CPEC Authority", SOURCE, ""],
        ["aiic", "jobs", "3000", "2021-07-01", "CPEC Authority", SOURCE, ""],
    )

    page = text_of(client.get(zone.get_absolute_url()))

    assert "Reported totals beside the records" in page
    assert "751 " in page and "74 from 1 firm record" in page  # the invented firm left out
    assert "300 from 1 firm record" in page
    assert "10 %" in page or "10%" in page  # jobs: 300 ÷ 3,000
    # free land subtracts the larger, reported allotment, and says so
    assert "2466 acres" in page or "2,466 acres" in page
    assert "allotment reported by the authority" in page


def test_free_land_uses_the_records_when_they_hold_more_than_was_reported(tmp_path, zone, client):
    _import(tmp_path, ["aiic", "allotted_acres", "50", "2021-07-01", "CPEC Authority", SOURCE, ""])

    listed = client.get("/api/zones/").json()["results"]

    assert Decimal(str(listed[0]["free_land_acres"])) == Decimal("3143")  # 3,217 − 74
    assert "allotted to firms that are allotted" in text_of(client.get(zone.get_absolute_url()))


def test_the_api_list_subtracts_the_larger_reported_allotment(tmp_path, zone, client):
    _import(tmp_path, ["aiic", "allotted_acres", "300", "2021-07-01", "CPEC Authority", SOURCE, ""])

    listed = client.get("/api/zones/").json()["results"]
    included = client.get("/api/zones/?illustrative=include").json()["results"]

    assert Decimal(str(listed[0]["free_land_acres"])) == Decimal("2917")  # 3,217 − 300 reported
    # with the invented firm, the records hold 574 acres: more than reported
    assert Decimal(str(included[0]["free_land_acres"])) == Decimal("2643")  # 3,217 − 574


def test_the_delivery_page_lists_the_reported_totals(tmp_path, zone, client):
    _import(tmp_path, ["aiic", "jobs", "3000", "2021-07-01", "CPEC Authority", SOURCE, ""])

    page = text_of(client.get("/delivery/"))

    assert "Reported totals beside the records" in page
    assert "Allama Iqbal" in page
