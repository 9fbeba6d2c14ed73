"""The sheets of a bundle: for each, its model, its row form, its natural key and how its
columns map onto the model's attributes. The template workbook is built from these too."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from investors.models import AnnualReturn, Firm
from policy.models import Application, PolicyEvent
from zones.models import (
    LandDispute,
    Milestone,
    OutageReport,
    Plot,
    ReportedTotal,
    Target,
    UtilityConnection,
    UtilityRequest,
    Zone,
)

from .rows import (
    ApplicationRow,
    DisputeRow,
    FirmRow,
    MilestoneRow,
    OutageRow,
    PlotRow,
    PolicyEventRow,
    ReportedRow,
    ReturnRow,
    RowForm,
    TargetRow,
    UtilityRequestRow,
    UtilityRow,
    ZoneRow,
)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    model: type[models.Model]
    form: type[RowForm]
    key: tuple[str, ...]  # natural key, as column names
    renames: dict[str, str] = field(default_factory=dict)  # column -> model attribute
    #: Many-to-many columns (lists of slugs): sectors of a zone, zones of a policy event.
    m2m: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return list(self.form.base_fields)

    @property
    def required_columns(self) -> list[str]:
        return [name for name, f in self.form.base_fields.items() if f.required]

    def attribute(self, column: str) -> str:
        return self.renames.get(column, column)

    def column_of(self, attribute: str) -> str:
        """The column behind a model attribute (``zone`` for ``zone_id`` or ``zone``)."""
        for column in self.columns:
            if self.attribute(column) in (attribute, f"{attribute}_id"):
                return column
        return attribute


CHILD_RENAMES = {"zone": "zone_id", "illustrative": "is_illustrative"}
# The bundle's text columns are the English source (zones/translation.py): written to the
# `_en` column whatever language the importing page speaks.
ZONE_TEXT = {"name": "name_en", "description": "description_en"}

#: The firm is named (its name in the row's zone) and stored by id.
FIRM_RENAMES = {**CHILD_RENAMES, "firm": "firm_id"}

SPECS: dict[str, SheetSpec] = {
    spec.name: spec
    for spec in (
        SheetSpec(
            "zones",
            Zone,
            ZoneRow,
            ("slug",),
            {"province": "province_id", "illustrative": "is_illustrative", **ZONE_TEXT},
            m2m=("sectors",),
        ),
        SheetSpec("utilities", UtilityConnection, UtilityRow, ("zone", "kind"), CHILD_RENAMES),
        SheetSpec(
            "disputes",
            LandDispute,
            DisputeRow,
            ("zone", "reference"),
            {**CHILD_RENAMES, "description": "description_en"},
        ),
        SheetSpec(
            "milestones",
            Milestone,
            MilestoneRow,
            ("zone", "code"),
            {**CHILD_RENAMES, "title": "title_en"},
        ),
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
            ("zone", "metric", "milestone", "announced_on"),  # milestone '' unless a date
            {"zone": "zone_id", "milestone": "milestone_code", "notes": "notes_en"},
        ),
        SheetSpec("plots", Plot, PlotRow, ("zone", "number"), FIRM_RENAMES),
        SheetSpec(
            "utility_requests",
            UtilityRequest,
            UtilityRequestRow,
            ("zone", "reference"),
            FIRM_RENAMES,
        ),
        SheetSpec(
            "outages",
            OutageReport,
            OutageRow,
            ("zone", "kind", "month", "reported_by"),
            CHILD_RENAMES,
        ),
        SheetSpec(
            "reported",
            ReportedTotal,
            ReportedRow,
            ("zone", "metric", "as_of"),
            {"zone": "zone_id"},
        ),
        SheetSpec("returns", AnnualReturn, ReturnRow, ("zone", "firm", "year"), FIRM_RENAMES),
        SheetSpec(
            "policy_events",
            PolicyEvent,
            PolicyEventRow,
            ("reference",),
            {"province": "province_id", "illustrative": "is_illustrative"},
            m2m=("zones",),
        ),
        SheetSpec(
            "applications", Application, ApplicationRow, ("zone", "reference"), CHILD_RENAMES
        ),
    )
}
