"""What an editor may change, record type by record type."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models

from investors.models import Firm
from policy.models import Application
from zones.localized import in_every_language
from zones.models import LandDispute, Milestone, UtilityConnection, Zone

from ..models import ChangeRequestKind


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

    def label(self, name: str) -> str:
        return str(self.model._meta.get_field(name).verbose_name)

    def display(self, name: str, value: Any) -> str:
        """A stored JSON value as a user reads it (choice labels, not codes)."""
        field = self.model._meta.get_field(name)
        if value in (None, ""):
            return "—"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
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
            ChangeRequestKind.APPLICATION, Application, ("decision", "decided_on", "applicant")
        ),
    )
}
