"""Property: the set-based selector plus the pure function score every zone exactly as a
straightforward per-zone computation does, on random countries.

The reference below reads each zone's records one by one and does the arithmetic with
exact fractions, rounding half-up by hand; it shares no code with readiness.rules.
"""

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from investors.models import Firm
from readiness.inputs import readiness_inputs
from readiness.rules import compute_readiness
from tests.factories import ProvinceFactory
from zones.models import LandDispute, Milestone, UtilityConnection, Zone
from zones.vocabulary import DisputeStatus, FirmStatus, MilestoneStatus, UtilityKind, UtilityStatus

pytestmark = pytest.mark.django_db

F = Fraction
STATUS_VALUE = {
    "not_started": F(0),
    "planned": F(1, 10),
    "under_construction": F(4, 10),
    "at_zero_point": F(8, 10),
    "connected": F(1),
}
WEIGHTS = {
    "utilities": F(35, 100),
    "land": F(15, 100),
    "milestones": F(30, 100),
    "occupancy": F(20, 100),
}


def amounts(max_value: int):
    return st.decimals(min_value=0, max_value=max_value, places=2, allow_nan=False)


def optional(strategy):
    return st.none() | strategy


utility = st.fixed_dictionaries(
    {
        "status": st.sampled_from(list(UtilityStatus.values)),
        "required_capacity": optional(amounts(300)),
        "available_capacity": optional(amounts(400)),
    }
)
zone_data = st.fixed_dictionaries(
    {
        "area_acres": st.none() | st.just(Decimal(0)) | amounts(5000),
        "utilities": st.dictionaries(st.sampled_from(list(UtilityKind.values)), utility),
        "disputes": st.lists(
            st.tuples(st.sampled_from(list(DisputeStatus.values)), optional(amounts(3000))),
            max_size=3,
        ),
        "milestones": st.lists(
            st.tuples(
                st.sampled_from(list(MilestoneStatus.values)),
                st.decimals(min_value=Decimal("0.01"), max_value=10, places=2),
            ),
            max_size=6,
        ),
        "firms": st.lists(
            st.tuples(st.sampled_from(list(FirmStatus.values)), optional(amounts(2000))),
            max_size=6,
        ),
    }
)


def create_country(zones: list[dict]) -> list[Zone]:
    province = ProvinceFactory()
    created = Zone.objects.bulk_create(
        [
            Zone(name=f"Z{i}", slug=f"z-{i}", province=province, area_acres=data["area_acres"])
            for i, data in enumerate(zones)
        ]
    )
    utilities, disputes, milestones, firms = [], [], [], []
    for zone, data in zip(created, zones, strict=True):
        utilities += [
            UtilityConnection(zone=zone, kind=k, **u) for k, u in data["utilities"].items()
        ]
        disputes += [
            LandDispute(zone=zone, reference=f"d{i}", status=s, affected_acres=a)
            for i, (s, a) in enumerate(data["disputes"])
        ]
        milestones += [
            Milestone(zone=zone, code=f"m{i}", title="m", responsible="federal", status=s, weight=w)
            for i, (s, w) in enumerate(data["milestones"])
        ]
        firms += [
            Firm(zone=zone, name=f"f{i}", origin_country="PK", ownership="domestic", status=s,
                 allotted_acres=a)
            for i, (s, a) in enumerate(data["firms"])
        ]  # fmt: skip
    UtilityConnection.objects.bulk_create(utilities)
    LandDispute.objects.bulk_create(disputes)
    Milestone.objects.bulk_create(milestones)
    Firm.objects.bulk_create(firms)
    return created


def half_up(value: Fraction, places: int) -> Decimal:
    scaled = math.floor(value * 10**places + F(1, 2))
    return Decimal(scaled).scaleb(-places)


def reference_score(zone: Zone) -> tuple[Decimal, dict[str, Decimal]]:
    """DOMAIN.md's formula, read literally, one zone at a time."""
    total = F(0)
    for kind in ("electricity", "gas", "water", "road"):
        record = zone.utilities.filter(kind=kind).first()
        if record is None:
            continue
        value = STATUS_VALUE[record.status]
        required, available = record.required_capacity, record.available_capacity
        if (
            record.status in ("at_zero_point", "connected")
            and required is not None
            and available is not None
            and required > 0
        ):
            value *= min(F(1), F(available) / F(required))
        total += value
    utilities = total / 4

    area = F(zone.area_acres) if zone.area_acres else F(0)
    disputed = sum(
        F(d.affected_acres or 0)
        for d in zone.disputes.all()
        if d.status in ("open", "in_court", "in_mediation")
    )
    land = F(0) if not area else max(F(0), min(F(1), 1 - disputed / area))

    not_cancelled = [m for m in zone.milestones.all() if m.status != "cancelled"]
    weight = sum(F(m.weight) for m in not_cancelled)
    done = sum(F(m.weight) for m in not_cancelled if m.status == "done")
    milestones = done / weight if weight else F(0)

    allotted = sum(
        F(f.allotted_acres or 0)
        for f in zone.firms.all()
        if f.status in ("allotted", "under_construction", "operating")
    )
    occupancy = F(0) if not area else min(F(1), allotted / area)

    components = {
        "utilities": utilities,
        "land": land,
        "milestones": milestones,
        "occupancy": occupancy,
    }
    score = 100 * sum(WEIGHTS[name] * value for name, value in components.items())
    return half_up(score, 1), {name: half_up(value, 4) for name, value in components.items()}


@given(zones=st.lists(zone_data, min_size=1, max_size=5))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_set_based_scores_match_a_per_zone_reference(zones):
    with transaction.atomic():
        created = create_country(zones)

        inputs = readiness_inputs()

        assert set(inputs) == {zone.pk for zone in created}
        for zone in created:
            result = compute_readiness(inputs[zone.pk])
            score, components = reference_score(zone)
            assert (result.score, result.components()) == (score, components)
        transaction.set_rollback(True)
