"""Property: what "announced vs delivered" reads from the aggregate tables (delivered figures,
export markets, the finder's delivery share) equals the same figures computed here from the
records, for random firms and annual returns over a few zones, real and illustrative, for
both illustrative settings and for a subset of the zones.

The reference reads the records back (the database's triggers give a firm its latest
return's jobs, exports and markets) and sums them in Python; it shares no code with
``delivery.inputs`` or ``aggregates``."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aggregates.services import aggregates_refresh
from delivery.inputs import DELIVERY_SHARE, delivery_inputs, export_markets, with_delivery_share
from investors.models import AnnualReturn, Firm
from tests.factories import AnnualReturnFactory, FirmFactory, TargetFactory, ZoneFactory
from zones.models import Target, Zone
from zones.vocabulary import FirmStatus

pytestmark = pytest.mark.django_db

HOLDING = {"allotted", "under_construction", "operating"}
MARKETS = ["CN", "US", "GB", "AE"]

markets = st.lists(st.sampled_from(MARKETS), max_size=4)  # repeats allowed: counted once
amount = st.none() | st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False)
annual_return = st.fixed_dictionaries(
    {
        "year": st.integers(2018, 2024),
        "is_illustrative": st.booleans(),
        "employees": st.none() | st.integers(0, 500),
        "exports_usd": amount,
        "export_markets": markets,
    }
)
firm = st.fixed_dictionaries(
    {
        "status": st.sampled_from(list(FirmStatus.values)),
        "is_illustrative": st.booleans(),
        "jobs_actual": st.none() | st.integers(0, 900),
        "investment_usd": amount,
        "exports_usd": amount,
        "allotted_on": st.none() | st.dates(datetime.date(2015, 1, 1), datetime.date(2024, 12, 31)),
        "export_markets": markets,
        "returns": st.lists(annual_return, max_size=2, unique_by=lambda r: r["year"]),
    }
)
zone = st.fixed_dictionaries(
    {
        "is_illustrative": st.booleans(),
        # Jobs targets, announced on distinct days: the latest is the current one.
        "targets": st.lists(st.integers(0, 3000), max_size=2),
        "firms": st.lists(firm, max_size=4),
    }
)


def create_country(zones: list[dict]) -> list[int]:
    ids = []
    for index, spec in enumerate(zones):
        made = ZoneFactory(is_illustrative=spec["is_illustrative"])
        ids.append(made.pk)
        for day, value in enumerate(spec["targets"]):
            TargetFactory(
                zone=made, value=Decimal(value), announced_on=datetime.date(2020, 1, 1 + day)
            )
        for number, fields in enumerate(spec["firms"]):
            fields = dict(fields)
            returns = fields.pop("returns")
            made_firm = FirmFactory(zone=made, name=f"Firm {index}.{number}", **fields)
            for reported in returns:
                AnnualReturnFactory(firm=made_firm, **reported)
    return ids


# --- The reference: the records read back and summed here ------------------------------------


def counted(record: dict, include_illustrative: bool) -> bool:
    return include_illustrative or not record["is_illustrative"]


def firms_holding_land(zone_ids: set[int], include_illustrative: bool) -> list[dict]:
    return [
        f
        for f in Firm.objects.filter(zone_id__in=zone_ids).values()
        if f["status"] in HOLDING and counted(f, include_illustrative)
    ]


def delivered(firms: list[dict]) -> dict:
    def reported(field):
        return [f[field] for f in firms if f[field] is not None]

    return {
        "jobs": sum(reported("jobs_actual")),
        "jobs_reported": len(reported("jobs_actual")),
        "investment_usd": sum(reported("investment_usd"), Decimal(0)),
        "investment_reported": len(reported("investment_usd")),
        "exports_usd": sum(reported("exports_usd"), Decimal(0)),
        "exports_reported": len(reported("exports_usd")),
        "firms_operating": sum(f["status"] == "operating" for f in firms),
        "illustrative_firms": sum(f["is_illustrative"] for f in firms),
    }


def as_dict(figures) -> dict:
    return {name: getattr(figures, name) for name in delivered([])}


def markets_reference(zone_ids: set[int], include_illustrative: bool) -> list[tuple]:
    returns = [r for r in AnnualReturn.objects.values() if counted(r, include_illustrative)]
    found: dict[str, dict] = {}
    for f in firms_holding_land(zone_ids, include_illustrative):
        for market in set(f["export_markets"]):
            listed = [
                r["year"]
                for r in returns
                if r["firm_id"] == f["id"] and market in r["export_markets"]
            ]
            year = min(listed) if listed else (f["allotted_on"].year if f["allotted_on"] else None)
            entry = found.setdefault(market, {"firms": 0, "exports": [], "years": []})
            entry["firms"] += 1
            if f["exports_usd"] is not None:
                entry["exports"].append(f["exports_usd"])
            if year is not None:
                entry["years"].append(year)
    rows = [
        (
            market,
            e["firms"],
            sum(e["exports"], Decimal(0)) if e["exports"] else None,
            min(e["years"], default=None),
        )
        for market, e in found.items()
    ]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def share_reference(zone_id: int, include_illustrative: bool) -> float | None:
    current = Target.objects.filter(zone_id=zone_id, metric="jobs").order_by("-announced_on")
    target = current.values_list("value", flat=True).first()
    if not target:
        return None
    jobs = delivered(firms_holding_land({zone_id}, include_illustrative))["jobs"]
    return float(jobs) / float(target)


# --- The property ---------------------------------------------------------------------------


def check(zone_ids: set[int], include_illustrative: bool) -> None:
    zones = Zone.objects.filter(pk__in=zone_ids)
    shown = {
        pk
        for pk, illustrative in zones.values_list("pk", "is_illustrative")
        if include_illustrative or not illustrative
    }
    read = delivery_inputs(zones, include_illustrative=include_illustrative)

    targeted = {pk for pk in shown if Target.objects.filter(zone_id=pk).exists()}
    assert {z.zone_id for z in read.zones} == targeted
    for inputs in read.zones:
        expected = delivered(firms_holding_land({inputs.zone_id}, include_illustrative))
        assert as_dict(inputs.delivered) == expected
    assert as_dict(read.everywhere) == delivered(firms_holding_land(shown, include_illustrative))

    facts = export_markets(zones, include_illustrative=include_illustrative)
    assert [(m.market, m.firms, m.exports_usd, m.first_year) for m in facts] == (
        markets_reference(zone_ids, include_illustrative)
    )

    shares = dict(
        with_delivery_share(zones, include_illustrative=include_illustrative).values_list(
            "pk", DELIVERY_SHARE
        )
    )
    expected_shares = {pk: share_reference(pk, include_illustrative) for pk in zone_ids}
    assert {pk for pk, s in shares.items() if s is None} == {
        pk for pk, s in expected_shares.items() if s is None
    }
    assert {pk: s for pk, s in shares.items() if s is not None} == pytest.approx(
        {pk: s for pk, s in expected_shares.items() if s is not None}
    )


@given(zones=st.lists(zone, min_size=1, max_size=3), subset=st.data())
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_delivery_read_from_the_aggregates_equals_the_records(zones, subset):
    with transaction.atomic():
        ids = create_country(zones)
        aggregates_refresh()  # the worker's catch-up after the commit
        some = set(subset.draw(st.lists(st.sampled_from(ids), min_size=1, unique=True)))
        for zone_ids in ({*ids}, some):
            for include_illustrative in (False, True):
                check(zone_ids, include_illustrative)
        transaction.set_rollback(True)
