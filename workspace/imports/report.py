"""What a check (the preview) or an import (the report) did, as the JSON an import job keeps."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from zones.importer import SPECS, ImportReport, PlannedRow

PREVIEW_ROWS = 500  # created or updated rows listed on a preview or report page


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(_display(item) for item in value)
    return str(value)


def _row_json(row: PlannedRow) -> dict[str, Any]:
    spec = SPECS[row.sheet]
    return {
        "sheet": row.sheet,
        "line": row.line,
        "key": " · ".join(_display(part) for part in row.key if part != ""),
        "action": row.action,
        "changes": [
            {"column": column, "value": _display(row.values.get(spec.attribute(column)))}
            for column in row.changed
        ],
    }


def report_json(report: ImportReport) -> dict[str, Any]:
    """Counts per sheet, and the created and updated rows (the first ``PREVIEW_ROWS``)."""
    listed = [row for row in report.rows if row.action != "unchanged"]
    return {
        "counts": [{"sheet": sheet, **vars(counts)} for sheet, counts in report.counts.items()],
        "rows": [_row_json(row) for row in listed[:PREVIEW_ROWS]],
        "rows_listed": min(len(listed), PREVIEW_ROWS),
        "rows_changed": len(listed),
    }
