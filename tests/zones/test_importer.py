"""The spreadsheet bundle importer: every error reported, nothing half-written, idempotent."""

import csv
import datetime
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from investors.models import Firm
from tests.factories import ZoneFactory
from zones.importer import BundleError, import_bundle, read_bundle
from zones.models import LandDispute, Milestone, Target, UtilityConnection, Zone

pytestmark = pytest.mark.django_db

BUNDLE = {
    "zones": [
        ["slug", "name", "province", "district", "latitude", "longitude", "area_acres",
         "developer", "status", "cpec_priority", "sectors", "published", "source_url"],
        ["rashakai", "Rashakai SEZ", "PK-KP", "Nowshera", "34.0153", "71.9747", "1000",
         "RSEZDOC", "under_development", "true", "textiles;steel", "true",
         "https://example.org/rashakai"],
        ["bostan", "Bostan SEZ", "PK-BA", "Pishin", "30.4325", "67.0061", "1000",
         "BSEZA", "under_development", "true", "food-processing", "", ""],
    ],
    "utilities": [
        ["zone", "kind", "status", "required_capacity", "available_capacity", "unit",
         "provider", "target_date"],
        ["rashakai", "electricity", "at_zero_point", "200", "160", "MW", "PESCO", "2024-01-10"],
        ["rashakai", "gas", "at_zero_point", "30", "30", "MMCFD", "SNGPL", ""],
    ],
    "disputes": [
        ["zone", "reference", "affected_acres", "forum", "status", "opened_on", "resolved_on",
         "description"],
        ["rashakai", "compensation-2017", "120", "ADJ-1 Nowshera", "in_court", "2017-03-01",
         "", "Owners sued for higher compensation."],
    ],
    "milestones": [
        ["zone", "code", "title", "weight", "responsible", "status", "baseline_date",
         "planned_date", "actual_date"],
        ["rashakai", "development_agreement", "Development agreement", "1", "federal", "done",
         "2020-06-30", "2020-09-14", "2020-09-14"],
        ["rashakai", "power_at_zero_point", "Power at zero point", "2", "federal",
         "in_progress", "2021-06-30", "2026-06-30", ""],
    ],
    "firms": [
        ["zone", "name", "sector", "origin_country", "ownership", "status", "allotted_acres",
         "allotted_on", "investment_usd", "jobs_planned", "jobs_actual", "exports_usd"],
        ["rashakai", "Century Steel", "steel", "CN", "foreign", "under_construction", "40",
         "2021-01-14", "50000000", "1000", "", ""],
    ],
    "targets": [
        ["zone", "metric", "announced_on", "value", "target_date", "announced_by",
         "source_url"],
        ["rashakai", "jobs", "2021-05-28", "200000", "", "KP government",
         "https://example.org/jobs"],
    ],
}  # fmt: skip


def write_csv_bundle(folder: Path, bundle: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for sheet, rows in bundle.items():
        with (folder / f"{sheet}.csv").open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    return folder


def write_xlsx_bundle(path: Path, bundle: dict) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet, rows in bundle.items():
        worksheet = workbook.create_sheet(sheet)
        for row in rows:
            worksheet.append(row)
    workbook.save(path)
    return path


def with_row(sheet: str, row: list[str]) -> dict:
    bundle = {name: [list(r) for r in rows] for name, rows in BUNDLE.items()}
    bundle[sheet].append(row)
    return bundle


def errors_of(tmp_path, bundle) -> list[str]:
    with pytest.raises(BundleError) as excinfo:
        import_bundle(read_bundle(write_csv_bundle(tmp_path / "bundle", bundle)))
    return [str(error) for error in excinfo.value.errors]


@pytest.fixture(params=["csv", "xlsx"])
def bundle_path(request, tmp_path):
    if request.param == "csv":
        return write_csv_bundle(tmp_path / "bundle", BUNDLE)
    return write_xlsx_bundle(tmp_path / "bundle.xlsx", BUNDLE)


def test_a_valid_bundle_imports_every_sheet(bundle_path):
    report = import_bundle(read_bundle(bundle_path))

    rashakai = Zone.objects.get(slug="rashakai")
    assert rashakai.province_id == "PK-KP"
    assert rashakai.cpec_priority is True
    assert sorted(rashakai.sectors.values_list("slug", flat=True)) == ["steel", "textiles"]
    assert Zone.objects.get(slug="bostan").published is True  # empty cell takes the default
    electricity = UtilityConnection.objects.get(zone=rashakai, kind="electricity")
    assert electricity.available_capacity == Decimal("160")
    assert electricity.target_date == datetime.date(2024, 1, 10)
    assert LandDispute.objects.get().status == "in_court"
    assert Milestone.objects.get(code="power_at_zero_point").weight == Decimal("2")
    assert Firm.objects.get().origin_country == "CN"
    assert Target.objects.get().value == Decimal("200000")
    assert report.counts["zones"].created == 2
    assert report.counts["utilities"].created == 2


def test_importing_the_same_bundle_twice_changes_nothing(bundle_path):
    import_bundle(read_bundle(bundle_path))
    stamps = list(Zone.objects.order_by("slug").values_list("updated_at", flat=True))

    report = import_bundle(read_bundle(bundle_path))

    assert all(c.created == 0 and c.updated == 0 for c in report.counts.values())
    assert list(Zone.objects.order_by("slug").values_list("updated_at", flat=True)) == stamps
    assert UtilityConnection.objects.count() == 2


def test_a_changed_row_updates_the_record_in_place(tmp_path):
    import_bundle(read_bundle(write_csv_bundle(tmp_path / "first", BUNDLE)))
    bundle = {name: [list(r) for r in rows] for name, rows in BUNDLE.items()}
    bundle["utilities"][1][4] = "200"  # electricity now fully available

    report = import_bundle(read_bundle(write_csv_bundle(tmp_path / "second", bundle)))

    assert report.counts["utilities"].updated == 1
    assert report.counts["utilities"].unchanged == 1
    assert UtilityConnection.objects.get(kind="electricity").available_capacity == 200


def test_dry_run_reports_without_writing(tmp_path):
    report = import_bundle(read_bundle(write_csv_bundle(tmp_path / "bundle", BUNDLE)), dry_run=True)

    assert report.counts["zones"].created == 2
    assert not Zone.objects.exists()


@pytest.mark.parametrize(
    ("sheet", "row", "expected"),
    [
        ("zones", ["x", "X", "PK-XX", "", "", "", "", "", "proposed", "", "", "", ""],
         "zones:4: province: Unknown province 'PK-XX'"),
        ("zones", ["x", "X", "PK-PB", "", "", "", "", "", "proposed", "", "tea", "", ""],
         "zones:4: sectors: Unknown sector 'tea'"),
        ("zones", ["x", "X", "PK-PB", "", "95", "", "", "", "proposed", "", "", "", ""],
         "zones:4: latitude:"),
        ("zones", ["x", "X", "PK-PB", "", "", "", "-5", "", "proposed", "", "", "", ""],
         "zones:4: area_acres:"),
        ("zones", ["x", "X", "PK-PB", "", "", "", "", "", "finished", "", "", "", ""],
         "zones:4: status: Select a valid choice."),
        ("zones", ["x", "X", "PK-PB", "", "", "", "", "", "proposed", "yes", "", "", ""],
         "zones:4: cpec_priority: Expected true or false, got 'yes'."),
        ("zones", ["rashakai", "Again", "PK-KP", "", "", "", "", "", "proposed", "", "", "", ""],
         "zones:4: slug: Duplicate of line 2"),
        ("utilities", ["nowhere", "gas", "planned", "", "", "", "", ""],
         "utilities:4: zone: Unknown zone 'nowhere'"),
        ("utilities", ["rashakai", "water", "planned", "", "", "", "", "31/12/2025"],
         "utilities:4: target_date: Enter a valid date."),
        ("utilities", ["rashakai", "water", "planned", "lots", "", "", "", ""],
         "utilities:4: required_capacity: Enter a number."),
        ("disputes", ["rashakai", "late", "1", "", "resolved", "2020-01-02", "2020-01-01", ""],
         "disputes:3: resolved_on/opened_on: A dispute cannot be resolved before it was opened."),
        ("milestones", ["rashakai", "zero", "Zero", "0", "federal", "done", "", "", ""],
         "milestones:4: weight: Weight must be greater than zero."),
        ("milestones", ["rashakai", "who", "Who", "1", "municipal", "done", "", "", ""],
         "milestones:4: responsible: Select a valid choice."),
        ("firms", ["rashakai", "Acme", "steel", "China", "foreign", "operating", "", "", "",
                   "", "", ""],
         "firms:3: origin_country:"),
        ("firms", ["rashakai", "Acme", "steel", "PK", "domestic", "operating", "", "", "",
                   "-3", "", ""],
         "firms:3: jobs_planned:"),
        ("targets", ["rashakai", "jobs", "2023-01-01", "1000", "", "Someone", ""],
         "targets:3: source_url: This field is required."),
    ],
)  # fmt: skip
def test_each_kind_of_bad_row_is_reported_by_sheet_line_and_column(tmp_path, sheet, row, expected):
    errors = errors_of(tmp_path, with_row(sheet, row))

    assert any(error.startswith(expected) for error in errors), errors
    assert not Zone.objects.exists(), "a bad row must reject the whole bundle"


def test_every_error_is_listed_not_just_the_first(tmp_path):
    bundle = with_row("utilities", ["nowhere", "gas", "planned", "", "", "", "", ""])
    bundle["firms"].append(
        ["rashakai", "Acme", "tea", "PK", "domestic", "operating", "", "", "", "", "", ""]
    )

    errors = errors_of(tmp_path, bundle)

    assert len(errors) == 2
    assert errors[0].startswith("utilities:4: zone:")
    assert errors[1].startswith("firms:3: sector:")


def test_a_bad_row_in_the_last_sheet_leaves_existing_data_untouched(tmp_path):
    zone = ZoneFactory(slug="rashakai", name="Before", province__code="PK-KP")
    bundle = with_row("targets", ["rashakai", "jobs", "2024-01-01", "-1", "", "", "https://x.org"])

    errors_of(tmp_path, bundle)

    zone.refresh_from_db()
    assert zone.name == "Before"
    assert not UtilityConnection.objects.exists()


def test_unknown_and_missing_columns_are_refused(tmp_path):
    bundle = {name: [list(r) for r in rows] for name, rows in BUNDLE.items()}
    bundle["utilities"][0][2] = "state"  # a typo for "status"

    errors = errors_of(tmp_path, bundle)

    assert any(e.startswith("utilities:1: state: Unknown column") for e in errors)
    assert any(e.startswith("utilities:1: status: Required column missing") for e in errors)


def test_a_file_that_is_not_utf8_is_refused_with_its_sheet_name(tmp_path):
    folder = write_csv_bundle(tmp_path / "bundle", {"zones": BUNDLE["zones"]})
    (folder / "zones.csv").write_bytes("slug,name\nmültan,Mültan\n".encode("latin-1"))

    with pytest.raises(BundleError) as excinfo:
        read_bundle(folder)

    assert str(excinfo.value.errors[0]).startswith("zones:1: -: The file is not UTF-8")


def test_zone_scope_rejects_rows_for_other_zones(tmp_path):
    sheets = read_bundle(write_csv_bundle(tmp_path / "bundle", BUNDLE))

    with pytest.raises(BundleError) as excinfo:
        import_bundle(sheets, zone_allowed=lambda slug: slug == "bostan")

    assert "utilities:2: zone: You may not change zone 'rashakai'." in map(
        str, excinfo.value.errors
    )


def test_command_lists_errors_and_fails(tmp_path, capsys):
    folder = write_csv_bundle(
        tmp_path / "bundle", with_row("utilities", ["nowhere", "gas", "planned"] + [""] * 5)
    )

    with pytest.raises(CommandError, match="Nothing imported: 1 error"):
        call_command("import_zones", str(folder))

    assert "utilities:4: zone: Unknown zone 'nowhere'" in capsys.readouterr().err


def test_command_reports_what_it_imported(tmp_path, capsys):
    call_command("import_zones", str(write_csv_bundle(tmp_path / "bundle", BUNDLE)))

    assert "zones: 2 created, 0 updated, 0 unchanged" in capsys.readouterr().out


def test_progress_is_reported_for_large_bundles(tmp_path):
    header = BUNDLE["zones"][0]
    rows = [
        [f"z-{i}", f"Zone {i}", "PK-PB", "", "", "", "100", "", "proposed", "", "", "", ""]
        for i in range(450)
    ]
    seen = []

    import_bundle(
        read_bundle(write_csv_bundle(tmp_path / "b", {"zones": [header, *rows]})),
        progress=lambda done, total: seen.append((done, total)),
    )

    assert seen[-1] == (900, 900)
    assert len(seen) >= 4
    assert Zone.objects.count() == 450


# --- The package ----------------------------------------------------------------------------


def test_every_public_name_is_importable_from_the_package():
    import zones.importer

    missing = [name for name in zones.importer.__all__ if not hasattr(zones.importer, name)]

    assert sorted(zones.importer.__all__) == sorted(zones.importer.EXPORTS)
    assert missing == []


def test_finding_a_module_of_the_package_loads_no_models():
    """The import contracts locate modules without Django set up: the package must not load
    models (and with them the app registry) before one of its names is used."""
    code = (
        "import importlib.util, sys\n"
        "importlib.util.find_spec('zones.importer.specs')\n"
        "import zones.importer.reading\n"
        "assert 'zones.models' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env={"PATH": "/usr/bin:/bin"},  # no DJANGO_SETTINGS_MODULE
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
