"""Readiness score, version 1: the pure arithmetic, on plain inputs, with no ORM.

The formula is the one in ``DOMAIN.md`` ("Readiness score, version 1"). Every component
is a number in [0, 1]; the score is 100 × the weighted sum of the components, rounded
half-up to one decimal, and each component is reported rounded half-up to four decimals.
The score is computed from the unrounded components, so rounding happens once.

Inputs are per-zone aggregates (what the formula reads, nothing more), so a selector can
build them for thousands of zones with a few grouped queries, and the same inputs give a
stable digest that tells whether anything a score depends on has changed.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal

from zones.vocabulary import CORE_UTILITY_KINDS, MilestoneStatus

# Part of every inputs digest: bump it whenever the arithmetic below changes, so that the
# next recompute rescores every zone instead of trusting snapshots of the old formula.
FORMULA_VERSION = 1


UTILITY_STATUS_VALUES: Mapping[str, Decimal] = {
    "not_started": Decimal("0"),
    "planned": Decimal("0.1"),
    "under_construction": Decimal("0.4"),
    "at_zero_point": Decimal("0.8"),
    "connected": Decimal("1.0"),
}
CAPACITY_CAPPED_STATUSES = frozenset({"at_zero_point", "connected"})

#: Milestones whose weight counts as done, and milestones whose weight counts nowhere (the
#: other statuses count in the total only). The set-based inputs sum the weights with these.
DONE_MILESTONE_STATUSES: tuple[str, ...] = (MilestoneStatus.DONE.value,)
UNCOUNTED_MILESTONE_STATUSES: tuple[str, ...] = (MilestoneStatus.CANCELLED.value,)

COMPONENTS: tuple[str, ...] = ("utilities", "land", "milestones", "occupancy")

ZERO = Decimal("0")
ONE = Decimal("1")
FOUR = Decimal(len(CORE_UTILITY_KINDS))
HUNDRED = Decimal("100")
SCORE_QUANTUM = Decimal("0.1")
COMPONENT_QUANTUM = Decimal("0.0001")

# All arithmetic goes through this context: intermediate results carry far more digits
# than any output needs, whatever the caller's thread-local decimal context says.
_CONTEXT = Context(prec=50)


class InvalidWeights(ValueError):
    """The weights are not four non-negative numbers that add up to exactly 1."""


@dataclass(frozen=True)
class Weights:
    """The weight of each component in the score, and the profile version they belong to."""

    utilities: Decimal
    land: Decimal
    milestones: Decimal
    occupancy: Decimal
    version: int = 1

    def __post_init__(self) -> None:
        problems = check_weights(self.as_dict())
        if problems:
            raise InvalidWeights(" ".join(problems))

    def as_dict(self) -> dict[str, Decimal]:
        return dict(zip(COMPONENTS, self.as_tuple(), strict=True))

    def as_tuple(self) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        return (self.utilities, self.land, self.milestones, self.occupancy)

    def as_json(self) -> dict[str, str]:
        return {name: plain_decimal(value) for name, value in self.as_dict().items()}

    @functools.cached_property
    def digest_prefix(self) -> str:
        weights = "/".join(_canonical(weight) for weight in self.as_tuple())
        return f"formula {FORMULA_VERSION}|profile {self.version}|{weights}"


def check_weights(weights: Mapping[str, Decimal | None]) -> list[str]:
    """Every reason these weights cannot make a profile (an empty list when they can)."""
    problems = []
    missing = [name for name in COMPONENTS if weights.get(name) is None]
    if missing:
        return [f"Every component needs a weight (missing: {', '.join(missing)})."]
    negative = [name for name in COMPONENTS if weights[name] < 0]
    if negative:
        problems.append(f"A weight cannot be negative ({', '.join(negative)}).")
    total = sum((Decimal(weights[name]) for name in COMPONENTS), ZERO)
    if total != ONE:
        problems.append(
            f"The weights must add up to exactly 1; these add up to {plain_decimal(total)}."
        )
    return problems


DEFAULT_WEIGHTS = Weights(
    utilities=Decimal("0.35"),
    land=Decimal("0.15"),
    milestones=Decimal("0.30"),
    occupancy=Decimal("0.20"),
    version=1,
)


@dataclass(slots=True)
class UtilityInput:
    """One utility record of a core kind: its status and, when known, its capacities."""

    status: str
    required_capacity: Decimal | None = None
    available_capacity: Decimal | None = None


@dataclass(slots=True)
class ReadinessInputs:
    """Everything the formula reads about one zone, already aggregated.

    ``utilities`` maps a core kind to its record (a kind without a record is absent);
    ``disputed_acres`` sums the affected acres of open, in-court and in-mediation
    disputes; ``done_weight`` and ``active_weight`` sum the weights of done milestones
    and of all milestones not cancelled; ``allotted_acres`` sums the allotted acres of
    allotted, building and operating firms.

    Not frozen, only because building tens of thousands of frozen instances costs a
    noticeable share of a national recompute; nothing here changes them.
    """

    area_acres: Decimal | None
    utilities: Mapping[str, UtilityInput] = field(default_factory=dict)
    disputed_acres: Decimal = ZERO
    done_weight: Decimal = ZERO
    active_weight: Decimal = ZERO
    allotted_acres: Decimal = ZERO

    def as_json(self) -> dict:
        """A canonical, JSON-ready form: equal inputs give equal JSON, whatever the scale."""
        utilities = {}
        for kind in CORE_UTILITY_KINDS:
            record = self.utilities.get(kind)
            utilities[kind] = (
                None
                if record is None
                else {
                    "status": record.status,
                    "required": plain_decimal(record.required_capacity),
                    "available": plain_decimal(record.available_capacity),
                }
            )
        return {
            "area_acres": plain_decimal(self.area_acres),
            "utilities": utilities,
            "disputed_acres": plain_decimal(self.disputed_acres),
            "done_weight": plain_decimal(self.done_weight),
            "active_weight": plain_decimal(self.active_weight),
            "allotted_acres": plain_decimal(self.allotted_acres),
        }


@dataclass(frozen=True, slots=True)
class ReadinessResult:
    """A score in [0, 100] (one decimal) and its four components in [0, 1] (four decimals)."""

    score: Decimal
    utilities: Decimal
    land: Decimal
    milestones: Decimal
    occupancy: Decimal

    def components(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in COMPONENTS}


def utility_value(record: UtilityInput | None) -> Decimal:
    """The value one core utility contributes before averaging (0 when there is no record)."""
    if record is None:
        return ZERO
    value = UTILITY_STATUS_VALUES[record.status]
    required, available = record.required_capacity, record.available_capacity
    if (
        record.status in CAPACITY_CAPPED_STATUSES
        and required is not None
        and available is not None
        and required > 0
    ):
        value = _CONTEXT.multiply(value, min(ONE, _CONTEXT.divide(available, required)))
    return value


def utilities_component(utilities: Mapping[str, UtilityInput]) -> Decimal:
    total = ZERO
    for kind in CORE_UTILITY_KINDS:
        total = _CONTEXT.add(total, utility_value(utilities.get(kind)))
    return _CONTEXT.divide(total, FOUR)


def land_component(area_acres: Decimal | None, disputed_acres: Decimal) -> Decimal:
    if not area_acres:
        return ZERO
    return max(ZERO, min(ONE, _CONTEXT.subtract(ONE, _CONTEXT.divide(disputed_acres, area_acres))))


def milestones_component(done_weight: Decimal, active_weight: Decimal) -> Decimal:
    if active_weight <= 0:
        return ZERO
    return _CONTEXT.divide(done_weight, active_weight)


def occupancy_component(area_acres: Decimal | None, allotted_acres: Decimal) -> Decimal:
    if not area_acres:
        return ZERO
    return min(ONE, _CONTEXT.divide(allotted_acres, area_acres))


def exact_components(inputs: ReadinessInputs) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """The four components, unrounded, in the order of ``COMPONENTS``."""
    return (
        utilities_component(inputs.utilities),
        land_component(inputs.area_acres, inputs.disputed_acres),
        milestones_component(inputs.done_weight, inputs.active_weight),
        occupancy_component(inputs.area_acres, inputs.allotted_acres),
    )


def compute_readiness(
    inputs: ReadinessInputs, weights: Weights = DEFAULT_WEIGHTS
) -> ReadinessResult:
    """The readiness score of one zone and its components, rounded as the spec says."""
    components = exact_components(inputs)
    weighted = ZERO
    for weight, value in zip(weights.as_tuple(), components, strict=True):
        weighted = _CONTEXT.add(weighted, _CONTEXT.multiply(weight, value))
    score = _CONTEXT.multiply(HUNDRED, weighted).quantize(
        SCORE_QUANTUM, rounding=ROUND_HALF_UP, context=_CONTEXT
    )
    return ReadinessResult(
        score,
        *(
            value.quantize(COMPONENT_QUANTUM, rounding=ROUND_HALF_UP, context=_CONTEXT)
            for value in components
        ),
    )


def inputs_digest(inputs: ReadinessInputs, weights: Weights) -> str:
    """A SHA-256 of the inputs, the weights and the formula: equal digests, equal score.

    Decimals are normalised first, so 1000.00 and 1000 give the same digest.
    """
    parts = [weights.digest_prefix, _canonical(inputs.area_acres)]
    for kind in CORE_UTILITY_KINDS:
        record = inputs.utilities.get(kind)
        parts.append(
            "-"
            if record is None
            else f"{record.status}/{_canonical(record.required_capacity)}/"
            f"{_canonical(record.available_capacity)}"
        )
    parts += [
        _canonical(inputs.disputed_acres),
        _canonical(inputs.done_weight),
        _canonical(inputs.active_weight),
        _canonical(inputs.allotted_acres),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _canonical(value: Decimal | None) -> str:
    return "~" if value is None else str(value.normalize(_CONTEXT))


# What each component reads, by the names used in ``ReadinessInputs.as_json``.
COMPONENT_INPUTS: Mapping[str, tuple[str, ...]] = {
    "utilities": CORE_UTILITY_KINDS,
    "land": ("area_acres", "disputed_acres"),
    "milestones": ("done_weight", "active_weight"),
    "occupancy": ("area_acres", "allotted_acres"),
}


def describe_changes(
    *,
    previous_inputs: Mapping | None,
    previous_components: Mapping[str, str] | None,
    previous_version: int | None,
    inputs: Mapping,
    components: Mapping[str, str],
    version: int,
) -> dict:
    """Per component, what changed since the previous snapshot: its value and its inputs.

    Inputs and components are in their JSON form (strings). A component appears only when
    its value or one of its inputs changed. With no previous snapshot, nothing changed.
    """
    if previous_components is None:
        return {}
    previous_inputs = previous_inputs or {}

    def flat(data: Mapping) -> dict:
        return {**{k: v for k, v in data.items() if k != "utilities"}, **data.get("utilities", {})}

    before_inputs, after_inputs = flat(previous_inputs), flat(inputs)
    changes: dict = {}
    for name in COMPONENTS:
        changed_inputs = {
            key: {"before": before_inputs.get(key), "after": after_inputs.get(key)}
            for key in COMPONENT_INPUTS[name]
            if previous_inputs and before_inputs.get(key) != after_inputs.get(key)
        }
        before, after = previous_components.get(name), components[name]
        if changed_inputs or before != after:
            changes[name] = {"before": before, "after": after, "inputs": changed_inputs}
    if previous_version is not None and previous_version != version:
        changes["profile_version"] = {"before": previous_version, "after": version}
    return changes


def plain_decimal(value: Decimal | None) -> str | None:
    """A decimal as plain text without trailing zeros: 1000.00 and 1E+3 both give "1000"."""
    if value is None:
        return None
    normal = Decimal(value).normalize()
    return format(normal, "f") if normal else "0"
