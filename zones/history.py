"""The zones' change history: who changed what, when, from what to what.

django-simple-history stores a row per save of a zone, utility, dispute, milestone, firm,
announced target, plot, utility request, outage report and annual return. This module reads
those rows in one query per tracked model and turns consecutive versions of each record into
readable field changes.

One visibility rule: :data:`INTERNAL_FIELDS` are officials' business (notes, dispute parties,
whether a zone is published). The zone page's timeline, for officials, shows them;
:func:`public_changes` (the public change log, its feeds and digests) never does, keeps only
published zones and names no one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from heapq import merge
from itertools import takewhile

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from investors.models import AnnualReturn, Firm

from .models import (
    LandDispute,
    Milestone,
    OutageReport,
    Plot,
    Target,
    UtilityConnection,
    UtilityRequest,
    Zone,
)

UNTRACKED = {"id", "created_at", "updated_at", "zone"}

#: Fields only officials see, per tracked model: never in the public change log.
INTERNAL_FIELDS: dict[type[models.Model], frozenset[str]] = {
    Zone: frozenset({"internal_notes", "published"}),
    UtilityConnection: frozenset({"notes"}),
    LandDispute: frozenset({"parties"}),
    Milestone: frozenset(),
    Firm: frozenset(),
    Target: frozenset(),
    Plot: frozenset(),
    UtilityRequest: frozenset(),
    OutageReport: frozenset(),
    AnnualReturn: frozenset(),
}


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
    #: The zone the record belongs to.
    zone_id: int | None = None
    #: The record's source URL in this version: the evidence, where it has one.
    evidence: str = ""
    #: Names this version of this record for good (feeds use it as an entry's id).
    key: str = ""


RECORD_LABEL = {
    Zone: "name",
    UtilityConnection: "kind",
    LandDispute: "reference",
    Milestone: "title",
    Firm: "name",
    Target: "metric",
    Plot: "number",
    UtilityRequest: "reference",
    OutageReport: "month",
    AnnualReturn: "year",
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


def _tracked_fields(model: type[models.Model], *, public: bool = False) -> list[models.Field]:
    """The fields whose changes the history shows; ``public``: without the internal ones."""
    history_fields = {f.attname for f in model.history.model._meta.concrete_fields}
    hidden = UNTRACKED | (INTERNAL_FIELDS[model] if public else frozenset())
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in hidden and f.attname in history_fields
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
                zone_id=row.id if model is Zone else row.zone_id,
                evidence=getattr(row, "source_url", "") or "",
                key=f"{model._meta.model_name}-{row.history_id}",
            )
        )
        previous[row.id] = row
    return entries


def _newest_first(zone_ids, *, public: bool) -> Iterator[HistoryEntry]:
    """Every change to the zones ``zone_ids`` (ids or an id queryset) and their records,
    newest first: one query per tracked model."""
    streams = []
    for model in INTERNAL_FIELDS:
        rows = model.history.filter(
            **({"id__in": zone_ids} if model is Zone else {"zone_id__in": zone_ids})
        )
        if not public:
            rows = rows.select_related("history_user")
        rows = rows.order_by("id", "history_date", "history_id")
        entries = _entries(model, rows, _tracked_fields(model, public=public))
        if public:
            for entry in entries:
                entry.who = entry.reason = ""  # the public log names no one
        streams.append(sorted(entries, key=lambda e: e.when, reverse=True))
    return merge(*streams, key=lambda e: e.when, reverse=True)


def zone_history(*, zone: Zone, limit: int = 50) -> list[HistoryEntry]:
    """The latest ``limit`` changes to the zone and its records, newest first, internal
    fields included, for officials (9 queries: one per tracked model)."""
    newest_first = _newest_first([zone.pk], public=False)
    return [entry for _, entry in zip(range(limit), newest_first, strict=False)]


def public_changes(
    *, zones: QuerySet[Zone], since: datetime.datetime | None = None
) -> list[HistoryEntry]:
    """Every change to a public field of the published zones among ``zones`` (a queryset)
    and of their records, newest first, from ``since`` when given (9 queries)."""
    zone_ids = zones.order_by().filter(published=True).values("id")
    entries = _newest_first(zone_ids, public=True)
    if since is None:
        return list(entries)
    return list(takewhile(lambda entry: entry.when >= since, entries))
