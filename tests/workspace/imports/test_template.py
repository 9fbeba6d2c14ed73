"""The template workbook: the importer's columns and allowed values, and it imports as is."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_user
from workspace.models import ImportJob, ImportJobStatus
from zones.importer import SHEET_ORDER, SPECS
from zones.reference_data import PROVINCES, SECTORS
from zones.vocabulary import FirmStatus, MilestoneStatus, UtilityKind, ZoneStatus

pytestmark = pytest.mark.django_db

TEMPLATE_URL = reverse("workspace:import_template")


@pytest.fixture
def workbook(client):
    client.force_login(make_user("editor"))
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "sez-import-template.xlsx" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def allowed_values(workbook, sheet: str, column: str) -> list[str] | None:
    """The values of the drop-down list on ``column``, read back through its formula."""
    worksheet = workbook[sheet]
    header = [cell.value for cell in worksheet[1]]
    letter = worksheet.cell(row=1, column=header.index(column) + 1).column_letter
    for validation in worksheet.data_validations.dataValidation:
        if any(str(cell_range).startswith(f"{letter}2:") for cell_range in validation.sqref.ranges):
            formula = validation.formula1
            if formula.startswith('"'):
                return formula.strip('"').split(",")
            target, cells = formula.split("!")
            first, last = cells.replace("$", "").split(":")
            lists = workbook[target.strip("'")]
            return [row[0].value for row in lists[first:last]]
    return None


def test_each_bundle_sheet_has_the_importers_columns_key_first(workbook):
    for name in SHEET_ORDER:
        header = [cell.value for cell in workbook[name][1]]
        assert sorted(header) == sorted(SPECS[name].columns)
        assert header[: len(SPECS[name].key)] == list(SPECS[name].key)


def test_enumerations_offer_exactly_the_allowed_values(workbook):
    assert allowed_values(workbook, "zones", "status") == ZoneStatus.values
    assert allowed_values(workbook, "zones", "province") == [code for code, _ in PROVINCES]
    assert allowed_values(workbook, "zones", "cpec_priority") == ["true", "false"]
    assert allowed_values(workbook, "utilities", "kind") == UtilityKind.values
    assert allowed_values(workbook, "milestones", "status") == MilestoneStatus.values
    assert allowed_values(workbook, "firms", "status") == FirmStatus.values
    assert allowed_values(workbook, "firms", "sector") == [slug for slug, _ in SECTORS]
    assert allowed_values(workbook, "zones", "name") is None


def test_the_read_me_explains_every_column(workbook):
    rows = list(workbook["read-me"].iter_rows(values_only=True))
    described = {(row[0], row[1]) for row in rows if row[0] in SHEET_ORDER}

    assert described == {(name, column) for name in SHEET_ORDER for column in SPECS[name].columns}
    assert ("milestones", "planned_date", None, None, "A date, YYYY-MM-DD.") in rows


def test_the_filled_in_template_imports_as_is(client, workbook):
    """Fill one zone and one milestone with values picked from the template's own lists."""
    zones = workbook["zones"]
    header = [cell.value for cell in zones[1]]
    zone = {
        "slug": "moqpondass",
        "name": "Moqpondass SEZ",
        "province": allowed_values(workbook, "zones", "province")[4],
        "status": allowed_values(workbook, "zones", "status")[1],
        "sectors": "minerals;food-processing",
    }
    zones.append([zone.get(column) for column in header])
    milestones = workbook["milestones"]
    header = [cell.value for cell in milestones[1]]
    milestone = {
        "zone": "moqpondass",
        "code": "notified",
        "title": "Notified",
        "responsible": allowed_values(workbook, "milestones", "responsible")[0],
        "status": allowed_values(workbook, "milestones", "status")[2],
    }
    milestones.append([milestone.get(column) for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(make_user("administrator"))

    client.post(
        reverse("workspace:import_upload"),
        {"file": SimpleUploadedFile("filled.xlsx", buffer.getvalue())},
    )

    job = ImportJob.objects.get()
    assert job.status == ImportJobStatus.PREVIEWED, job.errors
    assert job.preview["counts"] == [
        {"sheet": "zones", "created": 1, "updated": 0, "unchanged": 0},
        {"sheet": "milestones", "created": 1, "updated": 0, "unchanged": 0},
    ]
