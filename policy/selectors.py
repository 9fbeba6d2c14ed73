"""Reads for policy events and the one-window clock: set-based, a fixed number of queries
whatever the number of zones or events. The arithmetic is ``policy.rules``'."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from zones.models import Zone, counted_q
from zones.plot_selectors import Median, days_between

from . import rules
from .models import Application, PolicyEvent
from .vocabulary import DECIDED, FILTERED_KIND, ApplicationKind, Decision, PolicyLevel

NAMED = PolicyEvent.zones.through


def applying_to_zones_q(zones: QuerySet[Zone]) -> Q:
    """Events that apply to at least one of ``zones``: naming one of them, or naming none and
    federal, or naming none and of one of their provinces (subqueries, no join)."""
    named = NAMED.objects.filter(zone__in=zones.order_by().values("pk"))
    names_any = NAMED.objects.values("policyevent_id")
    return Q(pk__in=named.values("policyevent_id")) | (
        ~Q(pk__in=names_any)
        & (
            Q(level=PolicyLevel.FEDERAL)
            | Q(
                level=PolicyLevel.PROVINCIAL,
                province__in=zones.order_by().values("province_id"),
            )
        )
    )


def events_for_zone(zone: Zone, *, include_illustrative: bool = False) -> QuerySet[PolicyEvent]:
    """The events that apply to ``zone``, newest first (one query)."""
    return (
        PolicyEvent.objects.filter(applying_to_zones_q(Zone.objects.filter(pk=zone.pk)))
        .filter(counted_q(include_illustrative=include_illustrative))
        .select_related("province")
        .order_by("-date", "reference")
    )


def events_for_zones(
    zones: QuerySet[Zone] | None = None, *, include_illustrative: bool = False
) -> QuerySet[PolicyEvent]:
    """Events applying to any of ``zones`` (every event when None), newest first."""
    events = PolicyEvent.objects.filter(counted_q(include_illustrative=include_illustrative))
    if zones is not None:
        events = events.filter(applying_to_zones_q(zones))
    return events.select_related("province").order_by("-date", "reference")


def record(event: PolicyEvent, zone_slugs: Iterable[str] = ()) -> rules.EventRecord:
    return rules.EventRecord(
        reference=event.reference,
        date=event.date,
        level=event.level,
        province=event.province.code if event.province_id else None,
        effect=event.effect,
        title=event.title,
        zones=frozenset(zone_slugs),
        incentive=event.incentive,
        instrument=event.instrument,
        source_url=event.source_url,
    )


# --- The one-window clock ---------------------------------------------------------------------


@dataclass(frozen=True)
class ClockRow:
    kind: str
    figures: rules.ClockFigures

    @property
    def label(self) -> str:
        return str(ApplicationKind(self.kind).label)


DECIDED_Q = Q(decision__in=DECIDED, decided_on__isnull=False)
PENDING_Q = Q(decision=Decision.PENDING)


def _totals(row: dict) -> rules.ClockTotals:
    median = row["median_days_to_decide"]
    return rules.ClockTotals(
        decided=row["decided"],
        median_days_to_decide=None if median is None else rules.median([median]),
        pending=row["pending"],
        earliest_pending_applied_on=row["earliest_pending_applied_on"],
    )


def _clock_annotations() -> dict:
    return {
        "decided": Count("id", filter=DECIDED_Q),
        "median_days_to_decide": Median(days_between("decided_on", "applied_on"), filter=DECIDED_Q),
        "pending": Count("id", filter=PENDING_Q),
        "earliest_pending_applied_on": Min("applied_on", filter=PENDING_Q),
    }


def approvals_by_zone(
    zone_ids: Iterable[int],
    *,
    include_illustrative: bool = False,
    today: datetime.date | None = None,
) -> dict[int, list[ClockRow]]:
    """Each zone's clock per kind (kinds without applications absent): one grouped query."""
    today = today or timezone.localdate()
    rows = (
        Application.objects.filter(zone_id__in=list(zone_ids))
        .filter(counted_q(include_illustrative=include_illustrative))
        .values("zone_id", "kind")
        .annotate(**_clock_annotations())
        .order_by("zone_id", "kind")
    )
    result: dict[int, list[ClockRow]] = {}
    for row in rows:
        result.setdefault(row["zone_id"], []).append(
            ClockRow(row["kind"], rules.clock_figures(_totals(row), today))
        )
    return result


@dataclass(frozen=True)
class AuthorityClock:
    """The median days to decide of one zone authority and kind (the national chart)."""

    authority: str
    kind: str
    decided: int
    median_days_to_decide: float | None

    @property
    def kind_label(self) -> str:
        return str(ApplicationKind(self.kind).label)


def approvals_by_authority(
    zones: QuerySet[Zone], *, include_illustrative: bool = False
) -> list[AuthorityClock]:
    """Median days to decide per zone authority and kind, over ``zones``: one query. Zones
    without an authority are grouped under their own empty name (labelled by the page)."""
    rows = (
        Application.objects.filter(zone__in=zones.order_by().values("pk"), decision__in=DECIDED)
        .filter(counted_q(include_illustrative=include_illustrative))
        .values("zone__zone_authority", "kind")
        .annotate(
            decided=Count("id", filter=DECIDED_Q),
            median_days_to_decide=Median(
                days_between("decided_on", "applied_on"), filter=DECIDED_Q
            ),
        )
        .order_by("zone__zone_authority", "kind")
    )
    return [
        AuthorityClock(
            authority=row["zone__zone_authority"],
            kind=row["kind"],
            decided=row["decided"],
            median_days_to_decide=(
                None
                if row["median_days_to_decide"] is None
                else float(rules.median([row["median_days_to_decide"]]))
            ),
        )
        for row in rows
    ]


def zones_deciding_within(days, *, include_illustrative: bool = False) -> QuerySet:
    """Ids of the zones whose median days to decide enterprise status is at most ``days``
    (zones without a decided enterprise-status application are left out): a subquery."""
    return (
        Application.objects.filter(kind=FILTERED_KIND)
        .filter(DECIDED_Q)
        .filter(counted_q(include_illustrative=include_illustrative))
        .values("zone_id")
        .annotate(median=Median(days_between("decided_on", "applied_on")))
        .filter(median__lte=days)
        .values("zone_id")
    )
