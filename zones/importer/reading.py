"""Reading a bundle: a folder of CSV files or one XLSX workbook, as sheets of text rows.

Every cell is read as text (XLSX cells arrive typed and are turned back into the text a CSV
would hold), so that the row forms validate one kind of input. A problem that stops a file
from being read at all is a :class:`BundleError` naming the sheet and line.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

SHEET_ORDER = (
    "zones",
    "utilities",
    "disputes",
    "milestones",
    "firms",
    "targets",
    "reported",
)
EXTRA_CELLS = "\0extra"  # marks a row with more cells than the header has columns


@dataclass(frozen=True)
class RowError:
    sheet: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}:{self.line}: {self.column}: {self.message}"


class BundleError(Exception):
    """The bundle was refused; ``errors`` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class Sheet:
    name: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, values by column)


def _cell_text(value: Any) -> str:
    """Spreadsheet cells arrive typed; the importer validates text, as from a CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _row(header: list[str], cells: list[str], *, extra: bool) -> dict[str, str]:
    """One row's cells by column name; a missing cell reads as empty."""
    row = {column: (cells[i] if i < len(cells) else "") for i, column in enumerate(header)}
    if extra:
        row[EXTRA_CELLS] = "x"
    return row


def read_bundle(path: str | Path) -> list[Sheet]:
    """Read a folder of ``<sheet>.csv`` files or one ``.xlsx`` workbook into sheets."""
    path = Path(path)
    if path.is_dir():
        return read_csv_folder(path)
    if path.suffix.lower() == ".xlsx":
        with path.open("rb") as handle:
            return read_xlsx(handle)
    if path.suffix.lower() == ".csv" and path.stem in SHEET_ORDER:
        return [read_csv(path.stem, path.read_bytes())]
    raise BundleError(
        [RowError(path.name, 0, "-", _("Expected a folder of CSV files or an .xlsx workbook."))]
    )


def read_csv_folder(folder: Path) -> list[Sheet]:
    sheets = []
    for name in SHEET_ORDER:
        file = folder / f"{name}.csv"
        if file.exists():
            sheets.append(read_csv(name, file.read_bytes()))
    if not sheets:
        raise BundleError(
            [RowError(folder.name, 0, "-", _("No sheet found: expected files such as zones.csv."))]
        )
    return sheets


def read_csv(name: str, data: bytes) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BundleError(
            [RowError(name, 1, "-", _("The file is not UTF-8 encoded (byte %d).") % exc.start)]
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [column.strip() for column in next(reader, [])]
    rows = []
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        cells = [value.strip() for value in values]
        rows.append((reader.line_num, _row(header, cells, extra=len(values) > len(header))))
    return Sheet(name, header, rows)


def read_xlsx(handle) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt file
        raise BundleError(
            [RowError("workbook", 0, "-", _("Not a readable .xlsx workbook."))]
        ) from exc
    sheets = []
    try:
        for name in SHEET_ORDER:
            if name not in workbook.sheetnames:
                continue
            rows_iter = workbook[name].iter_rows(values_only=True)
            header = [_cell_text(value) for value in next(rows_iter, ())]
            while header and not header[-1]:
                header.pop()
            rows = []
            for line, values in enumerate(rows_iter, start=2):
                texts = [_cell_text(value) for value in values]
                if not any(texts):
                    continue
                rows.append((line, _row(header, texts, extra=any(texts[len(header) :]))))
            sheets.append(Sheet(name, header, rows))
    finally:
        workbook.close()
    if not sheets:
        raise BundleError(
            [RowError("workbook", 0, "-", _("No sheet found: expected sheets such as 'zones'."))]
        )
    return sheets
