"""The dashboards' headline figures and charts read the aggregate tables; for random records
they equal the same figures computed here, in Python, from the records themselves, for real
records only and with illustrative ones, over every zone and over a filtered few."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aggregates.services import aggregates_refresh_uncommitted
from dashboards.selectors import Whole
from tests.aggregates.figures import check
from tests.factories import (
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    ProvinceFactory,
    UtilityFactory,
    ZoneFactory,
)
from zones.models import Zone
from zones.vocabulary import (
    DisputeStatus,
    FirmStatus,
    MilestoneStatus,
    Ownership,
    ResponsibleLevel,
    UtilityKind,
    UtilityStatus,
)

TODAY = datetime.date(2025, 6, 1)
ZONES = 4
day = st.integers(min_value=-900, max_value=300).map(lambda d: TODAY + datetime.timedelta(days=d))
maybe_day = st.none() | day
money = st.none() | st.integers(min_value=0, max_value=10**7).map(Decimal)

firms = st.lists(
    st.fixed_dictionaries(
        {
            "zone": st.integers(0, ZONES - 1),
            "status": st.sampled_from(FirmStatus.values),
            "origin_country": st.sampled_from(["PK", "CN", "TR"]),
            "ownership": st.sampled_from(Ownership.values),
            "allotted_on": maybe_day,
            "jobs_actual": st.none() | st.integers(0, 5000),
            "exports_usd": money,
            "investment_usd": money,
            "is_illustrative": st.booleans(),
        }
    ),
    max_size=12,
)
milestones = st.lists(
    st.fixed_dictionaries(
        {
            "zone": st.integers(0, ZONES - 1),
            "responsible": st.sampled_from(ResponsibleLevel.values),
            "status": st.sampled_from(MilestoneStatus.values),
            "baseline_date": maybe_day,
            "planned_date": maybe_day,
            "actual_date": maybe_day,
            "is_illustrative": st.booleans(),
        }
    ),
    max_size=12,
)
utilities = st.dictionaries(
    st.tuples(st.integers(0, ZONES - 1), st.sampled_from(UtilityKind.values)),
    st.tuples(st.sampled_from(UtilityStatus.values), st.booleans()),
    max_size=8,
)
disputes = st.lists(
    st.fixed_dictionaries(
        {
            "zone": st.integers(0, ZONES - 1),
            "status": st.sampled_from(DisputeStatus.values),
            "affected_acres": st.none() | st.integers(0, 900).map(Decimal),
            "is_illustrative": st.booleans(),
        }
    ),
    max_size=6,
)


@pytest.mark.django_db
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(firms=firms, milestones=milestones, utilities=utilities, disputes=disputes)
def test_dashboard_figures_from_the_tallies_equal_those_from_the_records(
    firms, milestones, utilities, disputes
):
    savepoint = transaction.savepoint()
    try:
        provinces = [ProvinceFactory(code="PK-PB"), ProvinceFactory(code="PK-SD")]
        # Zone 2 is illustrative, zone 3 not published.
        zones = [
            ZoneFactory(province=provinces[n % 2], is_illustrative=n == 2, published=n != 3)
            for n in range(ZONES)
        ]
        for n, spec in enumerate(firms):
            FirmFactory(zone=zones[spec.pop("zone")], name=f"Firm {n}", **spec)
        for n, spec in enumerate(milestones):
            MilestoneFactory(zone=zones[spec.pop("zone")], code=f"m-{n}", **spec)
        for (zone, kind), (status, illustrative) in utilities.items():
            UtilityFactory(zone=zones[zone], kind=kind, status=status, is_illustrative=illustrative)
        for spec in disputes:
            DisputeFactory(zone=zones[spec.pop("zone")], **spec)
        # The worker catches up, counting the day's figures as of TODAY.
        aggregates_refresh_uncommitted(today=TODAY)

        for include in (False, True):
            check(Zone.objects.all(), include, TODAY)
            check(Zone.objects.filter(province__code="PK-PB"), include, TODAY)
            check(Zone.objects.filter(pk=zones[1].pk), include, TODAY)
            # The public's unfiltered pages: the province rollups of the published zones.
            shown = Zone.objects.filter(
                published=True, **({} if include else {"is_illustrative": False})
            )
            check(shown, include, TODAY, whole=Whole())
            check(shown.filter(province__code="PK-SD"), include, TODAY, whole=Whole("PK-SD"))
    finally:
        transaction.savepoint_rollback(savepoint)
