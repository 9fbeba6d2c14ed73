"""Helpers (no tests) building spreadsheet uploads for the import tests: CSV, XLSX and .zip."""

from __future__ import annotations

import csv
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

MILESTONE_HEADER = [
    "zone", "code", "title", "weight", "responsible", "status", "baseline_date", "planned_date",
    "actual_date",
]  # fmt: skip


def milestone_row(zone: str, code: str, **values) -> list[str]:
    row = {
        "zone": zone,
        "code": code,
        "title": f"Milestone {code}",
        "weight": "1",
        "responsible": "provincial",
        "status": "not_started",
        "baseline_date": "2024-01-01",
        "planned_date": "2025-01-01",
        "actual_date": "",
        **values,
    }
    return [row[column] for column in MILESTONE_HEADER]


def milestones(*rows: list[str]) -> list[list[str]]:
    return [MILESTONE_HEADER, *rows]


def many_milestones(zone: str, count: int) -> list[list[str]]:
    return milestones(*(milestone_row(zone, f"m-{i:05d}") for i in range(count)))


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def csv_upload(sheet: str, rows: list[list[str]], *, name: str | None = None):
    return SimpleUploadedFile(name or f"{sheet}.csv", csv_bytes(rows), content_type="text/csv")


def xlsx_bytes(sheets: dict[str, list[list[str]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        worksheet = workbook.create_sheet(name)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(sheets: dict[str, list[list[str]]], *, name: str = "bundle.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(sheets))


def zip_upload(files: dict[str, bytes], *, name: str = "bundle.zip"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in files.items():
            archive.writestr(member, data)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")
