"""The spreadsheet bundle importer: CSV folders or XLSX workbooks, validated whole, applied whole.

A bundle is read into rows, every row is validated (its form, then the model's own
validation and constraints), and only when no row has an error is anything written, in
one transaction. Rows are upserted by their natural keys, and a row whose values match
the database is left alone, so importing the same bundle twice changes nothing.

The management command ``import_zones``, ``seed_demo`` and the upload page all call
:func:`import_bundle`.

- :mod:`~zones.importer.reading`: CSV files and XLSX workbooks into sheets of text rows;
- :mod:`~zones.importer.fields` and :mod:`~zones.importer.rows`: the row forms and their
  cell fields;
- :mod:`~zones.importer.specs`: each sheet's model, form, natural key and column renames;
- :mod:`~zones.importer.planning`: every row validated and compared with what is stored;
- :mod:`~zones.importer.applying`: :func:`import_bundle`, which plans and then writes.

Everything other code uses is importable from ``zones.importer`` itself. The names are
loaded when first used, so importing this package, or finding one of its modules (as the
import contracts do, without Django set up), loads no models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .applying import import_bundle
    from .fields import LIST_SEPARATOR, MAX_CELL_LENGTH, ListField, StrictBooleanField
    from .planning import ImportReport, PlannedRow, ProgressCallback, RefusedFields, SheetCounts
    from .reading import (
        SHEET_ORDER,
        BundleError,
        RowError,
        Sheet,
        read_bundle,
        read_csv,
        read_csv_folder,
        read_xlsx,
    )
    from .rows import Lookups, RowForm
    from .specs import SPECS, SheetSpec

# Each public name, by the module that defines it.
EXPORTS = {
    "import_bundle": "applying",
    "LIST_SEPARATOR": "fields",
    "MAX_CELL_LENGTH": "fields",
    "ListField": "fields",
    "StrictBooleanField": "fields",
    "ImportReport": "planning",
    "PlannedRow": "planning",
    "ProgressCallback": "planning",
    "RefusedFields": "planning",
    "SheetCounts": "planning",
    "SHEET_ORDER": "reading",
    "BundleError": "reading",
    "RowError": "reading",
    "Sheet": "reading",
    "read_bundle": "reading",
    "read_csv": "reading",
    "read_csv_folder": "reading",
    "read_xlsx": "reading",
    "Lookups": "rows",
    "RowForm": "rows",
    "SPECS": "specs",
    "SheetSpec": "specs",
}

__all__ = [
    "LIST_SEPARATOR",
    "MAX_CELL_LENGTH",
    "SHEET_ORDER",
    "SPECS",
    "BundleError",
    "ImportReport",
    "ListField",
    "Lookups",
    "PlannedRow",
    "ProgressCallback",
    "RefusedFields",
    "RowError",
    "RowForm",
    "Sheet",
    "SheetCounts",
    "SheetSpec",
    "StrictBooleanField",
    "import_bundle",
    "read_bundle",
    "read_csv",
    "read_csv_folder",
    "read_xlsx",
]


def __getattr__(name: str) -> Any:
    """``zones.importer.<name>``: the public name from its module, imported on first use."""
    if name not in EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *EXPORTS})
