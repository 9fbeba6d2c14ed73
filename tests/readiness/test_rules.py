"""Readiness score, version 1 (DOMAIN.md), clause by clause, on the pure function.

Expected values are worked out from the spec's own numbers in each test, so a reader can
check them by hand. Clauses that depend on which records count (resolved disputes,
cancelled milestones, withdrawn firms, non-core utilities) are in test_inputs.py.
"""

from decimal import Decimal

import pytest

from readiness import rules
from readiness.rules import (
    DEFAULT_WEIGHTS,
    InvalidWeights,
    ReadinessInputs,
    UtilityInput,
    Weights,
    compute_readiness,
)
from zones.vocabulary import (
    CORE_UTILITY_KINDS,
    LAND_HOLDING_FIRM_STATUSES,
    OPEN_DISPUTE_STATUSES,
    DisputeStatus,
    FirmStatus,
    UtilityKind,
    UtilityStatus,
)

D = Decimal
SPEC_STATUS_VALUES = {
    "not_started": D("0"),
    "planned": D("0.1"),
    "under_construction": D("0.4"),
    "at_zero_point": D("0.8"),
    "connected": D("1.0"),
}


def inputs(**overrides) -> ReadinessInputs:
    """A zone of 1,000 acres with no records at all, unless overridden."""
    return ReadinessInputs(**{"area_acres": D("1000"), **overrides})


def only_electricity(status, required=None, available=None) -> ReadinessInputs:
    return inputs(utilities={"electricity": UtilityInput(status, required, available)})


# --- utilities --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", list(SPEC_STATUS_VALUES))
def test_each_utility_status_has_its_spec_value_averaged_over_four_core_kinds(status):
    result = compute_readiness(only_electricity(status))

    assert result.utilities == (SPEC_STATUS_VALUES[status] / 4).quantize(D("0.0001"))


def test_all_four_core_utilities_connected_make_utilities_one():
    connected = UtilityInput("connected")
    result = compute_readiness(inputs(utilities=dict.fromkeys(CORE_UTILITY_KINDS, connected)))

    assert result.utilities == D("1.0000")


def test_a_core_kind_with_no_record_counts_zero():
    result = compute_readiness(
        inputs(
            utilities={"electricity": UtilityInput("connected"), "gas": UtilityInput("connected")}
        )
    )

    assert result.utilities == D("0.5000")  # (1 + 1 + 0 + 0) / 4


@pytest.mark.parametrize("status", ["at_zero_point", "connected"])
def test_delivered_utilities_are_scaled_by_available_over_required_capacity(status):
    result = compute_readiness(only_electricity(status, required=D("100"), available=D("25")))

    assert result.utilities == (SPEC_STATUS_VALUES[status] * D("0.25") / 4).quantize(D("0.0001"))


def test_more_capacity_than_required_does_not_raise_a_utility_above_its_status_value():
    result = compute_readiness(only_electricity("connected", required=D("50"), available=D("80")))

    assert result.utilities == D("0.2500")  # min(1, 80/50) = 1


@pytest.mark.parametrize("status", ["not_started", "planned", "under_construction"])
def test_capacity_does_not_scale_utilities_not_yet_delivered(status):
    result = compute_readiness(only_electricity(status, required=D("100"), available=D("10")))

    assert result.utilities == (SPEC_STATUS_VALUES[status] / 4).quantize(D("0.0001"))


@pytest.mark.parametrize(
    ("required", "available"),
    [(None, D("10")), (D("100"), None), (None, None), (D("0"), D("10")), (D("0"), D("0"))],
)
def test_capacity_scales_only_when_both_are_given_and_required_is_positive(required, available):
    result = compute_readiness(
        only_electricity("connected", required=required, available=available)
    )

    assert result.utilities == D("0.2500")


def test_no_available_capacity_at_zero_point_scores_zero():
    result = compute_readiness(
        only_electricity("at_zero_point", required=D("40"), available=D("0"))
    )

    assert result.utilities == D("0.0000")


# --- land -------------------------------------------------------------------------------------


@pytest.mark.parametrize("area", [None, D("0")])
def test_land_and_occupancy_are_zero_when_the_area_is_missing_or_zero(area):
    result = compute_readiness(
        inputs(area_acres=area, disputed_acres=D("0"), allotted_acres=D("40"))
    )

    assert (result.land, result.occupancy) == (D("0.0000"), D("0.0000"))


def test_land_is_one_without_active_disputes():
    assert compute_readiness(inputs()).land == D("1.0000")


def test_land_subtracts_the_disputed_share_of_the_area():
    result = compute_readiness(inputs(area_acres=D("800"), disputed_acres=D("200")))

    assert result.land == D("0.7500")  # 1 − 200/800


def test_land_is_clamped_at_zero_when_disputes_exceed_the_area():
    result = compute_readiness(inputs(area_acres=D("100"), disputed_acres=D("250")))

    assert result.land == D("0.0000")


# --- milestones -------------------------------------------------------------------------------


def test_milestones_are_the_done_share_of_the_weight_not_cancelled():
    result = compute_readiness(inputs(done_weight=D("3"), active_weight=D("8")))

    assert result.milestones == D("0.3750")


def test_milestones_are_zero_when_there_are_none():
    assert compute_readiness(inputs(done_weight=D("0"), active_weight=D("0"))).milestones == 0


# --- occupancy --------------------------------------------------------------------------------


def test_occupancy_is_the_allotted_share_of_the_area():
    result = compute_readiness(inputs(area_acres=D("400"), allotted_acres=D("100")))

    assert result.occupancy == D("0.2500")


def test_occupancy_is_capped_at_one():
    result = compute_readiness(inputs(area_acres=D("400"), allotted_acres=D("900")))

    assert result.occupancy == D("1.0000")


# --- the score, weights and rounding ----------------------------------------------------------


def test_the_score_weighs_the_components_with_the_default_profile():
    result = compute_readiness(
        inputs(
            utilities={"electricity": UtilityInput("connected"), "gas": UtilityInput("planned")},
            area_acres=D("1000"),
            disputed_acres=D("100"),
            done_weight=D("1"),
            active_weight=D("4"),
            allotted_acres=D("500"),
        )
    )

    # utilities (1 + 0.1)/4 = 0.275; land 0.9; milestones 0.25; occupancy 0.5
    expected = 100 * (D("0.35") * D("0.275") + D("0.15") * D("0.9") + D("0.30") * D("0.25"))
    expected += 100 * D("0.20") * D("0.5")
    assert result.score == expected.quantize(D("0.1"))  # 9.625 + 13.5 + 7.5 + 10 = 40.625
    assert result.score == D("40.6")
    assert result.components() == {
        "utilities": D("0.2750"),
        "land": D("0.9000"),
        "milestones": D("0.2500"),
        "occupancy": D("0.5000"),
    }


def test_a_zone_with_nothing_scores_zero_and_a_complete_zone_scores_one_hundred():
    connected = UtilityInput("connected")
    complete = inputs(
        utilities=dict.fromkeys(CORE_UTILITY_KINDS, connected),
        done_weight=D("5"),
        active_weight=D("5"),
        allotted_acres=D("1000"),
    )

    assert compute_readiness(inputs(area_acres=None)).score == D("0.0")
    assert compute_readiness(complete).score == D("100.0")


def test_the_score_is_rounded_half_up_to_one_decimal():
    # 100 × (0.15 × 1 + 0.20 × 612.5/1000) = 15 + 12.25 = 27.25, exactly half-way.
    result = compute_readiness(inputs(allotted_acres=D("612.5")))

    assert result.score == D("27.3")


def test_components_are_rounded_half_up_to_four_decimals():
    # 1/32 = 0.03125, exactly half-way between 0.0312 and 0.0313.
    result = compute_readiness(inputs(done_weight=D("1"), active_weight=D("32")))

    assert result.milestones == D("0.0313")


def test_the_score_is_rounded_once_from_the_unrounded_components():
    # occupancy 612.45/1000 = 0.61245 is reported as 0.6125, but the score uses 0.61245:
    # 15 + 20 × 0.61245 = 27.249 → 27.2 (rounding the component first would give 27.3).
    result = compute_readiness(inputs(allotted_acres=D("612.45")))

    assert result.occupancy == D("0.6125")
    assert result.score == D("27.2")


def test_repeating_fractions_round_to_the_nearest_value():
    # milestones 1/3 → 0.3333; score 15 + 30 × 1/3 = 25 exactly.
    result = compute_readiness(inputs(done_weight=D("1"), active_weight=D("3")))

    assert result.milestones == D("0.3333")
    assert result.score == D("25.0")


def test_a_custom_profile_changes_the_weights():
    weights = Weights(D("0"), D("0"), D("1"), D("0"), version=2)

    result = compute_readiness(inputs(done_weight=D("1"), active_weight=D("4")), weights)

    assert result.score == D("25.0")


def test_the_default_profile_is_version_one_with_the_spec_weights():
    assert DEFAULT_WEIGHTS.version == 1
    assert DEFAULT_WEIGHTS.as_dict() == {
        "utilities": D("0.35"),
        "land": D("0.15"),
        "milestones": D("0.30"),
        "occupancy": D("0.20"),
    }


def test_weights_that_do_not_add_up_to_one_are_refused_with_the_total():
    with pytest.raises(InvalidWeights, match=r"add up to exactly 1; these add up to 0\.9"):
        Weights(D("0.3"), D("0.2"), D("0.2"), D("0.2"))


def test_a_negative_weight_is_refused():
    with pytest.raises(InvalidWeights, match="cannot be negative"):
        Weights(D("1.2"), D("-0.2"), D("0"), D("0"))


# --- digest and changes -----------------------------------------------------------------------


def test_the_digest_ignores_how_a_decimal_is_written_but_not_its_value():
    a = inputs(area_acres=D("1000.00"), done_weight=D("1.0"), active_weight=D("2"))
    b = inputs(area_acres=D("1000"), done_weight=D("1"), active_weight=D("2.00"))
    c = inputs(area_acres=D("1000.01"), done_weight=D("1"), active_weight=D("2"))

    assert rules.inputs_digest(a, DEFAULT_WEIGHTS) == rules.inputs_digest(b, DEFAULT_WEIGHTS)
    assert rules.inputs_digest(a, DEFAULT_WEIGHTS) != rules.inputs_digest(c, DEFAULT_WEIGHTS)


def test_the_digest_changes_with_the_profile():
    other = Weights(D("0.25"), D("0.25"), D("0.25"), D("0.25"), version=2)

    assert rules.inputs_digest(inputs(), DEFAULT_WEIGHTS) != rules.inputs_digest(inputs(), other)


def _describe(before: ReadinessInputs, after: ReadinessInputs, version=1, previous_version=1):
    def components(data):
        return {k: str(v) for k, v in compute_readiness(data).components().items()}

    return rules.describe_changes(
        previous_inputs=before.as_json(),
        previous_components=components(before),
        previous_version=previous_version,
        inputs=after.as_json(),
        components=components(after),
        version=version,
    )


def test_changes_name_the_component_and_the_input_that_moved_it():
    before = only_electricity("planned")
    after = only_electricity("connected")

    changes = _describe(before, after)

    assert set(changes) == {"utilities"}
    assert changes["utilities"]["before"] == "0.0250"
    assert changes["utilities"]["after"] == "0.2500"
    assert changes["utilities"]["inputs"] == {
        "electricity": {
            "before": {"status": "planned", "required": None, "available": None},
            "after": {"status": "connected", "required": None, "available": None},
        }
    }


def test_an_area_change_shows_under_land_and_occupancy():
    changes = _describe(
        inputs(area_acres=D("1000"), allotted_acres=D("100")),
        inputs(area_acres=D("2000"), allotted_acres=D("100")),
    )

    assert set(changes) == {"land", "occupancy"}
    assert changes["occupancy"]["inputs"] == {"area_acres": {"before": "1000", "after": "2000"}}


def test_a_profile_change_is_recorded():
    changes = _describe(inputs(), inputs(), version=2, previous_version=1)

    assert changes == {"profile_version": {"before": 1, "after": 2}}


def test_the_first_snapshot_has_no_changes():
    result = compute_readiness(inputs())
    changes = rules.describe_changes(
        previous_inputs=None,
        previous_components=None,
        previous_version=None,
        inputs=inputs().as_json(),
        components={k: str(v) for k, v in result.components().items()},
        version=1,
    )

    assert changes == {}


# --- the pure module and the models agree on the vocabulary -----------------------------------


def test_the_scoring_vocabulary_matches_the_models():
    assert set(rules.UTILITY_STATUS_VALUES) == set(UtilityStatus.values)
    assert set(CORE_UTILITY_KINDS) < set(UtilityKind.values)
    assert set(OPEN_DISPUTE_STATUSES) < set(DisputeStatus.values)
    assert set(LAND_HOLDING_FIRM_STATUSES) < set(FirmStatus.values)
    assert rules.UTILITY_STATUS_VALUES == SPEC_STATUS_VALUES
