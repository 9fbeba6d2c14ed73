"""What an editor may change, record type by record type."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from investors.models import AnnualReturn, Firm
from policy.models import Application
from zones.importer.consistency import ALLOTTED_ACRES_TOLERANCE
from zones.localized import in_every_language
from zones.models import (
    LandDispute,
    Milestone,
    OutageReport,
    Plot,
    ReportedTotal,
    UtilityConnection,
    UtilityRequest,
    Zone,
)
from zones.vocabulary import PlotStatus

from ..models import ChangeRequestKind

#: A firm's fields that come from its latest annual return where it has one.
FIGURES_FROM_RETURNS = ("jobs_actual", "exports_usd")


@dataclass(frozen=True)
class Editable:
    kind: str
    model: type[models.Model]
    fields: tuple[str, ...]
    #: A rule across records the model's own validation cannot see, run on the record as the
    #: update would leave it; raises ``ValidationError``.
    check: Callable[[Any], None] | None = None

    def zone_of(self, record) -> Zone:
        """The zone whose editors and reviewers decide on the record."""
        return record if isinstance(record, Zone) else record.zone

    def values(self, record) -> dict[str, Any]:
        """The record's editable values as JSON-safe text (the form of ``base``/``proposed``);
        a related record (a plot's firm) by its id."""
        return {name: to_json(getattr(record, self.attname(name))) for name in self.fields}

    def attname(self, name: str) -> str:
        """The attribute holding a field's stored value (``firm_id`` for ``firm``)."""
        return self.model._meta.get_field(name).attname

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
        if field.is_relation:
            related = field.related_model.objects.filter(pk=value).first()
            return str(related) if related is not None else str(value)
        return str(value)


def to_json(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
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


def firm_acres_follow_plots(firm: Firm) -> None:
    """Where the firm's zone records plots, its allotted acres is the sum of its allotted
    plots (DOMAIN.md, version 2): an update to the plots changes it, never one to the firm."""
    plots = Plot.objects.filter(zone_id=firm.zone_id)
    if not plots.exists():
        return
    held = plots.filter(firm=firm, status=PlotStatus.ALLOTTED).aggregate(acres=Sum("acres"))
    held = held["acres"] or Decimal(0)
    if abs((firm.allotted_acres or Decimal(0)) - held) > ALLOTTED_ACRES_TOLERANCE:
        raise ValidationError(
            {
                "allotted_acres": _(
                    "This zone records plots: the firm's allotted acres are those of its "
                    "allotted plots (%(acres)s acres). Update the plots instead."
                )
                % {"acres": held}
            }
        )


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
            check=firm_acres_follow_plots,
        ),
        Editable(ChangeRequestKind.ZONE_TEXT, Zone, translations("name", "description")),
        # Version 2: the plot's number, land use and zone are its identity (the bundle's
        # key); an outage report's utility, month and reporter likewise.
        Editable(
            ChangeRequestKind.PLOT,
            Plot,
            (
                "status",
                "firm",
                "acres",
                "tenure",
                "price_per_acre_pkr",
                "lease_years",
                "allotted_on",
                "possession_on",
                "construction_started_on",
                "production_started_on",
            ),
        ),
        Editable(
            ChangeRequestKind.UTILITY_REQUEST,
            UtilityRequest,
            ("status", "provider", "requested_capacity", "unit", "applied_on", "connected_on"),
        ),
        Editable(ChangeRequestKind.OUTAGE, OutageReport, ("hours",)),
        # A restated total is a new statement (the import's reported sheet, or the admin);
        # an update corrects the latest statement, its history kept.
        Editable(
            ChangeRequestKind.REPORTED_TOTAL,
            ReportedTotal,
            ("value", "as_of", "reported_by", "source_url", "notes"),
        ),
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
        Editable(
            ChangeRequestKind.APPLICATION, Application, ("decision", "decided_on", "applicant")
        ),
    )
}
