"""Form fields for spreadsheet cells: strict booleans, ``;``-separated lists, and the date,
decimal and choice fields every row form uses (empty cells allowed unless required)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LIST_SEPARATOR = ";"
MAX_CELL_LENGTH = 10_000


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


class MonthField(forms.Field):
    """A month as ``YYYY-MM`` (a workbook's date on the first of the month is read too), as
    the date of its first day."""

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return None
        if len(text) == 10 and text.endswith("-01"):
            text = text[:7]
        try:
            return datetime.datetime.strptime(text, "%Y-%m").date()
        except ValueError:
            raise ValidationError(
                _("Expected a month as YYYY-MM, got '%(value)s'."), params={"value": value}
            ) from None


def date_field(**kwargs) -> forms.DateField:
    return forms.DateField(input_formats=["%Y-%m-%d"], required=False, **kwargs)


def decimal_field(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(required=False, max_digits=16, decimal_places=2, **kwargs)


def choice_field(choices, *, required=True, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, required=required, **kwargs)


def country_code_error(item: str) -> str | None:
    """Why ``item`` is not a two-letter upper-case ISO country code, or None when it is."""
    if len(item) == 2 and item.isascii() and item.isalpha() and item.isupper():
        return None
    return _("'%s' is not a two-letter upper-case ISO country code.") % item
