"""What a check (the preview) or an import (the report) did, as the JSON an import job keeps."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from zones.importer import SPECS, ImportReport, PlannedRow

PREVIEW_ROWS = 500  # created or updated rows listed on a preview or report page


def display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(display(item) for item in value)
    return str(value)


def _row_json(row: PlannedRow) -> dict[str, Any]:
    spec = SPECS[row.sheet]
    return {
        "sheet": row.sheet,
        "line": row.line,
        "key": " · ".join(display(part) for part in row.key if part != ""),
        "action": row.action,
        "changes": [
            {
                "column": column,
                "value": display(row.values.get(spec.attribute(column))),
                "was": display(row.before.get(spec.attribute(column))),
            }
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


def visible_result(result: dict[str, Any] | None, *, internal: bool) -> dict[str, Any] | None:
    """A preview or report as a viewer may see it: without the columns hidden from them
    (``zones.history.hidden_fields``)."""
    from .plan import hidden_columns

    if not result:
        return result
    rows = []
    for row in result["rows"]:
        hidden = hidden_columns(row["sheet"], internal=internal)
        changes = [change for change in row["changes"] if change["column"] not in hidden]
        rows.append({**row, "changes": changes})
    return {**result, "rows": rows}
