"""Policy continuity and the one-window clock (DOMAIN.md, version 3), as pure arithmetic.

- **Which events apply to a zone** (:func:`applies_to`): those naming the zone; of those
  naming none, the federal ones and the provincial ones of the zone's province.
- **The incentives a new enterprise gets today** (:func:`current_incentives`): the events
  that apply, dated today or earlier, taken in date order (then by reference). An event
  granting an incentive adds it; one changing it replaces its terms (and adds it, when it
  was never granted); one withdrawing it removes it. An incentive is known by the event's
  ``incentive`` key, else by its title. Each incentive keeps the event that set its
  current terms (its date and source) and the date it was first granted.
- **The one-window clock**, per kind (:func:`approvals`): ``decided`` = approved +
  rejected; ``median_days_to_decide`` = the median of (decided on − applied on) over those
  (a median of an even count is the mean of the middle two, so it may end in .5; one
  decimal); ``pending``; ``oldest_pending_days`` = today − the earliest application still
  pending (null when none). Withdrawn applications count nowhere. Kinds without
  applications are absent.

The selectors (``policy.selectors``) compute the clock in PostgreSQL, grouped by zone and
kind, and hand the totals to :func:`clock_figures`; the tests hold both to these functions
and to hand calculations.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from zones.plot_rules import median

from .vocabulary import DECIDED, INCENTIVE_EFFECTS, Decision, PolicyEffect, PolicyLevel


@dataclass(frozen=True)
class EventRecord:
    """A policy event as the rules need it."""

    reference: str
    date: datetime.date
    level: str
    province: str | None  # ISO code
    effect: str
    title: str
    zones: frozenset[str] = frozenset()  # slugs; empty = every zone in scope
    incentive: str = ""
    instrument: str = ""
    source_url: str = ""

    @property
    def incentive_key(self) -> str:
        return self.incentive or self.title


def applies_to(event: EventRecord, *, zone_slug: str, zone_province: str) -> bool:
    """Whether ``event`` applies to the zone ``zone_slug`` of province ``zone_province``."""
    if event.zones:
        return zone_slug in event.zones
    if event.level == PolicyLevel.FEDERAL:
        return True
    return event.province == zone_province


@dataclass(frozen=True)
class Incentive:
    """One incentive a new enterprise gets: its current terms and where they come from."""

    key: str
    #: The event that set the current terms (its title, date, instrument and source).
    event: EventRecord
    #: When it was first granted (the earliest event of the run that still stands).
    since: datetime.date

    @property
    def changed(self) -> bool:
        return self.event.effect == PolicyEffect.INCENTIVE_CHANGED


def in_date_order(events: Iterable[EventRecord]) -> list[EventRecord]:
    return sorted(events, key=lambda event: (event.date, event.reference))


def current_incentives(events: Iterable[EventRecord], today: datetime.date) -> list[Incentive]:
    """The incentives standing ``today`` after the given (applying) events, oldest first."""
    standing: dict[str, Incentive] = {}
    for event in in_date_order(events):
        if event.date > today or event.effect not in INCENTIVE_EFFECTS:
            continue
        key = event.incentive_key
        if event.effect == PolicyEffect.INCENTIVE_WITHDRAWN:
            standing.pop(key, None)
        else:
            since = standing[key].since if key in standing else event.date
            standing[key] = Incentive(key=key, event=event, since=since)
    return sorted(standing.values(), key=lambda item: (item.since, item.key))


# --- The one-window clock -------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationRecord:
    kind: str
    applied_on: datetime.date
    decided_on: datetime.date | None
    decision: str


@dataclass(frozen=True)
class ClockTotals:
    """What the selectors read per zone and kind."""

    decided: int = 0
    median_days_to_decide: Decimal | None = None
    pending: int = 0
    earliest_pending_applied_on: datetime.date | None = None


@dataclass(frozen=True)
class ClockFigures:
    decided: int
    median_days_to_decide: Decimal | None
    pending: int
    oldest_pending_days: int | None


def clock_figures(totals: ClockTotals, today: datetime.date) -> ClockFigures:
    earliest = totals.earliest_pending_applied_on
    return ClockFigures(
        decided=totals.decided,
        median_days_to_decide=totals.median_days_to_decide,
        pending=totals.pending,
        oldest_pending_days=None if earliest is None else (today - earliest).days,
    )


def approvals(
    applications: Iterable[ApplicationRecord], today: datetime.date
) -> dict[str, ClockFigures]:
    """The clock per kind, from plain records (the reference the SQL is held to)."""
    by_kind: dict[str, list[ApplicationRecord]] = {}
    for application in applications:
        by_kind.setdefault(application.kind, []).append(application)
    result = {}
    for kind, records in sorted(by_kind.items()):
        decided = [r for r in records if r.decision in DECIDED and r.decided_on is not None]
        pending = [r.applied_on for r in records if r.decision == Decision.PENDING]
        result[kind] = clock_figures(
            ClockTotals(
                decided=len(decided),
                median_days_to_decide=median((r.decided_on - r.applied_on).days for r in decided),
                pending=len(pending),
                earliest_pending_applied_on=min(pending) if pending else None,
            ),
            today,
        )
    return result
