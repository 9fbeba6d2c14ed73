"""The readiness explanation on the zone page: score, components, weights, records, history.

``{% readiness_explanation zone as panel %}`` reads the zone's snapshot history with one
query (plus one for the active weights when the zone was never scored) and uses the
zone's utilities, disputes, milestones and firms as the page prefetched them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness import inputs, selectors
from readiness import rules as scoring
from zones.models import ReadinessSnapshot, Zone
from zones.vocabulary import (
    CORE_UTILITY_KINDS,
    LAND_HOLDING_FIRM_STATUSES,
    OPEN_DISPUTE_STATUSES,
    MilestoneStatus,
    UtilityKind,
    UtilityStatus,
)

register = template.Library()

HISTORY_LIMIT = 20
#: Records listed under a component; the rest are counted, and the zone page's own tables
#: (firms, milestones, disputes) list every one. A synthetic zone has over a hundred firms.
RECORDS_SHOWN = 25

COMPONENT_LABELS = {
    "utilities": gettext_lazy("Utilities"),
    "land": gettext_lazy("Land free of disputes"),
    "milestones": gettext_lazy("Milestones"),
    "occupancy": gettext_lazy("Occupancy"),
}
COMPONENT_RULES = {
    "utilities": gettext_lazy(
        "Mean over electricity, gas, water and road: not started 0, planned 0.1, under "
        "construction 0.4, at zero point 0.8, connected 1; at zero point and connected are "
        "scaled by available ÷ required capacity (at most 1). A missing kind counts 0."
    ),
    "land": gettext_lazy(
        "1 − acres in open, in-court or in-mediation disputes ÷ zone area, kept between 0 "
        "and 1; 0 when the area is unknown. Resolved and dismissed disputes do not count."
    ),
    "milestones": gettext_lazy(
        "Weight of done milestones ÷ weight of all milestones not cancelled; 0 when there are none."
    ),
    "occupancy": gettext_lazy(
        "Acres allotted to allotted, building or operating firms ÷ zone area, at most 1; 0 "
        "when the area is unknown."
    ),
}
INPUT_LABELS = {
    "area_acres": gettext_lazy("Zone area (acres)"),
    "disputed_acres": gettext_lazy("Acres in active disputes"),
    "done_weight": gettext_lazy("Weight of done milestones"),
    "active_weight": gettext_lazy("Weight of milestones not cancelled"),
    "allotted_acres": gettext_lazy("Acres allotted to active firms"),
}


@dataclass(frozen=True)
class RecordLine:
    """One record behind a component: what it is, where it stands, and whether it counts."""

    label: str
    status: str
    amount: str
    counts: bool


@dataclass(frozen=True)
class Change:
    """One changed component (``summary``) and the inputs that moved it (``details``)."""

    summary: str
    details: list[str]


@dataclass(frozen=True)
class ComponentLine:
    name: str
    label: str
    rule: str
    basis: str
    value: Decimal | None
    weight: Decimal
    points: Decimal | None
    records: list[RecordLine]
    change: Change | None
    more_records: int = 0


@dataclass(frozen=True)
class HistoryLine:
    snapshot: ReadinessSnapshot
    changes: list[Change]


@dataclass(frozen=True)
class ReadinessPanel:
    """Everything the readiness section of a zone page shows."""

    snapshot: ReadinessSnapshot | None
    profile_version: int
    stale: bool
    components: list[ComponentLine]
    history: list[HistoryLine] = field(default_factory=list)


@register.simple_tag
def readiness_explanation(zone: Zone) -> ReadinessPanel:
    history = selectors.zone_readiness_snapshots(zone=zone, limit=HISTORY_LIMIT)
    latest = history[0] if history else None
    if latest is not None:
        weights = {name: Decimal(value) for name, value in latest.weights.items()}
        version = latest.profile_version
    else:
        active = inputs.scoring_weights_active()
        weights, version = active.as_dict(), active.version
    area = (
        _("Zone area: %(acres)s acres") % {"acres": _plain(zone.area_acres)}
        if zone.area_acres
        else _("Zone area: unknown, so this component is 0.")
    )
    basis = {"utilities": "", "land": area, "milestones": "", "occupancy": area}
    records = {
        "utilities": _shown(_utility_lines(zone)),
        "land": _shown(_dispute_lines(zone)),
        "milestones": _shown(_milestone_lines(zone)),
        "occupancy": _firm_lines(zone),
    }
    latest_changes = latest.changes if latest is not None else {}
    components = []
    for name in scoring.COMPONENTS:
        value = getattr(latest, name) if latest is not None else None
        points = None
        if value is not None:
            points = (100 * weights[name] * value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        components.append(
            ComponentLine(
                name=name,
                label=str(COMPONENT_LABELS[name]),
                rule=str(COMPONENT_RULES[name]),
                basis=basis[name],
                value=value,
                weight=weights[name],
                points=points,
                records=records[name][0],
                more_records=records[name][1],
                change=component_change(name, latest_changes.get(name)),
            )
        )
    return ReadinessPanel(
        snapshot=latest,
        profile_version=version,
        stale=zone.readiness_stale,
        components=components,
        history=[HistoryLine(snapshot, snapshot_changes(snapshot.changes)) for snapshot in history],
    )


def snapshot_changes(changes: Mapping) -> list[Change]:
    """A snapshot's ``changes`` as sentences: the profile, then each changed component."""
    lines = []
    version = changes.get("profile_version")
    if version:
        summary = _("Scoring profile: version %(before)s → %(after)s") % {
            "before": version["before"],
            "after": version["after"],
        }
        lines.append(Change(summary, []))
    for name in scoring.COMPONENTS:
        change = component_change(name, changes.get(name))
        if change:
            lines.append(change)
    return lines


def component_change(name: str, change: Mapping | None) -> Change | None:
    if not change:
        return None
    summary = _("%(component)s: %(before)s → %(after)s") % {
        "component": COMPONENT_LABELS[name],
        "before": change.get("before") or "—",
        "after": change.get("after") or "—",
    }
    details = []
    for key, values in (change.get("inputs") or {}).items():
        if key in CORE_UTILITY_KINDS:
            label = UtilityKind(key).label
            before, after = _utility_text(values["before"]), _utility_text(values["after"])
        else:
            label = INPUT_LABELS.get(key, key)
            before, after = values["before"] or "—", values["after"] or "—"
        details.append(f"{label}: {before} → {after}")
    return Change(summary, details)


def _utility_text(value: Mapping | None) -> str:
    if not value:
        return _("no record")
    text = str(UtilityStatus(value["status"]).label)
    if value.get("required") is not None and value.get("available") is not None:
        text += f" ({value['available']} / {value['required']})"
    return text


def _utility_lines(zone: Zone) -> list[RecordLine]:
    records = {utility.kind: utility for utility in zone.utilities.all()}
    lines = []
    for kind in CORE_UTILITY_KINDS:
        utility = records.get(kind)
        label = str(UtilityKind(kind).label)
        if utility is None:
            lines.append(RecordLine(label, _("no record"), _four(scoring.ZERO), True))
            continue
        value = scoring.utility_value(
            scoring.UtilityInput(
                utility.status, utility.required_capacity, utility.available_capacity
            )
        )
        status = utility.get_status_display()
        if utility.required_capacity is not None and utility.available_capacity is not None:
            status = _("%(status)s, %(available)s of %(required)s %(unit)s available") % {
                "status": status,
                "available": _plain(utility.available_capacity),
                "required": _plain(utility.required_capacity),
                "unit": utility.unit,
            }
        lines.append(RecordLine(label, status, _four(value), True))
    return lines


def _dispute_lines(zone: Zone) -> list[RecordLine]:
    return [
        RecordLine(
            dispute.reference,
            dispute.get_status_display(),
            _acres(dispute.affected_acres),
            dispute.status in OPEN_DISPUTE_STATUSES,
        )
        for dispute in zone.disputes.all()
    ]


def _milestone_lines(zone: Zone) -> list[RecordLine]:
    return [
        RecordLine(
            milestone.title,
            milestone.get_status_display(),
            _("weight %(weight)s") % {"weight": _plain(milestone.weight)},
            milestone.status != MilestoneStatus.CANCELLED,
        )
        for milestone in zone.milestones.all()
    ]


def _firm_lines(zone: Zone) -> tuple[list[RecordLine], int]:
    """The first ``RECORDS_SHOWN`` firms, those that count and hold most land first, and how
    many more there are (only the lines shown are built: a zone may have hundreds)."""
    firms = sorted(
        zone.firms.all(),
        key=lambda f: (
            f.status not in LAND_HOLDING_FIRM_STATUSES,
            -(f.allotted_acres or 0),
            f.name,
        ),
    )
    lines = [
        RecordLine(
            firm.name,
            firm.get_status_display(),
            _acres(firm.allotted_acres),
            firm.status in LAND_HOLDING_FIRM_STATUSES,
        )
        for firm in firms[:RECORDS_SHOWN]
    ]
    return lines, len(firms) - len(lines)


def _shown(lines: list[RecordLine]) -> tuple[list[RecordLine], int]:
    return lines[:RECORDS_SHOWN], max(0, len(lines) - RECORDS_SHOWN)


def _acres(acres: Decimal | None) -> str:
    return "—" if acres is None else _("%(acres)s acres") % {"acres": _plain(acres)}


def _plain(value: Decimal | None) -> str:
    return scoring.plain_decimal(value) or "—"


def _four(value: Decimal) -> str:
    return str(value.quantize(scoring.COMPONENT_QUANTUM, rounding=ROUND_HALF_UP))
