"""What an editor may change, record type by record type."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Max
from django.utils.translation import gettext as _

from investors.models import AnnualReturn, Firm
from zones.localized import in_every_language
from zones.models import LandDispute, Milestone, UtilityConnection, Zone

from ..models import ChangeRequestKind

#: A firm's fields that come from its latest annual return where it has one.
FIGURES_FROM_RETURNS = ("jobs_actual", "exports_usd")


@dataclass(frozen=True)
class Editable:
    kind: str
    model: type[models.Model]
    fields: tuple[str, ...]

    def zone_of(self, record) -> Zone:
        """The zone whose editors and reviewers decide on the record."""
        return record if isinstance(record, Zone) else record.zone

    def values(self, record) -> dict[str, Any]:
        """The record's editable values as JSON-safe text (the form of ``base``/``proposed``)."""
        return {name: to_json(getattr(record, name)) for name in self.fields}

    def locked(self, record) -> dict[str, str]:
        """Fields the record takes from elsewhere, each with the reason: a firm with annual
        returns takes its jobs and exports from its latest return (a database trigger), so an
        editor updates the return instead."""
        if self.model is not Firm or record.pk is None:
            return {}
        year = record.annual_returns.aggregate(latest=Max("year"))["latest"]
        if year is None:
            return {}
        reason = _("From the firm's %(year)s annual return: update that return instead.") % {
            "year": year
        }
        return {name: reason for name in FIGURES_FROM_RETURNS if name in self.fields}

    def label(self, name: str) -> str:
        return str(self.model._meta.get_field(name).verbose_name)

    def display(self, name: str, value: Any) -> str:
        """A stored JSON value as a user reads it (choice labels, not codes)."""
        field = self.model._meta.get_field(name)
        if value in (None, ""):
            return "—"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, list):
            return ", ".join(map(str, value)) or "—"
        return str(value)


def to_json(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def from_json(model: type[models.Model], name: str, value: Any) -> Any:
    return model._meta.get_field(name).to_python(value)


def translations(*fields: str) -> tuple[str, ...]:
    """The translation columns of ``fields`` (English, the source, is not among them: it
    comes from the bundle and the admin)."""
    return tuple(column for field in fields for column in in_every_language(field)[1:])


EDITABLE: dict[str, Editable] = {
    item.kind: item
    for item in (
        Editable(
            ChangeRequestKind.MILESTONE,
            Milestone,
            ("status", "planned_date", "actual_date", *translations("title")),
        ),
        Editable(
            ChangeRequestKind.UTILITY,
            UtilityConnection,
            ("status", "required_capacity", "available_capacity", "target_date"),
        ),
        Editable(
            ChangeRequestKind.DISPUTE,
            LandDispute,
            ("status", "affected_acres", "forum", "resolved_on", *translations("description")),
        ),
        Editable(
            ChangeRequestKind.FIRM,
            Firm,
            ("status", "allotted_acres", "investment_usd", "jobs_actual", "exports_usd"),
        ),
        Editable(ChangeRequestKind.ZONE_TEXT, Zone, translations("name", "description")),
        Editable(
            ChangeRequestKind.ANNUAL_RETURN,
            AnnualReturn,
            (
                "employees",
                "employees_local",
                "employees_women",
                "employees_trained",
                "exports_usd",
                "export_markets",
                "domestic_sales_usd",
                "imports_usd",
                "local_inputs_share",
                "investment_to_date_usd",
            ),
        ),
    )
}
