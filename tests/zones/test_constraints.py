"""The database itself refuses what must never be stored, whatever code path writes it."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from investors.models import Firm
from tests.factories import (
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    TargetFactory,
    UtilityFactory,
    ZoneFactory,
)
from zones.models import Milestone, UtilityConnection, Zone
from zones.vocabulary import UtilityKind

pytestmark = pytest.mark.django_db


def _refused(model, pk, **values):
    """Write ``values`` with a bare UPDATE (no model validation) and expect the DB to refuse."""
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**values)


def test_seven_provinces_are_seeded_with_iso_codes():
    from zones.models import Province

    assert set(Province.objects.values_list("code", flat=True)) == {
        "PK-PB", "PK-SD", "PK-KP", "PK-BA", "PK-GB", "PK-JK", "PK-IS",
    }  # fmt: skip


def test_one_utility_record_per_zone_and_kind():
    utility = UtilityFactory(kind=UtilityKind.GAS)

    with pytest.raises(IntegrityError), transaction.atomic():
        UtilityFactory(zone=utility.zone, kind=UtilityKind.GAS)


@pytest.mark.parametrize(
    "values",
    [
        {"area_acres": Decimal("-1")},
        {"latitude": Decimal("91")},
        {"latitude": Decimal("-90.5")},
        {"longitude": Decimal("180.5")},
        {"status": "imaginary"},
    ],
)
def test_zone_refuses_out_of_range_values(values):
    zone = ZoneFactory()
    _refused(Zone, zone.pk, **values)


def test_utility_refuses_negative_capacity():
    utility = UtilityFactory()
    _refused(UtilityConnection, utility.pk, available_capacity=Decimal("-5"))


def test_milestone_weight_must_be_positive():
    milestone = MilestoneFactory()
    _refused(Milestone, milestone.pk, weight=Decimal("0"))


def test_dispute_cannot_be_resolved_before_it_was_opened():
    dispute = DisputeFactory(opened_on=datetime.date(2020, 5, 1))
    _refused(type(dispute), dispute.pk, resolved_on=datetime.date(2020, 4, 30))


def test_dispute_refuses_negative_acres():
    dispute = DisputeFactory()
    _refused(type(dispute), dispute.pk, affected_acres=Decimal("-3"))


@pytest.mark.parametrize(
    "values",
    [
        {"investment_usd": Decimal("-1")},
        {"allotted_acres": Decimal("-0.5")},
        {"exports_usd": Decimal("-10")},
        {"origin_country": "cn"},
        {"ownership": "partly"},
    ],
)
def test_firm_refuses_bad_values(values):
    firm = FirmFactory()
    _refused(Firm, firm.pk, **values)


def test_target_needs_a_source_and_a_value_or_date():
    target = TargetFactory()
    _refused(type(target), target.pk, source_url="")
    _refused(type(target), target.pk, value=None, target_date=None)


def test_model_validation_gives_a_readable_message_for_constraints():
    dispute = DisputeFactory.build(
        zone=ZoneFactory(),
        opened_on=datetime.date(2021, 1, 1),
        resolved_on=datetime.date(2020, 1, 1),
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        dispute.full_clean()

    assert "cannot be resolved before it was opened" in str(excinfo.value)
