"""Planning an import: every row validated (its form, then the model's own validation and
check constraints) and compared with what is stored, before anything is written.

The plan says, row by row, whether the record would be created, updated (and which columns
change) or left unchanged; :func:`zones.importer.import_bundle` applies it only when no row
has an error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from investors.models import Firm
from zones.models import Province, Sector, Zone

from .reading import EXTRA_CELLS, SHEET_ORDER, RowError, Sheet
from .rows import Lookups
from .specs import SPECS, SheetSpec

ProgressCallback = Callable[[int, int], None]
#: Which fields of a model the importing person may not set (``accounts.roles``' rule).
RefusedFields = Callable[[type[models.Model]], frozenset[str]]


@dataclass
class PlannedRow:
    sheet: str
    line: int
    key: tuple
    values: dict[str, Any]  # model attribute -> value (zone slugs still as slugs)
    action: str  # "created", "updated" or "unchanged"
    changed: list[str] = field(default_factory=list)
    #: The stored values of the row's attributes when planned (empty for a new record):
    #: what a preview's digest and a stale check compare.
    before: dict[str, Any] = field(default_factory=dict)
    #: The stored record's id (None for a new one).
    record_id: int | None = None


@dataclass
class SheetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    """What an import did (or, for a preview, would do), sheet by sheet."""

    counts: dict[str, SheetCounts]
    rows: list[PlannedRow]
    applied: bool

    @property
    def total_rows(self) -> int:
        return len(self.rows)

    def summary(self) -> str:
        parts = [
            _("%(sheet)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
            % {"sheet": sheet, **vars(counts)}
            for sheet, counts in self.counts.items()
        ]
        return "; ".join(parts) if parts else _("The bundle holds no rows.")


def _stored_value(spec: SheetSpec, column: str, value: Any) -> Any:
    """An empty cell is '' in a text column (Django's convention), the default in a choice."""
    if value not in (None, ""):
        return value
    try:
        model_field = spec.model._meta.get_field(spec.attribute(column).removesuffix("_id"))
    except FieldDoesNotExist:
        return value
    if model_field.choices and model_field.has_default():
        return model_field.get_default()
    if isinstance(model_field, models.CharField | models.TextField) and not model_field.null:
        return ""
    return value


def _q_fields(condition) -> list[str]:
    """The model fields a constraint's condition reads (``F()`` operands included)."""
    names: list[str] = []
    for child in getattr(condition, "children", []):
        if isinstance(child, tuple):
            lookup, value = child
            names.append(lookup.split("__")[0])
            if isinstance(value, models.F):
                names.append(value.name)
        else:
            names.extend(_q_fields(child))
    return list(dict.fromkeys(names))


def _constraint_columns(spec: SheetSpec, message: str) -> str:
    """Name the columns behind a violated check constraint, e.g. ``opened_on/resolved_on``."""
    for constraint in spec.model._meta.constraints:
        if str(getattr(constraint, "violation_error_message", "")) == message:
            fields = _q_fields(getattr(constraint, "condition", None))
            columns = [spec.column_of(name) for name in fields]
            if columns:
                return "/".join(columns)
    return "row"


_NO_FIRM_COLUMN = object()


def _normalise(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, list):
        return sorted(value)
    return value


class Planner:
    """Validates the sheets row by row; ``errors`` and ``rows`` hold the outcome of
    :meth:`plan`. Reads the stored records once per sheet and writes nothing."""

    def __init__(
        self,
        sheets: list[Sheet],
        zone_allowed: Callable[[str], bool] | None,
        refused_fields: RefusedFields | None = None,
    ):
        self.sheets = {sheet.name: sheet for sheet in sheets}
        self.refused_fields = refused_fields
        self.errors: list[RowError] = []
        self.rows: list[PlannedRow] = []
        zone_slugs = set(Zone.objects.values_list("slug", flat=True))
        if "zones" in self.sheets:
            zone_slugs |= {row.get("slug", "") for _line, row in self.sheets["zones"].rows}
        self.zone_ids = dict(Zone.objects.values_list("slug", "id"))
        # Firms by (zone slug, name): plots and requests name them (one query).
        slug_by_id = {zone_id: slug for slug, zone_id in self.zone_ids.items()}
        self.firm_ids = {
            (slug_by_id[zone_id], name): firm_id
            for zone_id, name, firm_id in Firm.objects.values_list("zone_id", "name", "id")
        }
        firms = set(self.firm_ids)
        if "firms" in self.sheets:
            firms |= {
                (row.get("zone", ""), row.get("name", "")) for _l, row in self.sheets["firms"].rows
            }
        self.lookups = Lookups(
            this_year=timezone.localdate().year,
            provinces=set(Province.objects.values_list("code", flat=True)),
            sectors=set(Sector.objects.values_list("slug", flat=True)),
            zone_slugs=zone_slugs,
            zone_allowed=zone_allowed,
            firms=firms,
            national=zone_allowed is None,
        )

    def plan(self, progress: ProgressCallback | None) -> None:
        total = sum(len(sheet.rows) for sheet in self.sheets.values())
        done = 0
        for name in SHEET_ORDER:
            sheet = self.sheets.get(name)
            if sheet is None:
                continue
            spec = SPECS[name]
            if not self._check_columns(spec, sheet):
                done += len(sheet.rows)
                continue
            existing = self._existing(spec)
            seen: dict[tuple, int] = {}
            for line, row in sheet.rows:
                self._plan_row(spec, sheet.columns, line, row, existing, seen)
                done += 1
                if progress and (done % 200 == 0 or done == total):
                    progress(done, total)

    def _check_columns(self, spec: SheetSpec, sheet: Sheet) -> bool:
        ok = True
        for column in sheet.columns:
            if column and column not in spec.columns:
                self.errors.append(
                    RowError(
                        spec.name,
                        1,
                        column,
                        _("Unknown column; expected one of: %s.") % ", ".join(spec.columns),
                    )
                )
                ok = False
        duplicates = {column for column in sheet.columns if sheet.columns.count(column) > 1}
        for column in sorted(duplicates):
            self.errors.append(RowError(spec.name, 1, column, _("The column appears twice.")))
            ok = False
        for column in spec.required_columns:
            if column not in sheet.columns:
                self.errors.append(RowError(spec.name, 1, column, _("Required column missing.")))
                ok = False
        return ok

    def _existing(self, spec: SheetSpec) -> dict[tuple, models.Model]:
        """Every stored record of the sheet's model, by natural key (one query)."""
        if spec.model is Zone:
            records = Zone.objects.prefetch_related("sectors")
            return {(zone.slug,): zone for zone in records}
        if "zone" not in spec.key:  # a national record (a policy event), by its own key
            records = spec.model.objects.prefetch_related(*spec.m2m)
            return {
                tuple(getattr(record, spec.attribute(c)) for c in spec.key): record
                for record in records
            }
        # A key naming the firm (returns) holds its name: read the firm with the record.
        records = spec.model.objects.select_related(
            "zone", *(["firm"] if "firm" in spec.key else [])
        )
        slug_by_id = {zone_id: slug for slug, zone_id in self.zone_ids.items()}
        result = {}
        for record in records:
            key = tuple(
                slug_by_id[record.zone_id]
                if column == "zone"
                else record.firm.name
                if column == "firm"
                else getattr(record, spec.attribute(column))
                for column in spec.key
            )
            result[key] = record
        return result

    def _plan_row(self, spec, columns, line, row, existing, seen) -> None:
        if EXTRA_CELLS in row:
            self.errors.append(RowError(spec.name, line, "-", _("More cells than columns.")))
            return
        form = spec.form(data=row, lookups=self.lookups)
        if not form.is_valid():
            for column, messages in form.errors.items():
                for message in messages:
                    self.errors.append(RowError(spec.name, line, column, message))
            return
        data = form.cleaned_data
        key = tuple(data[column] for column in spec.key)
        if key in seen:
            self.errors.append(
                RowError(
                    spec.name,
                    line,
                    spec.key[-1],
                    _("Duplicate of line %d (same natural key).") % seen[key],
                )
            )
            return
        seen[key] = line
        # A column the sheet leaves out is left as stored (or the model's default when new).
        values = {
            spec.attribute(column): _stored_value(spec, column, data[column])
            for column in columns
            if column in data
        }
        record = existing.get(key)
        action, changed, before = self._validate_model(spec, line, record, values)
        if action and not self._refused(spec, line, record, values, changed):
            record_id = None if record is None else record.pk
            self.rows.append(
                PlannedRow(spec.name, line, key, values, action, changed, before, record_id)
            )

    def _refused(self, spec, line, record, values, changed) -> bool:
        """Refuse a change to a field the importing person may not set: a changed column
        of a stored record, or a value other than the default on a new one."""
        refused = self.refused_fields(spec.model) if self.refused_fields else frozenset()
        if not refused:
            return False
        columns = []
        for column in spec.columns:
            name = spec.attribute(column).removesuffix("_id")
            if name not in refused or spec.attribute(column) not in values:
                continue
            if record is not None and column in changed:
                columns.append(column)
            elif record is None:
                model_field = spec.model._meta.get_field(name)
                default = model_field.get_default() if model_field.has_default() else None
                if values[spec.attribute(column)] not in (default, None, ""):
                    columns.append(column)
        for column in columns:
            self.errors.append(
                RowError(spec.name, line, column, _("Only an administrator may change this."))
            )
        return bool(columns)

    def _validate_model(self, spec, line, record, values) -> tuple[str | None, list[str], dict]:
        """Run the model's own validation (check constraints included) on the new values."""
        m2m = {name: values[name] for name in spec.m2m if name in values}
        plain = {name: value for name, value in values.items() if name not in m2m}
        # A firm is named in the row; the row form checked it exists in the row's zone, and
        # its id may not exist yet (a firm on the firms sheet): compare ids, validate without.
        firm_name = plain.pop("firm_id", _NO_FIRM_COLUMN)
        instance = spec.model() if record is None else record
        current_m2m = {
            name: [] if record is None else [item.slug for item in getattr(record, name).all()]
            for name in m2m
        }
        before = {name: getattr(instance, name) for name in plain}
        zone_slug = plain.get("zone_id")
        for name, value in plain.items():
            if name == "zone_id":
                value = self.zone_ids.get(value)
            setattr(instance, name, value)
        exclude = {"zone"} if "zone_id" in plain else set()
        if firm_name is not _NO_FIRM_COLUMN:
            exclude.add("firm")  # its rules between columns were checked by the row form
        if spec.model is Zone:
            exclude.add("slug")  # uniqueness is the natural key itself: an upsert
        try:
            instance.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    column = (
                        _constraint_columns(spec, message)
                        if name == NON_FIELD_ERRORS
                        else spec.column_of(name)
                    )
                    self.errors.append(RowError(spec.name, line, column, message))
            return None, [], {}
        finally:
            if record is not None:  # leave the cached record as stored
                for name, value in before.items():
                    setattr(instance, name, value)
        if zone_slug is not None:
            plain["zone_id"] = zone_slug
        if record is None:
            return "created", [], {}
        stored = {name: value for name, value in before.items() if name != "zone_id"}
        changed = [
            spec.column_of(name)
            for name, value in plain.items()
            if name != "zone_id" and _normalise(before[name]) != _normalise(value)
        ]
        if firm_name is not _NO_FIRM_COLUMN:
            firm_id = self.firm_ids.get((zone_slug, firm_name)) if firm_name else None
            if record.firm_id != firm_id or (firm_name and firm_id is None):
                changed.append("firm")
            stored["firm_id"] = self._firm_name(record.firm_id)
        changed.extend(name for name in m2m if sorted(current_m2m[name]) != sorted(m2m[name]))
        for name in m2m:
            stored[name] = sorted(current_m2m[name])
        return ("updated" if changed else "unchanged"), changed, stored

    def _firm_name(self, firm_id: int | None) -> str:
        if firm_id is None:
            return ""
        if not hasattr(self, "_firm_names"):
            self._firm_names = {pk: name for (_slug, name), pk in self.firm_ids.items()}
        return self._firm_names.get(firm_id, "")
