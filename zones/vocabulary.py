"""The project's vocabulary: every enumeration and every status rule, written once.

Models take their choices from here, the pure rules (readiness, delivery) and the chart
builders their status sets, selectors their filters and the triggers their SQL ``IN`` lists
(``sql_in``). Nothing here touches the database: Django's ``TextChoices`` are plain enums
with translatable labels (import-linter allows ``django.db.models.enums`` and nothing else
of ``django.db`` in pure modules; see ``docs/architecture.md``).

The rules, as ``DOMAIN.md`` states them:

- a firm **holds land** when it is allotted, under construction or operating
  (``LAND_HOLDING_FIRM_STATUSES``): occupancy, free land, delivered jobs and the allotment
  triggers all count these firms;
- a dispute is **open** while it is open, in court or in mediation
  (``OPEN_DISPUTE_STATUSES``): the land component and the dashboards count these;
- a milestone is **overdue** when it is neither done nor cancelled
  (``CLOSED_MILESTONE_STATUSES``) and its planned date is in the past;
- a firm is **allotted but idle** when it has been allotted for more than
  ``IDLE_AFTER_DAYS`` days with no construction or operation;
- a target **names a milestone** only when it promises a completion date
  (``target_names_milestone``): the milestone is part of its natural key, empty otherwise.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable

from django.db.models.enums import TextChoices
from django.utils.translation import gettext_lazy as _

# --- Zones ---------------------------------------------------------------------------------


class ZoneStatus(TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    NOTIFIED = "notified", _("Notified")
    UNDER_DEVELOPMENT = "under_development", _("Under development")
    OPERATIONAL = "operational", _("Operational")
    STALLED = "stalled", _("Stalled")


class CoordinatePrecision(TextChoices):
    EXACT = "exact", _("Exact")
    APPROXIMATE = "approximate", _("Approximate")


# --- Utilities -----------------------------------------------------------------------------


class UtilityKind(TextChoices):
    ELECTRICITY = "electricity", _("Electricity")
    GAS = "gas", _("Gas")
    WATER = "water", _("Water")
    ROAD = "road", _("Road")
    TELECOM = "telecom", _("Telecom")
    RAIL = "rail", _("Rail")
    SEWERAGE = "sewerage", _("Sewerage")


class UtilityStatus(TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    PLANNED = "planned", _("Planned")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    AT_ZERO_POINT = "at_zero_point", _("Delivered to zero point")
    CONNECTED = "connected", _("Connected inside the zone")


#: The four kinds the readiness score reads, in the order pages show them.
CORE_UTILITY_KINDS: tuple[str, ...] = (
    UtilityKind.ELECTRICITY.value,
    UtilityKind.GAS.value,
    UtilityKind.WATER.value,
    UtilityKind.ROAD.value,
)

# --- Land disputes -------------------------------------------------------------------------


class DisputeStatus(TextChoices):
    OPEN = "open", _("Open")
    IN_COURT = "in_court", _("In court")
    IN_MEDIATION = "in_mediation", _("In mediation")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


#: A dispute in one of these statuses still holds its acres.
OPEN_DISPUTE_STATUSES: tuple[str, ...] = (
    DisputeStatus.OPEN.value,
    DisputeStatus.IN_COURT.value,
    DisputeStatus.IN_MEDIATION.value,
)

# --- Milestones ----------------------------------------------------------------------------


class ResponsibleLevel(TextChoices):
    FEDERAL = "federal", _("Federal")
    PROVINCIAL = "provincial", _("Provincial")
    DEVELOPER = "developer", _("Developer")


class MilestoneStatus(TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    BLOCKED = "blocked", _("Blocked")
    CANCELLED = "cancelled", _("Cancelled")


#: A milestone in one of these statuses can no longer be overdue.
CLOSED_MILESTONE_STATUSES: tuple[str, ...] = (
    MilestoneStatus.DONE.value,
    MilestoneStatus.CANCELLED.value,
)

# --- Firms ---------------------------------------------------------------------------------


class Ownership(TextChoices):
    DOMESTIC = "domestic", _("Domestic")
    FOREIGN = "foreign", _("Foreign")
    JOINT_VENTURE = "joint_venture", _("Joint venture")


class FirmStatus(TextChoices):
    INTERESTED = "interested", _("Interested")
    ALLOTTED = "allotted", _("Allotted")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    OPERATING = "operating", _("Operating")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: A firm in one of these statuses holds its allotted acres.
LAND_HOLDING_FIRM_STATUSES: tuple[str, ...] = (
    FirmStatus.ALLOTTED.value,
    FirmStatus.UNDER_CONSTRUCTION.value,
    FirmStatus.OPERATING.value,
)

#: An allotted firm with no construction or operation for longer than this is idle.
IDLE_AFTER_DAYS = 365


class OriginGroup(TextChoices):
    """How charts group firms by origin."""

    CHINESE = "chinese", _("Chinese")
    PAKISTANI = "pakistani", _("Pakistani")
    JOINT_VENTURE = "joint_venture", _("Joint venture")
    OTHER_FOREIGN = "other_foreign", _("Other foreign")


#: Origin groups, first match wins: (field, value, group); anything else is other foreign.
#: ``origin_group`` reads it in Python and ``FirmQuerySet.with_origin_group`` in SQL.
ORIGIN_GROUP_RULES: tuple[tuple[str, str, OriginGroup], ...] = (
    ("ownership", Ownership.JOINT_VENTURE.value, OriginGroup.JOINT_VENTURE),
    ("origin_country", "PK", OriginGroup.PAKISTANI),
    ("origin_country", "CN", OriginGroup.CHINESE),
)
DEFAULT_ORIGIN_GROUP = OriginGroup.OTHER_FOREIGN


def origin_group(ownership: str, origin_country: str) -> OriginGroup:
    """Joint venture first, then Pakistani, Chinese, or other foreign by origin country."""
    firm = {"ownership": ownership, "origin_country": origin_country}
    for field, value, group in ORIGIN_GROUP_RULES:
        if firm[field] == value:
            return group
    return DEFAULT_ORIGIN_GROUP


# --- Targets -------------------------------------------------------------------------------


class TargetMetric(TextChoices):
    JOBS = "jobs", _("Jobs")
    INVESTMENT_USD = "investment_usd", _("Investment (USD)")
    FIRMS_OPERATING = "firms_operating", _("Firms operating")
    EXPORTS_USD = "exports_usd", _("Annual exports (USD)")
    COMPLETION_DATE = "completion_date", _("Completion date")


def target_names_milestone(metric: str) -> bool:
    """Whether a target of ``metric`` names a milestone (its code): only a completion date
    does, and it must. A target's natural key is [zone, metric, milestone, announced_on],
    the milestone empty for the quantity metrics, so one announcement can promise several
    completion dates while two statements of one metric (and milestone) on one day are one
    too many."""
    return metric == TargetMetric.COMPLETION_DATE


# --- Plots, utility requests and outages (DOMAIN.md, version 2) -----------------------------


class LandUse(TextChoices):
    INDUSTRIAL = "industrial", _("Industrial")
    COMMERCIAL = "commercial", _("Commercial")
    WAREHOUSING = "warehousing", _("Warehousing")
    AMENITY = "amenity", _("Amenity")


#: Land of these uses (roads, green, utility land) is not saleable: never reserved or
#: allotted, never offered to investors, not counted in saleable or available acres.
NON_SALEABLE_LAND_USES: tuple[str, ...] = (LandUse.AMENITY.value,)


class Tenure(TextChoices):
    LEASE = "lease", _("Lease")
    SALE = "sale", _("Sale")


class PlotStatus(TextChoices):
    AVAILABLE = "available", _("Available")
    RESERVED = "reserved", _("Reserved")
    ALLOTTED = "allotted", _("Allotted")
    CANCELLED = "cancelled", _("Cancelled")


#: A plot in one of these statuses is held by a firm, which it must name; no other plot does.
FIRM_HOLDING_PLOT_STATUSES: tuple[str, ...] = (
    PlotStatus.RESERVED.value,
    PlotStatus.ALLOTTED.value,
)


class PlotStage(TextChoices):
    """Where an allotted plot stands on its way to a producing factory (the latest date)."""

    ALLOTTED = "allotted", _("Allotted")
    IN_POSSESSION = "in_possession", _("In possession")
    BUILDING = "building", _("Building")
    PRODUCING = "producing", _("Producing")


def plot_stage(
    *, possession_on: object, construction_started_on: object, production_started_on: object
) -> PlotStage:
    """An allotted plot's stage: the furthest step whose date is recorded."""
    if production_started_on is not None:
        return PlotStage.PRODUCING
    if construction_started_on is not None:
        return PlotStage.BUILDING
    if possession_on is not None:
        return PlotStage.IN_POSSESSION
    return PlotStage.ALLOTTED


#: An allotted plot with no construction and no production start, allotted more than this
#: many days ago, is idle (the same year as an idle firm).
IDLE_PLOT_AFTER_DAYS = IDLE_AFTER_DAYS


class RequestKind(TextChoices):
    """The utilities a unit connects itself (requests and outage reports)."""

    ELECTRICITY = "electricity", _("Electricity")
    GAS = "gas", _("Gas")
    WATER = "water", _("Water")


class RequestStatus(TextChoices):
    WAITING = "waiting", _("Waiting")
    CONNECTED = "connected", _("Connected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Reporter(TextChoices):
    """Who reported an outage: India's park rating sets tenants' word beside the developer's."""

    DEVELOPER = "developer", _("Developer")
    TENANT = "tenant", _("Tenant")


def hours_in_month(year: int, month: int) -> int:
    """The hours of a calendar month: the most an outage report may count."""
    return 24 * calendar.monthrange(year, month)[1]


# --- Reported totals -----------------------------------------------------------------------


class ReportedMetric(TextChoices):
    """What an authority reports as a zone's total (beside what our records sum to)."""

    ALLOTTED_ACRES = "allotted_acres", _("Allotted acres")
    SALEABLE_ACRES = "saleable_acres", _("Saleable acres")
    FIRMS_OPERATING = "firms_operating", _("Firms operating")
    JOBS = "jobs", _("Jobs")
    INVESTMENT_USD = "investment_usd", _("Investment (USD)")
    EXPORTS_USD = "exports_usd", _("Annual exports (USD)")


def coverage(recorded: float | None, reported: float | None) -> float | None:
    """How much of a reported total the records hold: recorded ÷ reported; unknown without
    a positive reported total."""
    if reported is None or recorded is None or reported <= 0:
        return None
    return float(recorded) / float(reported)


# --- SQL -----------------------------------------------------------------------------------


def sql_in(values: Iterable[str]) -> str:
    """``('a', 'b')``: a literal SQL ``IN`` list of the given codes, for triggers and raw SQL.

    Only for the codes above (lower-case letters and underscores); anything else is refused
    rather than quoted, so that no caller can smuggle SQL through it.
    """
    codes = list(values)
    if not codes:
        raise ValueError("an IN list needs at least one value")
    for code in codes:
        if not code or not all(c.islower() or c == "_" for c in code):
            raise ValueError(f"not a vocabulary code: {code!r}")
    return "(" + ", ".join(f"'{code}'" for code in codes) + ")"
