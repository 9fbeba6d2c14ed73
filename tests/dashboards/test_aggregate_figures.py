"""Property: the dashboards' annual returns figures and readiness over time, read from the
aggregate tables, equal the same figures computed here from the records, on random
countries (real and illustrative records, all zones or a subset, both illustrative
settings).

The returns' oracle is ``investors.return_rules`` (the pure reference) on the records of the
zones asked about; the readiness oracle replays every snapshot in Python."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aggregates.services import aggregates_refresh
from dashboards import readiness_selectors
from dashboards.returns_selectors import returns_figures
from dashboards.selectors import Whole
from investors import return_rules
from investors.models import AnnualReturn
from investors.return_rules import ReturnRecord
from tests.factories import AnnualReturnFactory, FirmFactory, ZoneFactory
from zones.models import ReadinessSnapshot, Zone, counted_q

pytestmark = pytest.mark.django_db

PROVINCES = ("PK-PB", "PK-SD", "PK-KP")
MARKETS = ("CN", "AE", "GB", "SA")
PROPERTY = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def a_return(draw) -> dict:
    employees = draw(st.none() | st.integers(0, 500))
    within = st.none() | st.integers(0, employees or 0)
    money = st.none() | st.integers(0, 10_000).map(Decimal)
    return {
        "year": draw(st.integers(2019, 2024)),
        "is_illustrative": draw(st.booleans()),
        "employees": employees,
        "employees_local": draw(within) if employees is not None else None,
        "employees_women": draw(within) if employees is not None else None,
        "employees_trained": draw(within) if employees is not None else None,
        "exports_usd": draw(money),
        "imports_usd": draw(money),
        "export_markets": draw(st.lists(st.sampled_from(MARKETS), max_size=3, unique=True)),
    }


zone_strategy = st.fixed_dictionaries(
    {
        "province": st.sampled_from(PROVINCES),
        "is_illustrative": st.booleans(),
        "published": st.booleans(),
        # Each firm's returns, one per year.
        "firms": st.lists(
            st.lists(a_return(), max_size=3, unique_by=lambda r: r["year"]), max_size=3
        ),
    }
)


def record(row: dict) -> ReturnRecord:
    fields = {f.name for f in dataclasses.fields(ReturnRecord)}
    values = {k: v for k, v in row.items() if k in fields}
    return ReturnRecord(**{**values, "export_markets": tuple(row["export_markets"])})


def latest(records: list[ReturnRecord]) -> return_rules.YearFigures:
    years = return_rules.yearly_figures(records)
    return dataclasses.replace(years[max(years)], new_markets=())


def zones_asked(ids: list[int], subset: list[bool], include_illustrative: bool):
    """The zones a page shows: a filtered subset (or all), counted as the page counts them."""
    chosen = [pk for pk, keep in zip(ids, subset, strict=False) if keep] or ids
    return Zone.objects.filter(counted_q(include_illustrative=include_illustrative), pk__in=chosen)


@given(
    zones=st.lists(zone_strategy, min_size=1, max_size=4),
    subset=st.lists(st.booleans(), min_size=4, max_size=4),
    drawn=st.integers(0, 5),
)
@PROPERTY
def test_returns_figures_from_the_aggregates_equal_the_reference_on_the_records(
    zones, subset, drawn
):
    with transaction.atomic():
        records: dict[int, list[tuple[bool, ReturnRecord]]] = {}
        provinces: dict[int, str] = {}
        for data in zones:
            zone = ZoneFactory(
                province__code=data["province"],
                is_illustrative=data["is_illustrative"],
                published=data["published"],
            )
            provinces[zone.pk] = data["province"]
            records[zone.pk] = []
            for returns in data["firms"]:
                firm = FirmFactory(zone=zone)
                for row in returns:
                    AnnualReturnFactory(firm=firm, **row)
                    records[zone.pk].append((row["is_illustrative"], record(row)))
        aggregates_refresh()  # the worker's catch-up

        for include in (False, True):
            asked = zones_asked(list(records), subset, include)
            counted = {
                pk: [r for illustrative, r in records[pk] if include or not illustrative]
                for pk in asked.values_list("pk", flat=True)
            }
            counted = {pk: rows for pk, rows in counted.items() if rows}
            found = returns_figures(
                asked, include_illustrative=include, net_fx_zones=drawn, most_employees=drawn
            )

            every = [r for rows in counted.values() for r in rows]
            assert found.years == return_rules.yearly_figures(every)
            # Only the zones the charts draw come back: the largest earners and spenders of
            # foreign exchange and the zones with most employees, ties to the lower id.
            zones_latest = {pk: latest(rows) for pk, rows in counted.items()}
            with_net = sorted(
                (pk for pk, f in zones_latest.items() if f.net_foreign_exchange_usd is not None),
                key=lambda pk: (-zones_latest[pk].net_foreign_exchange_usd, pk),
            )
            spenders = sorted(
                with_net, key=lambda pk: (zones_latest[pk].net_foreign_exchange_usd, -pk)
            )
            employers = sorted(
                zones_latest, key=lambda pk: (-(zones_latest[pk].employees or 0), pk)
            )
            chosen = {*with_net[: drawn // 2], *spenders[: drawn - drawn // 2], *employers[:drawn]}
            assert found.zones == {pk: zones_latest[pk] for pk in sorted(chosen)}
            assert found.zones_reporting == len(zones_latest)
            assert found.zones_with_net == len(with_net)
            by_province: dict[str, list[ReturnRecord]] = {}
            for pk, rows in counted.items():
                by_province.setdefault(provinces[pk], []).extend(rows)
            assert found.provinces == {code: latest(rows) for code, rows in by_province.items()}

            # The public's unfiltered pages pick the rows by their zones' flags, no join: the
            # same figures as the zones' own rows (checked against the records above).
            drawn_zones = {"net_fx_zones": drawn, "most_employees": drawn}
            for code in (None, PROVINCES[0]):
                shown = Zone.objects.filter(counted_q(include_illustrative=include), published=True)
                shown = shown.filter(province__code=code) if code else shown
                assert returns_figures(
                    shown, include_illustrative=include, whole=Whole(code), **drawn_zones
                ) == returns_figures(shown, include_illustrative=include, **drawn_zones)
        transaction.set_rollback(True)


def test_the_public_pages_returns_forget_a_year_and_a_market_whose_returns_have_gone():
    """The province rollups keep a row at 0 when its returns go: the year is no longer a
    year of the page, a field no remaining return gives is unknown again (not 0), and a
    market's first year is that of the returns still listing it."""
    with transaction.atomic():
        firm = FirmFactory(zone=ZoneFactory(province__code="PK-PB"))
        first = AnnualReturnFactory(
            firm=firm, year=2022, employees_trained=5, export_markets=["CN", "DE"]
        )
        AnnualReturnFactory(firm=firm, year=2023, export_markets=["CN"])
        AnnualReturnFactory(
            firm=FirmFactory(zone=firm.zone), year=2023, employees_trained=7, export_markets=[]
        )
        aggregates_refresh()
        whole = returns_figures(Zone.objects.all(), whole=Whole())
        assert list(whole.years) == [2022, 2023]
        assert whole.provinces["PK-PB"].trained == 7

        first.delete()
        AnnualReturn.objects.filter(year=2023, export_markets=[]).delete()
        aggregates_refresh()
        whole = returns_figures(Zone.objects.all(), whole=Whole())
        assert whole == returns_figures(Zone.objects.all())
        assert list(whole.years) == [2023]
        assert whole.years[2023].new_markets == ("CN",)
        assert whole.provinces["PK-PB"].trained is None
        transaction.set_rollback(True)


START = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)

snapshot_strategy = st.tuples(
    st.integers(0, 3),  # which zone
    st.sampled_from(["0", "12.5", "40", "40.1", "77.7", "100"]),  # score
    st.integers(0, 6),  # which moment, of a span drawn per example
)


def period_start(moment: datetime.datetime, unit: str) -> datetime.date:
    day = moment.astimezone(datetime.UTC).date()  # the database session's day (UTC)
    if unit == "day":
        return day
    if unit == "week":
        return day - datetime.timedelta(days=day.weekday())
    return day.replace(day=1)


def next_start(start: datetime.date, unit: str) -> datetime.date:
    if unit == "day":
        return start + datetime.timedelta(days=1)
    if unit == "week":
        return start + datetime.timedelta(days=7)
    return (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def history_oracle(snapshots, groups: dict[int, str]) -> dict[str, list[tuple]]:
    """For each group, (period start, mean of its zones' latest scores by the period's end
    rounded to 1 place, zones scored) for every period from the first to the last snapshot
    of all the zones, where some zone of the group has a score."""
    if not snapshots:
        return {}
    times = [at for _zone, _score, at, _pk in snapshots]
    span = max(times) - min(times)
    unit = (
        "day"
        if span <= datetime.timedelta(days=62)
        else "week"
        if span <= datetime.timedelta(days=730)
        else "month"
    )
    start, last = period_start(min(times), unit), period_start(max(times), unit)
    result: dict[str, list[tuple]] = {}
    while start <= last:
        end = next_start(start, unit)
        latest_by_zone: dict[int, tuple] = {}
        for zone, score, at, pk in snapshots:
            if period_start(at, unit) < end and (at, pk) >= latest_by_zone.get(zone, (at, pk))[:2]:
                latest_by_zone[zone] = (at, pk, score)
        for group in sorted(set(groups.values())):
            scores = [s for z, (_at, _pk, s) in latest_by_zone.items() if groups[z] == group]
            if scores:
                mean = round(float(sum(scores) / len(scores)), 1)
                result.setdefault(group, []).append((start, mean, len(scores)))
        start = end
    return result


@given(
    snapshots=st.lists(snapshot_strategy, max_size=10),
    span_days=st.sampled_from([1, 20, 90, 900]),
    provinces=st.lists(st.sampled_from(PROVINCES), min_size=4, max_size=4),
    illustrative=st.lists(st.booleans(), min_size=4, max_size=4),
    subset=st.lists(st.booleans(), min_size=4, max_size=4),
)
@PROPERTY
def test_readiness_history_from_the_aggregates_equals_a_replay_of_the_snapshots(
    snapshots, span_days, provinces, illustrative, subset
):
    with transaction.atomic():
        zones = [
            ZoneFactory(province__code=code, is_illustrative=flag)
            for code, flag in zip(provinces, illustrative, strict=True)
        ]
        written = []
        for which, score, moment in snapshots:
            at = START + datetime.timedelta(hours=moment * span_days * 4)
            snapshot = ReadinessSnapshot.objects.create(
                zone=zones[which], score=Decimal(score), utilities=0, land=0, milestones=0,
                occupancy=0, weights={}, profile_version=1, computed_at=at, inputs_digest="x",
            )  # fmt: skip
            written.append((zones[which].pk, Decimal(score), at, snapshot.pk))
        aggregates_refresh()  # the worker's catch-up

        for include in (False, True):
            asked = zones_asked([z.pk for z in zones], subset, include)
            ids = set(asked.values_list("pk", flat=True))
            mine = [s for s in written if s[0] in ids]
            for by in ("all", "province"):
                groups = {
                    z.pk: (z.province_id if by == "province" else "") for z in zones if z.pk in ids
                }
                found = readiness_selectors.readiness_history(asked, by=by)
                drawn = {
                    series.key: list(zip(series.periods, series.means, series.zones, strict=True))
                    for series in found
                }
                assert drawn == history_oracle(mine, groups)
        transaction.set_rollback(True)


def test_a_readiness_recompute_flags_the_zones_it_scored():
    """Snapshots are written in bulk: the recompute's event, not a model signal, tells the
    aggregates, and the history follows once they caught up."""
    from aggregates.models import PendingZone
    from readiness.events import readiness_recomputed

    zone = ZoneFactory()
    ReadinessSnapshot.objects.bulk_create(
        [
            ReadinessSnapshot(
                zone=zone, score=Decimal("55"), utilities=0, land=0, milestones=0, occupancy=0,
                weights={}, profile_version=1, computed_at=timezone.now(), inputs_digest="x",
            )
        ]
    )  # fmt: skip
    assert not readiness_selectors.readiness_history(Zone.objects.all(), by="all")

    readiness_recomputed.send(sender=Zone, zone_ids=[zone.pk])
    assert PendingZone.objects.filter(zone_id=zone.pk).exists()
    aggregates_refresh()
    (series,) = readiness_selectors.readiness_history(Zone.objects.all(), by="all")
    assert series.means == [55.0]
