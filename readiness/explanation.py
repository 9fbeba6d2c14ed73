"""The readiness panel of a zone page: score, components, weights, records, history.

:func:`readiness_panel` reads the zone's snapshot history with one query (plus one for the
active weights when the zone was never scored) and its largest holdings with another; it
uses the zone's utilities and disputes as the page prefetched them
(``zones.selectors.zone_for_page``) and the milestones the page lists.
The panel is plain data for ``templates/readiness/_explanation.html``.

The words that state each component's rule are written from the constants the arithmetic
and the inputs use (:mod:`readiness.rules` and the status sets of :mod:`zones.vocabulary`),
so a changed status value or status set changes the explanation with it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from zones.models import Milestone, ReadinessSnapshot, Zone

# Records listed under a component (RECORDS_SHOWN, as many as the page's own long tables);
# the rest are counted, and the zone page's tables (firms, milestones, disputes) list them,
# the long ones behind their "show all" link. A synthetic zone has over a hundred firms.
from zones.selectors import RECORDS_SHOWN, Listed
from zones.vocabulary import (
    CORE_UTILITY_KINDS,
    LAND_HOLDING_FIRM_STATUSES,
    OPEN_DISPUTE_STATUSES,
    DisputeStatus,
    FirmStatus,
    MilestoneStatus,
    UtilityKind,
    UtilityStatus,
)

from . import inputs, rules, selectors

HISTORY_LIMIT = 20

COMPONENT_LABELS = {
    "utilities": gettext_lazy("Utilities"),
    "land": gettext_lazy("Land free of disputes"),
    "milestones": gettext_lazy("Milestones"),
    "occupancy": gettext_lazy("Occupancy"),
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
class ScoreLine:
    """One snapshot of the score history, and what changed since the one before."""

    computed_at: datetime.datetime
    score: Decimal
    utilities: Decimal
    land: Decimal
    milestones: Decimal
    occupancy: Decimal
    profile_version: int
    changes: list[Change]


@dataclass(frozen=True)
class ReadinessPanel:
    """Everything the readiness section of a zone page shows."""

    profile_version: int
    stale: bool
    #: How the score is made, in one sentence.
    caption: str
    components: list[ComponentLine]
    #: The latest snapshots, newest first (empty when the zone was never scored).
    history: list[ScoreLine] = field(default_factory=list)

    @property
    def latest(self) -> ScoreLine | None:
        """The score shown: the latest snapshot's, or None when the zone was never scored."""
        return self.history[0] if self.history else None


def readiness_panel(
    zone: Zone, *, milestones: Listed[Milestone], include_illustrative: bool = False
) -> ReadinessPanel:
    """The readiness panel of ``zone``, loaded for its page, with the first of its
    ``milestones`` (``zones.selectors.zone_milestones``); its firms are real ones only
    unless ``include_illustrative``, like the page's (see the module's text)."""
    snapshots = selectors.zone_readiness_snapshots(zone=zone, limit=HISTORY_LIMIT)
    latest = snapshots[0] if snapshots else None
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
        "milestones": _milestone_lines(milestones),
        "occupancy": _firm_lines(zone, include_illustrative=include_illustrative),
    }
    latest_changes = latest.changes if latest is not None else {}
    component_rules = rule_texts()
    components = []
    for name in rules.COMPONENTS:
        value = getattr(latest, name) if latest is not None else None
        points = None
        if value is not None:
            points = (100 * weights[name] * value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        components.append(
            ComponentLine(
                name=name,
                label=str(COMPONENT_LABELS[name]),
                rule=component_rules[name],
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
        profile_version=version,
        stale=zone.readiness_stale,
        caption=caption_text(),
        components=components,
        history=[_score_line(snapshot) for snapshot in snapshots],
    )


def _score_line(snapshot: ReadinessSnapshot) -> ScoreLine:
    return ScoreLine(
        computed_at=snapshot.computed_at,
        score=snapshot.score,
        utilities=snapshot.utilities,
        land=snapshot.land,
        milestones=snapshot.milestones,
        occupancy=snapshot.occupancy,
        profile_version=snapshot.profile_version,
        changes=snapshot_changes(snapshot.changes),
    )


# --- The formula in words -----------------------------------------------------------------


def caption_text() -> str:
    """How the score is made, from the rules' scale and number of components."""
    return _(
        "How the score is made: %(scale)s × the weighted sum of %(count)s components, "
        "each between 0 and 1."
    ) % {"scale": _plain(rules.HUNDRED), "count": len(rules.COMPONENTS)}


def rule_texts() -> dict[str, str]:
    """Each component's rule in words, in the active language: the value of each utility
    status and which statuses capacity scales, which disputes, milestones and firms count,
    all read from the constants the rules and the inputs use."""
    utility_statuses = list(rules.UTILITY_STATUS_VALUES)
    counted_disputes = set(OPEN_DISPUTE_STATUSES)
    return {
        "utilities": _(
            "Mean over %(kinds)s: %(values)s; %(capped)s are scaled by available ÷ required "
            "capacity (at most 1). A missing kind counts %(missing)s."
        )
        % {
            "kinds": _listed(_labels(UtilityKind, CORE_UTILITY_KINDS), _and),
            "values": _separator().join(
                _("%(status)s %(value)s")
                % {"status": _label(UtilityStatus, status), "value": _plain(value)}
                for status, value in rules.UTILITY_STATUS_VALUES.items()
            ),
            "capped": _listed(
                _labels(
                    UtilityStatus,
                    [s for s in utility_statuses if s in rules.CAPACITY_CAPPED_STATUSES],
                ),
                _and,
            ),
            "missing": _plain(rules.utility_value(None)),
        },
        "land": _(
            "1 − acres in %(counted)s disputes ÷ zone area, kept between 0 and 1; 0 when the "
            "area is unknown. %(ignored)s disputes do not count."
        )
        % {
            "counted": _listed(_labels(DisputeStatus, OPEN_DISPUTE_STATUSES), _or),
            "ignored": capfirst(
                _listed(
                    _labels(
                        DisputeStatus,
                        [s for s in DisputeStatus.values if s not in counted_disputes],
                    ),
                    _and,
                )
            ),
        },
        "milestones": _(
            "Weight of %(done)s milestones ÷ weight of all milestones not %(uncounted)s; 0 when "
            "there are none."
        )
        % {
            "done": _listed(_labels(MilestoneStatus, rules.DONE_MILESTONE_STATUSES), _or),
            "uncounted": _listed(_labels(MilestoneStatus, rules.UNCOUNTED_MILESTONE_STATUSES), _or),
        },
        "occupancy": _(
            "Acres allotted to %(holding)s firms ÷ zone area, at most 1; 0 when the area is "
            "unknown."
        )
        % {"holding": _listed(_labels(FirmStatus, LAND_HOLDING_FIRM_STATUSES), _or)},
    }


def _label(choices, value: str) -> str:
    """A status or kind as it reads inside a sentence."""
    return str(choices(value).label).lower()


def _labels(choices, values: Iterable[str]) -> list[str]:
    return [_label(choices, value) for value in values]


def _separator() -> str:
    return pgettext("between the items of a list", ", ")


def _and(items: str, last: str) -> str:
    return _("%(items)s and %(last)s") % {"items": items, "last": last}


def _or(items: str, last: str) -> str:
    return _("%(items)s or %(last)s") % {"items": items, "last": last}


def _listed(items: list[str], join) -> str:
    """``a, b and c`` (or ``a, b or c``), as the active language writes a list."""
    if len(items) < 2:
        return "".join(items)
    return join(_separator().join(items[:-1]), items[-1])


# --- What changed -------------------------------------------------------------------------


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
    for name in rules.COMPONENTS:
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


# --- The records behind each component ----------------------------------------------------


def _utility_lines(zone: Zone) -> list[RecordLine]:
    # an illustrative record never enters the score: the kind reads as unrecorded
    records = {u.kind: u for u in zone.utilities.all() if not u.is_illustrative}
    lines = []
    for kind in CORE_UTILITY_KINDS:
        utility = records.get(kind)
        label = str(UtilityKind(kind).label)
        if utility is None:
            lines.append(RecordLine(label, _("no record"), _four(rules.utility_value(None)), True))
            continue
        value = rules.utility_value(
            rules.UtilityInput(
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
            dispute.status in OPEN_DISPUTE_STATUSES and not dispute.is_illustrative,
        )
        for dispute in zone.disputes.all()
    ]


def _milestone_lines(milestones: Listed[Milestone]) -> tuple[list[RecordLine], int]:
    lines = [
        RecordLine(
            milestone.title,
            milestone.get_status_display(),
            _("weight %(weight)s") % {"weight": _plain(milestone.weight)},
            milestone.status not in rules.UNCOUNTED_MILESTONE_STATUSES
            and not milestone.is_illustrative,
        )
        for milestone in milestones.rows[:RECORDS_SHOWN]
    ]
    return lines, milestones.total - len(lines)


def _firm_lines(zone: Zone, *, include_illustrative: bool) -> tuple[list[RecordLine], int]:
    """The first ``RECORDS_SHOWN`` firms, those that count and hold most land first, and how
    many more there are (only the lines shown are read: a zone may have hundreds)."""
    firms = selectors.zone_largest_holdings(
        zone=zone, include_illustrative=include_illustrative, limit=RECORDS_SHOWN
    )
    lines = [
        RecordLine(
            firm.name,
            firm.get_status_display(),
            _acres(firm.allotted_acres),
            firm.status in LAND_HOLDING_FIRM_STATUSES and not firm.is_illustrative,
        )
        for firm in firms
    ]
    return lines, firms.more


def _shown(lines: list[RecordLine]) -> tuple[list[RecordLine], int]:
    return lines[:RECORDS_SHOWN], max(0, len(lines) - RECORDS_SHOWN)


def _acres(acres: Decimal | None) -> str:
    return "—" if acres is None else _("%(acres)s acres") % {"acres": _plain(acres)}


def _plain(value: Decimal | None) -> str:
    return rules.plain_decimal(value) or "—"


def _four(value: Decimal) -> str:
    return str(value.quantize(rules.COMPONENT_QUANTUM, rounding=ROUND_HALF_UP))
