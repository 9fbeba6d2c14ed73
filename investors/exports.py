"""The finder's list as CSV or XLSX: one row per zone, readable labels, bounded memory.

Rows are read in one query as plain values through a server-side cursor
(``QuerySet.iterator(chunk_size=…)``); CSV is streamed as it is written, and XLSX goes row
by row through openpyxl's write-only mode into a temporary file that is then streamed. Text
that a spreadsheet would run as a formula gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zones.models import Zone
from zones.selectors import (
    BASIS_RECORDS,
    BASIS_REPORTED,
    FREE_LAND,
    FREE_LAND_BASIS,
    FREE_LAND_RECORDS,
)
from zones.vocabulary import UtilityKind, ZoneStatus

from .selectors import zone_export_rows

CHUNK_SIZE = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise_formula(value: Any) -> Any:
    """Text starting like a formula (= + - @, tab, CR) gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _xlsx_value(value: Any) -> Any:
    """A cell value XLSX can hold: numbers as floats, text without the control characters
    the format forbids (an imported name with one would otherwise break the whole export)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


Row = dict[str, Any]


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Row], Any]
    width: int = 14


def columns(*, zone_url: Callable[[str], str]) -> list[Column]:
    """The export's columns, labelled in the active language, reading
    :func:`investors.selectors.zone_export_rows` rows."""
    statuses = {value: str(label) for value, label in ZoneStatus.choices}
    kinds = {value: str(label) for value, label in UtilityKind.choices}
    yes, no = _("Yes"), _("No")
    bases = {
        BASIS_RECORDS: _("firm records"),
        BASIS_REPORTED: _("reported by the authority"),
    }

    def readiness_at(row: Row) -> str | None:
        if row["readiness_at"] is None:
            return None
        return timezone.localtime(row["readiness_at"]).strftime("%Y-%m-%d %H:%M")

    return [
        Column(_("Zone"), lambda r: r["name"], 40),
        Column(_("Slug"), lambda r: r["slug"], 24),
        # Province and sector names are stored in English and exported translated.
        Column(_("Province"), lambda r: _(r["province__name"]), 24),
        Column(_("Province code"), lambda r: r["province_id"], 10),
        Column(_("District"), lambda r: r["district"] or None, 16),
        Column(_("Status"), lambda r: statuses.get(r["status"], r["status"]), 18),
        Column(_("CPEC priority zone"), lambda r: yes if r["cpec_priority"] else no, 10),
        Column(_("Target sectors"), lambda r: "; ".join(_(n) for n in r["sector_names"] or ()), 40),
        Column(_("Gross area (acres)"), lambda r: r["area_acres"], 12),
        Column(_("Free land (acres)"), lambda r: r[FREE_LAND], 12),
        Column(_("Free land: allotment subtracted"), lambda r: bases.get(r[FREE_LAND_BASIS]), 18),
        Column(_("Free land: firm records"), lambda r: r[FREE_LAND_RECORDS], 12),
        Column(
            _("Utilities connected"),
            lambda r: "; ".join(kinds.get(k, k) for k in r["connected_kinds"] or ()),
            30,
        ),
        Column(_("Readiness score (0–100)"), lambda r: r["readiness_score"], 12),
        Column(_("Readiness computed at"), readiness_at, 18),
        Column(_("Developer"), lambda r: r["developer"] or None, 40),
        Column(_("Latitude (approximate)"), lambda r: r["latitude"], 12),
        Column(_("Longitude (approximate)"), lambda r: r["longitude"], 12),
        Column(_("Source"), lambda r: r["source_url"] or None, 40),
        Column(_("Zone page"), lambda r: zone_url(r["slug"]), 40),
    ]


def zone_rows(
    zones: QuerySet[Zone], cols: list[Column], *, include_illustrative: bool = False
) -> Iterator[list[Any]]:
    """One list of cell values per zone, read through a server-side cursor in chunks,
    formulas neutralised."""
    rows = zone_export_rows(zones, include_illustrative=include_illustrative)
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        yield [neutralise_formula(col.value(row)) for col in cols]


class _Echo:
    """A file-like object whose ``write`` hands the line back, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([neutralise_formula(h) for h in header])
    for row in rows:
        yield writer.writerow(["" if v is None else v for v in row])


def csv_response(
    zones: QuerySet[Zone],
    *,
    filename: str,
    zone_url: Callable[[str], str],
    include_illustrative: bool = False,
) -> StreamingHttpResponse:
    """Stream ``zones`` as UTF-8 CSV (with a byte-order mark, so spreadsheets read it right)."""
    cols = columns(zone_url=zone_url)
    response = StreamingHttpResponse(
        _csv_lines(
            [c.label for c in cols],
            zone_rows(zones, cols, include_illustrative=include_illustrative),
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(
    zones: QuerySet[Zone],
    *,
    filename: str,
    zone_url: Callable[[str], str],
    include_illustrative: bool = False,
) -> FileResponse:
    """Write ``zones`` to an XLSX workbook in write-only mode, then stream the file."""
    cols = columns(zone_url=zone_url)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Zones")[:31])
    sheet.freeze_panes = "B2"
    for index, col in enumerate(cols):
        sheet.column_dimensions[get_column_letter(index + 1)].width = col.width
    bold = Font(bold=True)
    header = []
    for col in cols:
        cell = WriteOnlyCell(sheet, value=neutralise_formula(col.label))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in zone_rows(zones, cols, include_illustrative=include_illustrative):
        sheet.append([_xlsx_value(v) for v in row])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_CONTENT_TYPE
    )
