"""The zones' change history: who changed what, when, from what to what.

django-simple-history stores a row per save of a zone, utility, dispute, milestone, firm,
announced target, plot, utility request, outage report and annual return. This module reads
those rows in one query per tracked model and turns consecutive versions of each record into
readable field changes.

One visibility rule: :data:`INTERNAL_FIELDS` are officials' business (notes, dispute parties,
whether a zone is published), and :func:`hidden_fields` says which fields a viewer may not
see. The zone page's timeline shows them to officials, reviewers and administrators only
(an editor's timeline leaves them out, as the rest of the page does); the workspace's diffs
and import previews ask the same function; :func:`public_changes` (the public change log,
its feeds and digests) never shows them, keeps only published zones and names no one.
The public log also leaves out records invented for the demo (illustrative).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from heapq import merge
from itertools import takewhile
from types import SimpleNamespace

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import sees_everything
from investors.models import AnnualReturn, Firm

from .models import (
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
    ReportedTotal: frozenset(),
    AnnualReturn: frozenset(),
}


def sees_internal(user) -> bool:
    """Whether ``user`` sees internal fields: officials, reviewers and administrators (the
    zone's editors do not, on its page, in its history, in diffs and previews alike)."""
    return sees_everything(user)


def hidden_fields(model: type[models.Model], *, internal: bool) -> frozenset[str]:
    """The one visibility rule: the fields of ``model`` a viewer may not see; ``internal``
    is :func:`sees_internal` of the viewer (False for the public)."""
    return frozenset() if internal else INTERNAL_FIELDS.get(model, frozenset())


#: Records only officials see (the units' own utility requests and outage reports): the
#: evidence behind them is never public either.
OFFICIALS_ONLY_RECORDS: frozenset[type[models.Model]] = frozenset({UtilityRequest, OutageReport})


def record_type_is_public(model: type[models.Model]) -> bool:
    """Whether records of ``model`` (of a published zone) are public."""
    return model not in OFFICIALS_ONLY_RECORDS


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
    ReportedTotal: "metric",
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
    hidden = UNTRACKED | hidden_fields(model, internal=not public)
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


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def _newest_first(zone_ids, *, public: bool, internal: bool) -> Iterator[HistoryEntry]:
    """Every change to the zones ``zone_ids`` (ids or an id queryset) and their records,
    newest first: one query per tracked model. ``public``: naming no one; ``internal``:
    with the internal fields."""
    streams = []
    for model in INTERNAL_FIELDS:
        rows = model.history.filter(
            **({"id__in": zone_ids} if model is Zone else {"zone_id__in": zone_ids})
        )
        if public and _has_field(model, "is_illustrative"):
            # the public log, its feeds and digests follow real records only: a record
            # invented for the demo, its edits and its deletion never appear there
            rows = rows.filter(is_illustrative=False)
        if not public:
            rows = rows.select_related("history_user")
        rows = rows.order_by("id", "history_date", "history_id")
        entries = _entries(model, rows, _tracked_fields(model, public=not internal))
        if public:
            for entry in entries:
                entry.who = entry.reason = ""  # the public log names no one
        streams.append(sorted(entries, key=lambda e: e.when, reverse=True))
    return merge(*streams, key=lambda e: e.when, reverse=True)


def zone_history(*, zone: Zone, internal: bool, limit: int = 50) -> list[HistoryEntry]:
    """The latest ``limit`` changes to the zone and its records, newest first, naming who
    made them (9 queries: one per tracked model). ``internal``: whether the viewer sees the
    internal fields (:func:`sees_internal`); without, a change only to them is left out."""
    newest_first = _newest_first([zone.pk], public=False, internal=internal)
    return [entry for _, entry in zip(range(limit), newest_first, strict=False)]


def public_changes(
    *, zones: QuerySet[Zone], since: datetime.datetime | None = None
) -> list[HistoryEntry]:
    """Every change to a public field of the published zones among ``zones`` (a queryset)
    and of their records, newest first, from ``since`` when given (9 queries)."""
    zone_ids = zones.order_by().filter(published=True).values("id")
    entries = _newest_first(zone_ids, public=True, internal=False)
    if since is None:
        return list(entries)
    return list(takewhile(lambda entry: entry.when >= since, entries))


@contextmanager
def recorded_as(user):
    """Name ``user`` in every history record written inside the block, as the request's
    middleware does for a web request: a worker's import, or a reviewer's approval of one,
    records who made the change too."""
    context = HistoricalRecords.context
    missing = object()
    previous = getattr(context, "request", missing)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is missing:
            del context.request
        else:
            context.request = previous
