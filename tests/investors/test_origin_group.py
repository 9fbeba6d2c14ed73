"""The origin group is one rule (zones.vocabulary.ORIGIN_GROUP_RULES), read the same way by
Python (a firm's page, the API) and by SQL (the dashboards' grouping)."""

from __future__ import annotations

import itertools

import pytest

from investors.models import Firm
from tests.factories import FirmFactory, ZoneFactory
from zones.vocabulary import OriginGroup, Ownership, origin_group


@pytest.mark.django_db
def test_sql_and_python_put_every_firm_in_the_same_origin_group():
    zone = ZoneFactory()
    for ownership, country in itertools.product(Ownership.values, ["PK", "CN", "TR", "AE"]):
        FirmFactory(zone=zone, ownership=ownership, origin_country=country)

    grouped = Firm.objects.with_origin_group().values_list(
        "ownership", "origin_country", "origin_group_code"
    )

    assert len(grouped) == 12
    for ownership, country, code in grouped:
        assert code == origin_group(ownership, country).value


def test_the_rule_as_domain_md_states_it():
    assert origin_group("joint_venture", "CN") == OriginGroup.JOINT_VENTURE
    assert origin_group("domestic", "PK") == OriginGroup.PAKISTANI
    assert origin_group("foreign", "CN") == OriginGroup.CHINESE
    assert origin_group("foreign", "TR") == OriginGroup.OTHER_FOREIGN
