"""Reads of the public change log: which zones it covers and what changed in them.

The visibility rule (public fields of published zones, no names) is the history's own,
:func:`zones.history.public_changes`; this module only chooses the zones and labels entries.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

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
