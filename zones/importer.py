"""The spreadsheet bundle importer: CSV folders or XLSX workbooks, validated whole, applied whole.

A bundle is read into rows, every row is validated (its form, then the model's own
validation and constraints), and only when no row has an error is anything written, in
one transaction. Rows are upserted by their natural keys, and a row whose values match
the database is left alone, so importing the same bundle twice changes nothing.

The management command ``import_zones``, ``seed_demo`` and the upload page all call
:func:`import_bundle`.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from investors.models import Firm
from zones.vocabulary import (
    CoordinatePrecision,
    DisputeStatus,
    FirmStatus,
    MilestoneStatus,
    Ownership,
    ResponsibleLevel,
    TargetMetric,
    UtilityKind,
    UtilityStatus,
    ZoneStatus,
)

from .models import LandDispute, Milestone, Province, Sector, Target, UtilityConnection, Zone

SHEET_ORDER = ("zones", "utilities", "disputes", "milestones", "firms", "targets")
LIST_SEPARATOR = ";"
MAX_CELL_LENGTH = 10_000

ProgressCallback = Callable[[int, int], None]


# --- Reading ----------------------------------------------------------------------------------


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


EXTRA_CELLS = "\0extra"  # marks a row with more cells than the header has columns


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


# --- Row forms --------------------------------------------------------------------------------


class StrictBooleanField(forms.Field):
    """``true`` or ``false``; empty takes the column's default."""

    def __init__(self, *, default: bool, **kwargs):
        self.default = default
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        text = (value or "").strip().lower()
        if text == "":
            return self.default
        if text in ("true", "false"):
            return text == "true"
        raise ValidationError(
            _("Expected true or false, got '%(value)s'."), params={"value": value}
        )


class ListField(forms.Field):
    """A ``;``-separated list; each item checked by ``item_check`` (returns an error or None)."""

    def __init__(self, *, item_check: Callable[[str], str | None], **kwargs):
        self.item_check = item_check
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        items = [item.strip() for item in (value or "").split(LIST_SEPARATOR) if item.strip()]
        problems = [problem for item in items if (problem := self.item_check(item))]
        if problems:
            raise ValidationError(problems)
        return list(dict.fromkeys(items))


def _date_field(**kwargs) -> forms.DateField:
    return forms.DateField(input_formats=["%Y-%m-%d"], required=False, **kwargs)


def _decimal_field(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(required=False, max_digits=16, decimal_places=2, **kwargs)


def _choice_field(choices, *, required=True, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, required=required, **kwargs)


def _country_code_error(item: str) -> str | None:
    if len(item) == 2 and item.isascii() and item.isalpha() and item.isupper():
        return None
    return _("'%s' is not a two-letter upper-case ISO country code.") % item


class RowForm(forms.Form):
    source_url = forms.URLField(required=False, max_length=500, assume_scheme="https")
    illustrative = StrictBooleanField(default=False)

    def __init__(self, *args, lookups: Lookups, **kwargs):
        self.lookups = lookups
        super().__init__(*args, **kwargs)


class ZoneRow(RowForm):
    slug = forms.SlugField(max_length=100)
    name = forms.CharField(max_length=200)
    province = forms.CharField(max_length=5)
    district = forms.CharField(required=False, max_length=100)
    latitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    coordinate_precision = _choice_field(CoordinatePrecision.choices, required=False)
    area_acres = _decimal_field(min_value=0)
    developer = forms.CharField(required=False, max_length=300)
    zone_authority = forms.CharField(required=False, max_length=200)
    status = _choice_field(ZoneStatus.choices)
    cpec_priority = StrictBooleanField(default=False)
    sectors = ListField(item_check=lambda item: None)
    published = StrictBooleanField(default=True)
    description = forms.CharField(required=False, max_length=MAX_CELL_LENGTH)
    approved_on = _date_field()
    notified_on = _date_field()
    verified_on = _date_field()

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if self.lookups.zone_allowed is not None and not self.lookups.zone_allowed(slug):
            raise ValidationError(_("You may not change zone '%(slug)s'."), params={"slug": slug})
        return slug

    def clean_province(self):
        code = self.cleaned_data["province"].upper()
        if code not in self.lookups.provinces:
            raise ValidationError(
                _("Unknown province '%(code)s'; use an ISO code such as PK-PB."),
                params={"code": code},
            )
        return code

    def clean_sectors(self):
        sectors = self.cleaned_data["sectors"]
        unknown = [slug for slug in sectors if slug not in self.lookups.sectors]
        if unknown:
            raise ValidationError(
                _("Unknown sector %(slugs)s; use slugs such as textiles, food-processing."),
                params={"slugs": ", ".join(repr(slug) for slug in unknown)},
            )
        return sectors


class ZoneChildRow(RowForm):
    zone = forms.SlugField(max_length=100)

    def clean_zone(self):
        slug = self.cleaned_data["zone"]
        if slug not in self.lookups.zone_slugs:
            raise ValidationError(
                _("Unknown zone '%(slug)s': not in the database nor in the zones sheet."),
                params={"slug": slug},
            )
        if self.lookups.zone_allowed is not None and not self.lookups.zone_allowed(slug):
            raise ValidationError(_("You may not change zone '%(slug)s'."), params={"slug": slug})
        return slug


class UtilityRow(ZoneChildRow):
    kind = _choice_field(UtilityKind.choices)
    status = _choice_field(UtilityStatus.choices)
    required_capacity = _decimal_field(min_value=0)
    available_capacity = _decimal_field(min_value=0)
    unit = forms.CharField(required=False, max_length=20)
    provider = forms.CharField(required=False, max_length=200)
    target_date = _date_field()
    notes = forms.CharField(required=False, max_length=MAX_CELL_LENGTH)


class DisputeRow(ZoneChildRow):
    reference = forms.CharField(max_length=100)
    affected_acres = _decimal_field(min_value=0)
    forum = forms.CharField(required=False, max_length=200)
    status = _choice_field(DisputeStatus.choices)
    opened_on = _date_field()
    resolved_on = _date_field()
    parties = forms.CharField(required=False, max_length=MAX_CELL_LENGTH)
    description = forms.CharField(required=False, max_length=MAX_CELL_LENGTH)


class MilestoneRow(ZoneChildRow):
    code = forms.SlugField(max_length=60)
    title = forms.CharField(max_length=200)
    weight = forms.DecimalField(required=False, max_digits=6, decimal_places=2)
    responsible = _choice_field(ResponsibleLevel.choices)
    status = _choice_field(MilestoneStatus.choices)
    baseline_date = _date_field()
    planned_date = _date_field()
    actual_date = _date_field()

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        return Decimal("1") if weight is None else weight


class FirmRow(ZoneChildRow):
    name = forms.CharField(max_length=200)
    sector = forms.CharField(required=False, max_length=50)
    origin_country = forms.CharField(max_length=2)
    ownership = _choice_field(Ownership.choices)
    status = _choice_field(FirmStatus.choices)
    allotted_acres = _decimal_field(min_value=0)
    allotted_on = _date_field()
    investment_usd = _decimal_field(min_value=0)
    jobs_planned = forms.IntegerField(required=False, min_value=0)
    jobs_actual = forms.IntegerField(required=False, min_value=0)
    exports_usd = _decimal_field(min_value=0)
    export_markets = ListField(item_check=_country_code_error)

    def clean_sector(self):
        slug = self.cleaned_data["sector"]
        if slug and slug not in self.lookups.sectors:
            raise ValidationError(_("Unknown sector '%(slug)s'."), params={"slug": slug})
        return slug or None

    def clean_origin_country(self):
        code = self.cleaned_data["origin_country"]
        if problem := _country_code_error(code):
            raise ValidationError(problem)
        return code


class TargetRow(ZoneChildRow):
    metric = _choice_field(TargetMetric.choices)
    announced_on = forms.DateField(input_formats=["%Y-%m-%d"])
    value = _decimal_field(min_value=0)
    target_date = _date_field()
    announced_by = forms.CharField(required=False, max_length=200)
    source_url = forms.URLField(max_length=500, assume_scheme="https")
    milestone = forms.SlugField(required=False, max_length=60)
    notes = forms.CharField(required=False, max_length=MAX_CELL_LENGTH)
    illustrative = None  # targets are announcements: always sourced, never invented

    def clean(self):
        """A quantity target needs its value; a completion date, the date and the milestone
        promised (otherwise it cannot be held against what was delivered)."""
        data = super().clean()
        metric = data.get("metric")
        if metric == TargetMetric.COMPLETION_DATE:
            if not data.get("target_date") and "target_date" not in self.errors:
                self.add_error(
                    "target_date", _("A completion-date target needs the date promised.")
                )
            if not data.get("milestone") and "milestone" not in self.errors:
                self.add_error(
                    "milestone", _("Name the milestone (its code) whose completion was promised.")
                )
        elif metric and data.get("value") is None and "value" not in self.errors:
            self.add_error("value", _("This target needs the value promised."))
        return data


# --- Sheet specifications --------------------------------------------------------------------


@dataclass(frozen=True)
class SheetSpec:
    name: str
    model: type[models.Model]
    form: type[RowForm]
    key: tuple[str, ...]  # natural key, as column names
    renames: dict[str, str] = field(default_factory=dict)  # column -> model attribute

    @property
    def columns(self) -> list[str]:
        return list(self.form.base_fields)

    @property
    def required_columns(self) -> list[str]:
        return [name for name, f in self.form.base_fields.items() if f.required]

    def attribute(self, column: str) -> str:
        return self.renames.get(column, column)


CHILD_RENAMES = {"zone": "zone_id", "illustrative": "is_illustrative"}

SPECS: dict[str, SheetSpec] = {
    spec.name: spec
    for spec in (
        SheetSpec(
            "zones",
            Zone,
            ZoneRow,
            ("slug",),
            {"province": "province_id", "illustrative": "is_illustrative"},
        ),
        SheetSpec("utilities", UtilityConnection, UtilityRow, ("zone", "kind"), CHILD_RENAMES),
        SheetSpec("disputes", LandDispute, DisputeRow, ("zone", "reference"), CHILD_RENAMES),
        SheetSpec("milestones", Milestone, MilestoneRow, ("zone", "code"), CHILD_RENAMES),
        SheetSpec(
            "firms",
            Firm,
            FirmRow,
            ("zone", "name"),
            {**CHILD_RENAMES, "sector": "sector_id"},
        ),
        SheetSpec(
            "targets",
            Target,
            TargetRow,
            ("zone", "metric", "announced_on"),
            {"zone": "zone_id", "milestone": "milestone_code"},
        ),
    )
}


@dataclass
class Lookups:
    provinces: set[str]
    sectors: set[str]
    zone_slugs: set[str]
    zone_allowed: Callable[[str], bool] | None = None


# --- Planning and applying -------------------------------------------------------------------


@dataclass
class PlannedRow:
    sheet: str
    line: int
    key: tuple
    values: dict[str, Any]  # model attribute -> value (zone slugs still as slugs)
    action: str  # "created", "updated" or "unchanged"
    changed: list[str] = field(default_factory=list)


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
            columns = [_Planner._column(spec, name) for name in fields]
            if columns:
                return "/".join(columns)
    return "row"


def _normalise(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, list):
        return sorted(value)
    return value


class _Planner:
    def __init__(self, sheets: list[Sheet], zone_allowed: Callable[[str], bool] | None):
        self.sheets = {sheet.name: sheet for sheet in sheets}
        self.errors: list[RowError] = []
        self.rows: list[PlannedRow] = []
        zone_slugs = set(Zone.objects.values_list("slug", flat=True))
        if "zones" in self.sheets:
            zone_slugs |= {row.get("slug", "") for _line, row in self.sheets["zones"].rows}
        self.lookups = Lookups(
            provinces=set(Province.objects.values_list("code", flat=True)),
            sectors=set(Sector.objects.values_list("slug", flat=True)),
            zone_slugs=zone_slugs,
            zone_allowed=zone_allowed,
        )
        self.zone_ids = dict(Zone.objects.values_list("slug", "id"))

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
        records = spec.model.objects.select_related("zone")
        slug_by_id = {zone_id: slug for slug, zone_id in self.zone_ids.items()}
        result = {}
        for record in records:
            key = tuple(
                slug_by_id[record.zone_id] if column == "zone" else getattr(record, column)
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
        action, changed = self._validate_model(spec, line, record, values)
        if action:
            self.rows.append(PlannedRow(spec.name, line, key, values, action, changed))

    def _validate_model(self, spec, line, record, values) -> tuple[str | None, list[str]]:
        """Run the model's own validation (check constraints included) on the new values."""
        m2m = {"sectors": values["sectors"]} if "sectors" in values else {}
        plain = {name: value for name, value in values.items() if name not in m2m}
        instance = spec.model() if record is None else record
        if spec.model is Zone:
            current_sectors = [] if record is None else [s.slug for s in record.sectors.all()]
        before = {name: getattr(instance, name) for name in plain}
        zone_slug = plain.get("zone_id")
        for name, value in plain.items():
            if name == "zone_id":
                value = self.zone_ids.get(value)
            setattr(instance, name, value)
        exclude = {"zone"} if "zone_id" in plain else set()
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
                        else self._column(spec, name)
                    )
                    self.errors.append(RowError(spec.name, line, column, message))
            return None, []
        finally:
            if record is not None:  # leave the cached record as stored
                for name, value in before.items():
                    setattr(instance, name, value)
        if zone_slug is not None:
            plain["zone_id"] = zone_slug
        if record is None:
            return "created", []
        changed = [
            self._column(spec, name)
            for name, value in plain.items()
            if name != "zone_id" and _normalise(before[name]) != _normalise(value)
        ]
        if m2m and sorted(current_sectors) != sorted(m2m["sectors"]):
            changed.append("sectors")
        return ("updated" if changed else "unchanged"), changed

    @staticmethod
    def _column(spec: SheetSpec, attribute: str) -> str:
        for column in spec.columns:
            if spec.attribute(column) in (attribute, f"{attribute}_id"):
                return column
        return attribute


def _apply(rows: Iterable[PlannedRow], progress: ProgressCallback | None, total: int) -> None:
    zone_ids = dict(Zone.objects.values_list("slug", "id"))
    done = 0
    for planned in rows:
        done += 1
        if planned.action == "unchanged":
            continue
        spec = SPECS[planned.sheet]
        values = dict(planned.values)
        sectors = values.pop("sectors", None)
        if "zone_id" in values:
            values["zone_id"] = zone_ids[values["zone_id"]]
        lookup = dict(zip((spec.attribute(c) for c in spec.key), planned.key, strict=True))
        if "zone_id" in lookup:
            lookup["zone_id"] = zone_ids[lookup["zone_id"]]
        record, _created = spec.model.objects.update_or_create(**lookup, defaults=values)
        if spec.model is Zone:
            zone_ids[record.slug] = record.id
            if sectors is not None:
                record.sectors.set(sectors)
        if progress and (done % 200 == 0 or done == total):
            progress(done, total)


def import_bundle(
    sheets: list[Sheet],
    *,
    dry_run: bool = False,
    zone_allowed: Callable[[str], bool] | None = None,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Validate every row of the bundle, then apply it all in one transaction (or nothing).

    Raises :class:`BundleError` listing every problem when any row is bad. With
    ``dry_run`` nothing is written and the report says what would happen.
    ``zone_allowed`` limits which zones the rows may touch (an editor's scope).
    """
    with transaction.atomic():
        planner = _Planner(sheets, zone_allowed)
        planner.plan(progress=None if progress is None else lambda d, t: progress(d, 2 * t))
        if planner.errors:
            raise BundleError(planner.errors)
        counts: dict[str, SheetCounts] = {}
        for planned in planner.rows:
            sheet_counts = counts.setdefault(planned.sheet, SheetCounts())
            setattr(sheet_counts, planned.action, getattr(sheet_counts, planned.action) + 1)
        report = ImportReport(counts=counts, rows=planner.rows, applied=not dry_run)
        if not dry_run:
            total = len(planner.rows)
            _apply(
                planner.rows,
                None if progress is None else lambda d, t: progress(t + d, 2 * t),
                total,
            )
    return report
