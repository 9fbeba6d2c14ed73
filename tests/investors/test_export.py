"""CSV and XLSX exports: readable labels, one row per zone, streamed, no formula injection."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import load_workbook

from investors.exports import neutralise_formula
from tests.factories import FirmFactory, UtilityFactory, ZoneFactory, make_user
from zones.vocabulary import FirmStatus

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheets then read the file as UTF-8
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def read_xlsx(response) -> tuple[list[str], list[tuple]]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    return list(rows[0]), rows[1:]


@pytest.fixture
def zone():
    zone = ZoneFactory(
        name="Dhabeji SEZ",
        slug="dhabeji",
        province__code="PK-SD",
        district="Thatta",
        status="under_development",
        cpec_priority=True,
        area_acres=Decimal("1530"),
        sectors=["steel", "textiles"],
    )
    UtilityFactory(zone=zone, kind="electricity", status="connected")
    UtilityFactory(zone=zone, kind="gas", status="at_zero_point")
    FirmFactory(zone=zone, status=FirmStatus.OPERATING, allotted_acres=Decimal("30"))
    return zone


def test_csv_has_one_row_per_zone_with_readable_labels(client, zone):
    response = client.get("/zones/export.csv")

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="zones-')
    [row] = read_csv(response)
    assert row["Zone"] == "Dhabeji SEZ"
    assert row["Province"] == "Sindh"
    assert row["Province code"] == "PK-SD"
    assert row["Status"] == "Under development"
    assert row["CPEC priority zone"] == "Yes"
    assert row["Target sectors"] == "Steel and metal fabrication; Textiles and garments"
    assert Decimal(row["Gross area (acres)"]) == 1530
    assert Decimal(row["Free land (acres)"]) == 1500
    assert row["Utilities connected"] == "Electricity"
    assert row["Readiness score (0–100)"] == ""
    assert row["Zone page"] == "http://testserver/zones/dhabeji/"


def test_xlsx_has_the_same_columns_and_numbers_as_numbers(client, zone):
    response = client.get("/zones/export.xlsx")

    assert isinstance(response, FileResponse)
    assert response["Content-Disposition"].startswith('attachment; filename="zones-')
    header, rows = read_xlsx(response)
    csv_header = list(read_csv(client.get("/zones/export.csv"))[0])
    assert header == csv_header
    [row] = rows
    values = dict(zip(header, row, strict=True))
    assert values["Zone"] == "Dhabeji SEZ"
    assert values["Status"] == "Under development"
    assert values["Gross area (acres)"] == 1530
    assert values["Free land (acres)"] == 1500


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_exports_leave_out_unpublished_zones_for_the_public(client, zone, export):
    ZoneFactory(slug="hidden", published=False)

    response = client.get(f"/zones/export.{export}")
    slugs = (
        [r["Slug"] for r in read_csv(response)]
        if export == "csv"
        else [r[1] for r in read_xlsx(response)[1]]
    )

    assert slugs == ["dhabeji"]


def test_officials_export_unpublished_zones(client, zone):
    ZoneFactory(slug="hidden", published=False)
    client.force_login(make_user("official"))

    slugs = [r["Slug"] for r in read_csv(client.get("/zones/export.csv"))]

    assert sorted(slugs) == ["dhabeji", "hidden"]


DANGEROUS = [
    '=HYPERLINK("http://evil.example","x")',
    "+SUM(1,2)",
    "-2+3",
    "@cmd",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_looks_like_a_formula_is_neutralised_in_csv(client, text):
    ZoneFactory(slug="risky", name=text, developer=text)

    [row] = read_csv(client.get("/zones/export.csv"))

    assert row["Zone"] == "'" + text
    assert row["Developer"] == "'" + text


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_looks_like_a_formula_is_neutralised_in_xlsx(client, text):
    ZoneFactory(slug="risky", name=text, developer=text)

    header, [row] = read_xlsx(client.get("/zones/export.xlsx"))
    values = dict(zip(header, row, strict=True))

    assert values["Zone"] == "'" + text
    assert values["Developer"] == "'" + text


def test_numbers_are_not_mistaken_for_formulas():
    assert neutralise_formula(Decimal("-12.5")) == Decimal("-12.5")
    assert neutralise_formula(None) is None
    assert neutralise_formula("Rashakai") == "Rashakai"


def test_negative_free_land_stays_a_number_in_xlsx(client):
    zone = ZoneFactory(slug="over", area_acres=Decimal("10"))
    FirmFactory(zone=zone, status=FirmStatus.ALLOTTED, allotted_acres=Decimal("15"))

    header, [row] = read_xlsx(client.get("/zones/export.xlsx"))

    assert dict(zip(header, row, strict=True))["Free land (acres)"] == -5


def test_export_reads_zones_in_chunks_beyond_the_first(client, monkeypatch):
    """More zones than one chunk still come out whole, each exactly once."""
    monkeypatch.setattr("investors.exports.CHUNK_SIZE", 3)
    ZoneFactory.create_batch(8, sectors=["textiles"])

    rows = read_csv(client.get("/zones/export.csv"))

    assert len({r["Slug"] for r in rows}) == len(rows) == 8
    assert all(r["Target sectors"] == "Textiles and garments" for r in rows)
