"""Reads of the public change log: which zones it covers and what changed in them.

The visibility rule (public fields of published zones, no names) is the history's own,
:func:`zones.history.public_changes`; this module only chooses the zones and labels entries.
Policy events that apply to the followed zones (``policy.selectors``) join them, by when
they were recorded or last changed (:func:`policy_updates`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse

from policy.models import PolicyEvent
from policy.selectors import events_for_zones
from zones.history import HistoryEntry, public_changes
from zones.models import Province, Zone


@dataclass(frozen=True)
class PublicChange:
    """One entry of the public change log, with the zone it belongs to."""

    entry: HistoryEntry
    zone_name: str
    zone_slug: str
    zone_url: str


def published_zones() -> QuerySet[Zone]:
    """The zones the public change log may cover: the published ones."""
    return Zone.objects.published()


def zone_for_feed(slug: str) -> Zone | None:
    """A published zone by its slug, or None."""
    return published_zones().select_related("province").filter(slug=slug).first()


def province_for_feed(code: str) -> Province | None:
    """A province by its ISO code, or None."""
    return Province.objects.filter(code=code).first()


def change_log(
    *, zones: QuerySet[Zone], since: datetime.datetime | None = None
) -> list[HistoryEntry]:
    """Every change to a public field of the published zones among ``zones``, newest first."""
    return public_changes(zones=zones, since=since)


def with_zones(entries: Sequence[HistoryEntry]) -> list[PublicChange]:
    """``entries`` with their zones' names and links (one query)."""
    zones = Zone.objects.only("name", "slug").in_bulk({entry.zone_id for entry in entries})
    return [
        PublicChange(
            entry=entry,
            zone_name=zones[entry.zone_id].name,
            zone_slug=zones[entry.zone_id].slug,
            zone_url=zones[entry.zone_id].get_absolute_url(),
        )
        for entry in entries
        if entry.zone_id in zones
    ]


@dataclass(frozen=True)
class PolicyUpdate:
    """A policy event applying to a followed zone, as a feed or a digest shows it."""

    event: PolicyEvent
    #: When it was recorded or last changed: what orders it among the changes.
    when: datetime.datetime
    url: str


def policy_updates(
    *, zones: QuerySet[Zone], since: datetime.datetime | None = None, limit: int | None = None
) -> list[PolicyUpdate]:
    """The sourced policy events that apply to at least one of ``zones``, recorded or
    changed after ``since``, the latest first (one query)."""
    events = events_for_zones(zones)
    if since is not None:
        events = events.filter(updated_at__gt=since)
    events = events.order_by("-updated_at", "reference")
    if limit is not None:
        events = events[:limit]
    page = reverse("policy:national")
    return [
        PolicyUpdate(event=event, when=event.updated_at, url=f"{page}#event-{event.reference}")
        for event in events
    ]
