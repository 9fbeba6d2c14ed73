"""Reading a bundle: a folder of CSV files or one XLSX workbook, as sheets of text rows.

Every cell is read as text (XLSX cells arrive typed and are turned back into the text a CSV
would hold), so that the row forms validate one kind of input. A problem that stops a file
from being read at all is a :class:`BundleError` naming the sheet and line.

A hostile file is refused in bounded time and memory, before or while it is read: a
workbook's members may not declare more than ``MAX_UNPACKED_BYTES`` unpacked (checked in the
zip directory before openpyxl opens it; Python's zipfile never inflates a member past its
declared size, so a false declaration ends in a checksum error); a sheet holds at most
``MAX_ROWS`` rows and ``MAX_COLUMNS`` columns (counted while streaming, never trusting the
sheet's declared dimension) and no cell more than ``MAX_CELL_CHARS`` characters. A damaged
file (bad checksum, malformed XML, a broken CSV line) is an error of its sheet and line.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

#: Sheets are validated and applied in this order: a plot or request names a firm before it.
SHEET_ORDER = (
    "zones", "utilities", "disputes", "milestones", "firms", "targets", "reported", "plots",
    "utility_requests", "outages", "returns", "policy_events", "applications",
)  # fmt: skip
EXTRA_CELLS = "\0extra"  # marks a row with more cells than the header has columns

#: Rows of data in one sheet (its header aside); a larger bundle is split into several files.
MAX_ROWS = 50_000
#: Columns in one sheet; the widest sheet has 13.
MAX_COLUMNS = 100
#: Characters in one cell; the longest text field (a description) is far shorter.
MAX_CELL_CHARS = 10_000
#: What a workbook's members may declare unpacked, together.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
#: The last row a workbook can have; a sheet claiming a row beyond it is damaged.
LAST_WORKBOOK_ROW = 1_048_576


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
    header, rows, errors, records = [], [], [], 0
    try:
        header = [column.strip() for column in next(reader, [])]
        _check_width(name, 1, len(header))
        errors += _long_cells(name, 1, header, header)
        for values in reader:
            records += 1
            if records > MAX_ROWS:
                raise _too_many_rows(name, reader.line_num)
            _check_width(name, reader.line_num, len(values))
            if not any(value.strip() for value in values):
                continue
            cells = [value.strip() for value in values]
            errors += _long_cells(name, reader.line_num, header, cells)
            rows.append((reader.line_num, _row(header, cells, extra=len(values) > len(header))))
    except csv.Error as exc:  # a cell past csv's own limit, or an unreadable line
        message = _(
            "A cell is longer than %(max)s characters, or a quotation mark is not closed."
        ) % {"max": _count(MAX_CELL_CHARS)}
        raise BundleError([*errors, RowError(name, reader.line_num, "-", message)]) from exc
    if errors:
        raise BundleError(errors)
    return Sheet(name, header, rows)


def _count(number: int) -> str:
    return f"{number:,}"


def _too_many_rows(name: str, line: int) -> BundleError:
    message = _("The sheet has more than %(max)s rows; split it into several files.")
    return BundleError([RowError(name, line, "-", message % {"max": _count(MAX_ROWS)})])


def _check_width(name: str, line: int, width: int) -> None:
    if width > MAX_COLUMNS:
        message = _("The line has more than %(max)s columns.")
        raise BundleError([RowError(name, line, "-", message % {"max": _count(MAX_COLUMNS)})])


def _long_cells(name: str, line: int, header: list[str], cells: list[str]) -> list[RowError]:
    """An error for each cell of a line longer than ``MAX_CELL_CHARS``."""
    message = _("The cell is longer than %(max)s characters.") % {"max": _count(MAX_CELL_CHARS)}
    return [
        RowError(name, line, header[i] if i < len(header) and header[i] else f"#{i + 1}", message)
        for i, cell in enumerate(cells)
        if len(cell) > MAX_CELL_CHARS
    ]


def _unreadable_workbook() -> BundleError:
    return BundleError([RowError("workbook", 0, "-", _("Not a readable .xlsx workbook."))])


def _check_unpacked_size(handle) -> None:
    """Refuse a workbook whose members declare more than ``MAX_UNPACKED_BYTES`` unpacked, from
    the zip directory alone (nothing is inflated)."""
    try:
        with zipfile.ZipFile(handle) as archive:
            declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable_workbook() from exc
    if declared > MAX_UNPACKED_BYTES:
        message = _(
            "The workbook is too large once unpacked (%(size)s MB; at most %(max)s MB). "
            "Split it into several files."
        )
        size = {"size": _count(declared // 2**20), "max": _count(MAX_UNPACKED_BYTES // 2**20)}
        raise BundleError([RowError("workbook", 0, "-", message % size)])
    handle.seek(0)


def read_xlsx(handle) -> list[Sheet]:
    from openpyxl import load_workbook

    _check_unpacked_size(handle)
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt file
        raise _unreadable_workbook() from exc
    sheets = []
    try:
        for name in SHEET_ORDER:
            if name in workbook.sheetnames:
                sheets.append(_read_sheet(name, workbook))
    finally:
        workbook.close()
    if not sheets:
        raise BundleError(
            [RowError("workbook", 0, "-", _("No sheet found: expected sheets such as 'zones'."))]
        )
    return sheets


def _width(texts: list[str]) -> int:
    """How many columns a row read ``MAX_COLUMNS + 1`` wide reaches (up to that)."""
    return max((i + 1 for i, text in enumerate(texts) if text), default=0)


def _read_sheet(name: str, workbook) -> Sheet:
    """One sheet, streamed: at most ``MAX_COLUMNS`` (+1, to see a wider sheet) cells of each
    row are read, rows are counted as they come, and a damaged member or malformed XML met on
    the way is an error of the line where it stopped."""
    header, rows, errors, line = [], [], [], 0  # the last line read
    try:
        worksheet = workbook[name]
        # Rows as wide as the sheet declares (no wider than one column past the limit, so a
        # wider sheet shows): without a declared size, openpyxl would make a row as wide as
        # its last cell, 16,384 columns for a cell in XFD.
        declared = getattr(worksheet, "max_column", None)
        width = declared if declared and declared <= MAX_COLUMNS else MAX_COLUMNS + 1
        rows_iter = worksheet.iter_rows(max_col=width, values_only=True)
        header = [_cell_text(value) for value in next(rows_iter, ())]
        line = 1
        _check_width(name, 1, _width(header))
        while header and not header[-1]:
            header.pop()
        errors += _long_cells(name, 1, header, header)
        for line, values in enumerate(rows_iter, start=2):
            if line > LAST_WORKBOOK_ROW:
                message = _("The sheet claims more rows than a workbook has.")
                raise BundleError([RowError(name, line, "-", message)])
            if values.count(None) == len(values):  # fast, for the padding of missing rows
                continue
            texts = [_cell_text(value) for value in values]
            if not any(texts):
                continue
            if len(rows) >= MAX_ROWS:
                raise _too_many_rows(name, line)
            _check_width(name, line, _width(texts))
            errors += _long_cells(name, line, header, texts)
            rows.append((line, _row(header, texts, extra=any(texts[len(header) :]))))
    except BundleError:
        raise
    except Exception as exc:  # a bad checksum, malformed XML, a broken stream: never a 500
        message = _("The sheet cannot be read from here on: the workbook is damaged.")
        raise BundleError([*errors, RowError(name, line + 1, "-", message)]) from exc
    if errors:
        raise BundleError(errors)
    return Sheet(name, header, rows)
