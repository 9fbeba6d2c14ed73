"""What the policy pages show, gathered for the views and for ``zones.page``.

- :func:`build_zone_section`: the zone page's "Policy and incentives": the incentives a new
  enterprise gets today (each with the event that set its terms, its date and source), the
  timeline of the events that apply (withdrawals marked) and the one-window clock per
  kind. Two queries whatever the zone holds.
- :func:`build_national`: ``/policy/``: the timeline of events, narrowed by level, effect
  and the finder's zone filters, and the chart of median days to decide by zone authority
  and kind. Three queries whatever the number of zones and events.

Figures count real (sourced) records only unless illustrative ones are asked for
(``zones.illustrative``); the zone page counts real records only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from dashboards.figures import RenderedChart, render
from zones.models import Zone

from . import charts, rules, selectors
from .models import Application, PolicyEvent
from .vocabulary import ApplicationKind, PolicyEffect


@dataclass(frozen=True)
class TimelineEntry:
    event: PolicyEvent
    #: Names of the zones the event names (empty: every zone in its scope).
    zone_names: list[str]

    @property
    def withdrawal(self) -> bool:
        return self.event.effect == PolicyEffect.INCENTIVE_WITHDRAWN


@dataclass(frozen=True)
class ZonePolicySection:
    incentives: list[rules.Incentive]
    timeline: list[TimelineEntry]
    clock: list[selectors.ClockRow]
    today: datetime.date
    #: Records invented for the demo, left out above (the national page shows them on request).
    illustrative_left_out: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.timeline or self.clock)


def build_zone_section(*, zone: Zone, today: datetime.date | None = None) -> ZonePolicySection:
    """The zone page's policy section (real records only; how many illustrative ones were
    left out is said): three queries."""
    today = today or timezone.localdate()
    every = list(selectors.events_for_zone(zone, include_illustrative=True))
    events = [event for event in every if not event.is_illustrative]
    incentives = rules.current_incentives((selectors.record(e) for e in events), today)
    clock = selectors.approvals_by_zone([zone.pk], today=today).get(zone.pk, [])
    invented = Application.objects.filter(zone=zone, is_illustrative=True).count()
    return ZonePolicySection(
        incentives=incentives,
        timeline=[TimelineEntry(event, []) for event in events],
        clock=clock,
        today=today,
        illustrative_left_out=invented + len(every) - len(events),
    )


@dataclass(frozen=True)
class NationalPolicyPage:
    timeline: list[TimelineEntry]
    chart: RenderedChart


def build_national(
    *,
    zones: QuerySet[Zone],
    visible_zones: QuerySet[Zone],
    zones_filtered: bool,
    levels: list[str],
    effects: list[str],
    include_illustrative: bool,
    rows_url: str,
) -> NationalPolicyPage:
    """``/policy/``: the events of the given levels and effects (any when empty), newest
    first: those applying to at least one of ``zones`` when the zones are filtered, every
    event otherwise; and the chart over ``zones``. An event names only the zones among
    ``visible_zones`` (the viewer's: an unpublished zone stays unnamed for the public).
    Three queries."""
    events = selectors.events_for_zones(
        zones if zones_filtered else None, include_illustrative=include_illustrative
    )
    if levels:
        events = events.filter(level__in=levels)
    if effects:
        events = events.filter(effect__in=effects)
    events = events.prefetch_related(
        Prefetch("zones", queryset=visible_zones.only("id", "name", "slug").order_by("name"))
    )
    timeline = [TimelineEntry(event, [zone.name for zone in event.zones.all()]) for event in events]
    clocks = selectors.approvals_by_authority(zones, include_illustrative=include_illustrative)
    medians = [
        charts.MedianRow(
            authority=clock.authority or "—",
            kind=clock.kind,
            kind_label=clock.kind_label,
            decided=clock.decided,
            median_days_to_decide=clock.median_days_to_decide,
        )
        for clock in clocks
    ]
    chart = charts.days_to_decide(
        medians, kinds=[(kind.value, str(kind.label)) for kind in ApplicationKind]
    )
    return NationalPolicyPage(timeline=timeline, chart=render(chart, rows_url=rows_url))
