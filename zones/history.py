"""The zone's change history: who changed what, when, from what to what.

django-simple-history stores a row per save of a zone, utility, dispute, milestone, firm,
plot, utility request and outage report. This module reads those rows for one zone in one
query per tracked model and turns consecutive versions of each record into readable field
changes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from heapq import merge

from django.db import models
from django.utils.translation import gettext_lazy as _

from investors.models import Firm

from .models import (
    LandDispute,
    Milestone,
    OutageReport,
    Plot,
    UtilityConnection,
    UtilityRequest,
    Zone,
)

UNTRACKED = {"id", "created_at", "updated_at", "zone"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    action: str  # created, changed, deleted
    record_type: str
    record: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


RECORD_LABEL = {
    Zone: "name",
    UtilityConnection: "kind",
    LandDispute: "reference",
    Milestone: "title",
    Firm: "name",
    Plot: "number",
    UtilityRequest: "reference",
    OutageReport: "month",
}
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def _display(model_field: models.Field, value) -> str:
    if value in (None, ""):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    return str(value)


def _tracked_fields(model: type[models.Model]) -> list[models.Field]:
    history_fields = {f.attname for f in model.history.model._meta.concrete_fields}
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in UNTRACKED and f.attname in history_fields
    ]


def _entries(model, rows, fields) -> list[HistoryEntry]:
    """Pair each version with the previous version of the same record."""
    label_field = model._meta.get_field(RECORD_LABEL[model])
    entries = []
    previous: dict[int, object] = {}
    for row in rows:  # ordered by record id, then time
        before = previous.get(row.id)
        changes = []
        if row.history_type == "~" and before is not None:
            for f in fields:
                old, new = getattr(before, f.attname), getattr(row, f.attname)
                if old != new:
                    changes.append(
                        FieldChange(str(f.verbose_name), _display(f, old), _display(f, new))
                    )
            if not changes:
                previous[row.id] = row
                continue  # a save that changed nothing we show
        user = row.history_user
        entries.append(
            HistoryEntry(
                when=row.history_date,
                who=(user.get_full_name() or user.get_username()) if user else str(_("system")),
                action=str(ACTIONS.get(row.history_type, row.history_type)),
                record_type=str(model._meta.verbose_name),
                record=_display(label_field, getattr(row, label_field.attname)),
                reason=row.history_change_reason or "",
                changes=changes,
            )
        )
        previous[row.id] = row
    return entries


def zone_history(*, zone: Zone, limit: int = 50) -> list[HistoryEntry]:
    """The latest ``limit`` changes to the zone and its records, newest first (8 queries)."""
    sources = [
        (Zone, Zone.history.filter(id=zone.pk)),
        (UtilityConnection, UtilityConnection.history.filter(zone_id=zone.pk)),
        (LandDispute, LandDispute.history.filter(zone_id=zone.pk)),
        (Milestone, Milestone.history.filter(zone_id=zone.pk)),
        (Firm, Firm.history.filter(zone_id=zone.pk)),
        (Plot, Plot.history.filter(zone_id=zone.pk)),
        (UtilityRequest, UtilityRequest.history.filter(zone_id=zone.pk)),
        (OutageReport, OutageReport.history.filter(zone_id=zone.pk)),
    ]
    streams = []
    for model, rows in sources:
        rows = rows.select_related("history_user").order_by("id", "history_date", "history_id")
        entries = _entries(model, rows, _tracked_fields(model))
        streams.append(sorted(entries, key=lambda e: e.when, reverse=True))
    newest_first = merge(*streams, key=lambda e: e.when, reverse=True)
    return [entry for _, entry in zip(range(limit), newest_first, strict=False)]
