"""The downloadable template workbook: one sheet per bundle sheet, ready to fill in and upload.

Everything comes from the importer's own sheet specifications (:data:`zones.importer.SPECS`),
so the template cannot drift from what the importer accepts: the columns in order, which
are required and which form the natural key, and drop-down lists of the allowed values of
every enumeration (the model choices, the provinces and the sectors). A ``read-me`` sheet
explains each column and a ``lists`` sheet holds the allowed values; the importer ignores
both.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from zones.importer import LIST_SEPARATOR, SHEET_ORDER, SPECS, ListField, StrictBooleanField
from zones.reference_data import PROVINCES, SECTORS

README_SHEET = "read-me"
LISTS_SHEET = "lists"
HEADER_FONT = Font(bold=True)
KEY_FILL = PatternFill("solid", fgColor="FFE8A0")
REQUIRED_FILL = PatternFill("solid", fgColor="DDEBF7")
VALIDATED_ROWS = 5000


@dataclass(frozen=True)
class Enumeration:
    title: str
    values: list[tuple[str, str]]  # (value, label)


def _enumeration_key(sheet: str, column: str) -> str:
    """Provinces and sectors are shared by several columns; other choices belong to one."""
    if column == "province":
        return "provinces"
    if column in ("sectors", "sector"):
        return "sectors"
    return f"{sheet}.{column}"


def _enumeration(sheet: str, column: str, field: forms.Field) -> Enumeration | None:
    if column == "province":
        return Enumeration(_("provinces"), [(code, _(name)) for code, name in PROVINCES])
    if column in ("sectors", "sector"):
        return Enumeration(_("sectors"), [(slug, _(name)) for slug, name in SECTORS])
    if isinstance(field, forms.ChoiceField):
        choices = [(str(value), str(label)) for value, label in field.choices if value != ""]
        return Enumeration(f"{sheet} · {column}", choices)
    return None


def _describe(column: str, field: forms.Field) -> str:
    """What a cell of the column holds, in a few words."""
    if column == "zone":
        return _("The slug of a zone, in the database or on the zones sheet.")
    if column == "milestone":  # the targets sheet's: part of the key, for completion dates
        return _("For completion dates: the code of the milestone promised.")
    if column == "firm":  # plots and utility requests name a firm of their zone
        return _("The name of a firm of the row's zone, in the database or on the firms sheet.")
    if column == "month":
        return _("A month, YYYY-MM.")
    if column == "origin_country":
        return _("A two-letter ISO 3166-1 country code, e.g. CN, PK.")
    if column == "export_markets":
        return _("Two-letter country codes separated by '%s'.") % LIST_SEPARATOR
    if column == "zones":  # a policy event's zones
        return (
            _("Zone slugs separated by '%s'; empty means every zone in the event's scope.")
            % LIST_SEPARATOR
        )
    if column == "sectors":
        return _("Sector slugs (see the lists sheet) separated by '%s'.") % LIST_SEPARATOR
    if isinstance(field, StrictBooleanField):
        default = "true" if field.default else "false"
        return _("true or false; empty means %s.") % default
    if isinstance(field, ListField):
        return _("A list separated by '%s'.") % LIST_SEPARATOR
    if isinstance(field, forms.ChoiceField) or column == "province":
        return _("One of the values on the lists sheet.")
    if isinstance(field, forms.DateField):
        return _("A date, YYYY-MM-DD.")
    if isinstance(field, forms.URLField):
        return _("A web address (the source of the figures).")
    if isinstance(field, forms.SlugField):
        return _("Lower-case letters, digits and hyphens.")
    if isinstance(field, forms.DecimalField | forms.IntegerField):
        if field.min_value is not None:
            return _("A number, at least %s.") % field.min_value
        return _("A number.")
    if getattr(field, "max_length", None):
        return _("Text, up to %d characters.") % field.max_length
    return _("Text.")


def _ordered_columns(spec) -> list[str]:
    """The key first, then the record's own columns, provenance last."""
    provenance = [column for column in ("source_url", "illustrative") if column in spec.columns]
    rest = [c for c in spec.columns if c not in spec.key and c not in provenance]
    return [*spec.key, *rest, *provenance]


def _write_lists(sheet, enumerations: dict[str, Enumeration]) -> dict[str, str]:
    """Write each enumeration as a value column and a label column; return value ranges."""
    ranges = {}
    for index, (name, enumeration) in enumerate(enumerations.items()):
        value_col = get_column_letter(2 * index + 1)
        label_col = get_column_letter(2 * index + 2)
        sheet[f"{value_col}1"] = enumeration.title
        sheet[f"{value_col}1"].font = HEADER_FONT
        sheet[f"{label_col}1"] = _("meaning")
        sheet[f"{label_col}1"].font = HEADER_FONT
        for row, (value, label) in enumerate(enumeration.values, start=2):
            sheet[f"{value_col}{row}"] = value
            sheet[f"{label_col}{row}"] = label
        sheet.column_dimensions[value_col].width = 24
        sheet.column_dimensions[label_col].width = 34
        last = len(enumeration.values) + 1
        ranges[name] = f"{quote_sheetname(LISTS_SHEET)}!${value_col}$2:${value_col}${last}"
    return ranges


def build_template_workbook() -> bytes:
    """The template as ``.xlsx`` bytes, its notes in the active language."""
    workbook = Workbook()
    readme = workbook.active
    readme.title = README_SHEET
    readme.append([_("How to fill in this workbook")])
    readme["A1"].font = Font(bold=True, size=14)
    for line in (
        _("Fill in the sheets you need and delete or leave empty the others; one row per record."),
        _(
            "Rows are matched to stored records by the key columns (yellow): a matching row "
            "updates the record, a new key creates one. Blue columns are required."
        ),
        _("A column you delete leaves that field as stored; an empty cell clears it."),
        _(
            "Dates are YYYY-MM-DD; lists are separated by '%s'; choices must be one of the "
            "values on the lists sheet."
        )
        % LIST_SEPARATOR,
        _(
            "The import is all or nothing: any bad row refuses the whole file, and every "
            "error is listed as sheet:line: column: message."
        ),
    ):
        readme.append([line])
    readme.append([])
    readme.append([_("sheet"), _("column"), _("key"), _("required"), _("what it holds")])
    for cell in readme[readme.max_row]:
        cell.font = HEADER_FONT

    enumerations: dict[str, Enumeration] = {}
    columns_by_sheet = {}
    for name in SHEET_ORDER:
        spec = SPECS[name]
        fields = spec.form.base_fields
        columns_by_sheet[name] = [(column, fields[column]) for column in _ordered_columns(spec)]
        for column, field in columns_by_sheet[name]:
            enumeration = _enumeration(name, column, field)
            if enumeration is not None:
                enumerations[_enumeration_key(name, column)] = enumeration

    data_sheets = {name: workbook.create_sheet(name) for name in SHEET_ORDER}
    ranges = _write_lists(workbook.create_sheet(LISTS_SHEET), enumerations)

    for name, sheet in data_sheets.items():
        spec = SPECS[name]
        required = set(spec.required_columns)
        sheet.append([column for column, _field in columns_by_sheet[name]])
        sheet.freeze_panes = "A2"
        for index, (column, field) in enumerate(columns_by_sheet[name], start=1):
            letter = get_column_letter(index)
            cell = sheet.cell(row=1, column=index)
            cell.font = HEADER_FONT
            if column in spec.key:
                cell.fill = KEY_FILL
            elif column in required:
                cell.fill = REQUIRED_FILL
            description = _describe(column, field)
            cell.comment = Comment(description, "template")
            sheet.column_dimensions[letter].width = max(14, len(column) + 4)
            readme.append(
                [
                    name,
                    column,
                    _("yes") if column in spec.key else "",
                    _("yes") if column in required else "",
                    description,
                ]
            )
            enumeration = _enumeration(name, column, field)
            cells = f"{letter}2:{letter}{VALIDATED_ROWS}"
            if isinstance(field, StrictBooleanField):
                validation = DataValidation(type="list", formula1='"true,false"', allow_blank=True)
            elif enumeration is not None and not isinstance(field, ListField):
                validation = DataValidation(
                    type="list", formula1=ranges[_enumeration_key(name, column)], allow_blank=True
                )
            else:
                continue
            validation.error = _("Choose one of the allowed values (see the lists sheet).")
            validation.errorTitle = _("Not an allowed value")
            validation.showErrorMessage = True
            sheet.add_data_validation(validation)
            validation.add(cells)
    readme.column_dimensions["A"].width = 14
    readme.column_dimensions["B"].width = 22
    readme.column_dimensions["E"].width = 70

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
