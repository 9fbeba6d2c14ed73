"""Announced vs delivered from the database: delivered figures summed from the records, the
demo bundle's real targets, the importer's targets sheet, the finder's and API's delivery."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from aggregates.services import aggregates_refresh
from delivery import rules
from delivery.inputs import (
    DELIVERY_SHARE,
    delivery_inputs,
    export_markets,
    with_delivery_share,
    zone_deliveries,
    zone_delivery,
)
from tests.factories import FirmFactory, MilestoneFactory, TargetFactory, ZoneFactory
from zones.importer import BundleError, import_bundle, read_bundle
from zones.models import Target, Zone

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 30)
DEMO = Path(settings.BASE_DIR) / "demo_data"


def test_delivered_sums_what_firms_holding_land_report():
    zone = ZoneFactory()
    TargetFactory(zone=zone, metric="jobs", value=Decimal("1000"))
    FirmFactory(zone=zone, status="operating", jobs_actual=150, investment_usd=Decimal("10"))
    FirmFactory(zone=zone, status="under_construction", jobs_actual=50, exports_usd=Decimal("7"))
    FirmFactory(zone=zone, status="allotted", jobs_actual=None, is_illustrative=True)
    FirmFactory(zone=zone, status="withdrawn", jobs_actual=400, investment_usd=Decimal("99"))
    FirmFactory(zone=zone, status="interested", jobs_actual=300, exports_usd=Decimal("99"))
    aggregates_refresh()

    (result,) = zone_deliveries(Zone.objects.all(), today=TODAY, include_illustrative=True)

    assert result.delivered.jobs == 200
    assert result.delivered.jobs_reported == 2
    assert result.delivered.investment_usd == Decimal("10")
    assert result.delivered.exports_usd == Decimal("7")
    assert result.delivered.firms_operating == 1
    assert result.delivered.illustrative_firms == 1
    assert result.promise("jobs").share == pytest.approx(0.2)


def test_illustrative_firms_count_only_when_asked_for():
    zone = ZoneFactory()
    TargetFactory(zone=zone, metric="jobs", value=Decimal("1000"))
    FirmFactory(zone=zone, status="operating", jobs_actual=150)
    FirmFactory(zone=zone, status="operating", jobs_actual=600, is_illustrative=True)
    aggregates_refresh()

    (real,) = zone_deliveries(Zone.objects.all(), today=TODAY)
    (demo,) = zone_deliveries(Zone.objects.all(), today=TODAY, include_illustrative=True)

    assert (real.delivered.jobs, real.delivered.firms_operating) == (150, 1)
    assert real.delivered.illustrative_firms == 0
    assert (demo.delivered.jobs, demo.delivered.firms_operating) == (750, 2)


def test_only_zones_with_a_target_are_held_against_one_but_every_zone_delivers():
    targeted, untargeted = ZoneFactory(), ZoneFactory()
    TargetFactory(zone=targeted, value=Decimal("100"))
    FirmFactory(zone=targeted, jobs_actual=10)
    FirmFactory(zone=untargeted, jobs_actual=30)
    aggregates_refresh()

    results = zone_deliveries(Zone.objects.all(), today=TODAY)

    assert [r.slug for r in results] == [targeted.slug]
    assert delivery_inputs(Zone.objects.all()).everywhere.jobs == 40


def test_a_completion_date_reads_the_named_milestone_of_the_same_zone():
    zone, other = ZoneFactory(), ZoneFactory()
    MilestoneFactory(zone=zone, code="power_at_zero_point", actual_date=datetime.date(2024, 1, 10))
    MilestoneFactory(zone=other, code="power_at_zero_point", actual_date=datetime.date(2020, 1, 1))
    TargetFactory(
        zone=zone,
        metric="completion_date",
        value=None,
        target_date=datetime.date(2021, 12, 31),
        milestone_code="power_at_zero_point",
    )

    promise = zone_delivery(zone, today=TODAY).promises[0]

    assert promise.delivered_on == datetime.date(2024, 1, 10)
    assert promise.days_late == 740
    assert promise.status == rules.MET_LATE


def test_the_inputs_of_many_zones_take_a_fixed_number_of_queries():
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            zone_deliveries(Zone.objects.all(), today=TODAY)
        return len(captured)

    def add_zone():
        zone = ZoneFactory()
        TargetFactory(zone=zone)
        TargetFactory(zone=zone, announced_on=datetime.date(2024, 1, 1))
        TargetFactory(
            zone=zone, metric="completion_date", value=None, milestone_code="m",
            target_date=datetime.date(2024, 1, 1),
        )  # fmt: skip
        MilestoneFactory(zone=zone, code="m")
        FirmFactory(zone=zone)

    add_zone()
    aggregates_refresh()
    few = queries()
    for _ in range(5):
        add_zone()
    aggregates_refresh()

    assert queries() == few == 4


def test_export_markets_count_firms_holding_land_and_their_earliest_allotment():
    zone = ZoneFactory()
    FirmFactory(
        zone=zone,
        export_markets=["US", "GB"],
        allotted_on=datetime.date(2019, 3, 1),
        exports_usd=Decimal("100"),
    )
    FirmFactory(
        zone=zone,
        export_markets=["US"],
        allotted_on=datetime.date(2016, 5, 1),
        exports_usd=None,
        status="under_construction",
    )
    FirmFactory(zone=zone, export_markets=["DE"], status="interested")
    FirmFactory(zone=zone, export_markets=["CN"], allotted_on=None, exports_usd=Decimal("5"))
    FirmFactory(zone=ZoneFactory(), export_markets=["FR"])  # fmt: skip
    aggregates_refresh()

    markets = export_markets(Zone.objects.filter(pk=zone.pk))

    assert [(m.market, m.firms, m.exports_usd, m.first_year) for m in markets] == [
        ("US", 2, Decimal("100"), 2016),
        ("CN", 1, Decimal("5"), None),
        ("GB", 1, Decimal("100"), 2019),
    ]


def test_the_sql_delivery_share_matches_the_computed_one():
    for index, (target, jobs) in enumerate([(1000, 500), (2000, 100), (0, 10), (None, 5)]):
        zone = ZoneFactory()
        if target is not None:
            TargetFactory(zone=zone, value=Decimal("1"), announced_on=datetime.date(2020, 1, 1))
            TargetFactory(zone=zone, value=Decimal(target), announced_on=datetime.date(2022, 1, 1))
        FirmFactory(zone=zone, jobs_actual=jobs)
        FirmFactory(zone=zone, jobs_actual=1000 * index, status="withdrawn")
    aggregates_refresh()

    computed = {d.zone_id: d.delivery_share for d in zone_deliveries(Zone.objects.all())}
    annotated = dict(with_delivery_share(Zone.objects.all()).values_list("pk", DELIVERY_SHARE))

    unknown = {pk for pk, share in annotated.items() if share is None}
    assert unknown == {pk for pk in annotated if computed.get(pk) is None}
    assert len(unknown) == 2  # a zero target and no jobs target
    known = {pk: share for pk, share in annotated.items() if share is not None}
    assert known == pytest.approx({pk: computed[pk] for pk in known})
    assert sorted(known.values()) == pytest.approx([0.05, 0.5])


def _zone_with_share(name, target, jobs):
    zone = ZoneFactory(name=name)
    if target:
        TargetFactory(zone=zone, value=Decimal(target))
    FirmFactory(zone=zone, jobs_actual=jobs)
    return zone


@pytest.fixture
def ranked_zones():
    return [
        _zone_with_share("Alpha", 1000, 100),  # 10 %
        _zone_with_share("Bravo", None, 900),  # no jobs target
        _zone_with_share("Charlie", 100, 50),  # 50 %
        _zone_with_share("Delta", 1000, 10),  # 1 %
    ]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-delivery", ["charlie", "alpha", "delta", "bravo"]),
        ("delivery", ["delta", "alpha", "charlie", "bravo"]),
    ],
)
def test_the_finder_and_the_api_sort_by_delivery_with_untargeted_zones_last(
    client, ranked_zones, sort, expected
):
    names = {zone.slug: zone.name.lower() for zone in ranked_zones}

    api = client.get("/api/zones/", {"sort": sort}).json()
    page = client.get("/zones/", {"sort": sort}).content.decode()

    assert [names[z["slug"]] for z in api["results"]] == expected
    positions = [page.index(f'href="/zones/{slug}/"') for slug in names]
    by_position = [names[slug] for _p, slug in sorted(zip(positions, names, strict=True))]
    assert by_position == expected
    assert "Delivery (jobs vs target)" in page


def test_the_api_detail_gives_each_current_target_against_what_was_delivered(client):
    zone = ZoneFactory(slug="rashakai")
    TargetFactory(zone=zone, value=Decimal("200000"), announced_on=datetime.date(2021, 1, 16))
    TargetFactory(zone=zone, value=Decimal("320000"), announced_on=datetime.date(2023, 7, 21))
    FirmFactory(zone=zone, jobs_actual=32000)

    body = client.get("/api/zones/rashakai/").json()

    jobs = body["delivery"]["promises"][0]
    assert body["delivery"]["share"] == pytest.approx(0.1)
    assert jobs["metric"] == "jobs"
    assert jobs["current"]["value"] == 320000
    assert [s["value"] for s in jobs["history"]] == [200000, 320000]
    assert jobs["delivered"] == 32000
    assert jobs["gap"] == 288000
    assert jobs["status"] == "no_deadline"
    assert {t["announced_on"] for t in body["targets"]} == {"2021-01-16", "2023-07-21"}


# --- The demo bundle's real targets ----------------------------------------------------------


def _rows(sheet: str) -> list[dict]:
    with (DEMO / f"{sheet}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("include_illustrative", [False, True])
def test_demo_delivery_shares_match_the_bundle_computed_by_hand(include_illustrative):
    call_command("seed_demo")
    aggregates_refresh()
    active = {"allotted", "under_construction", "operating"}
    expected = {}
    for metric, column in (("jobs", "jobs_actual"), ("investment_usd", "investment_usd")):
        latest: dict[str, dict] = {}
        for row in _rows("targets"):
            if row["metric"] == metric and (
                row["zone"] not in latest
                or row["announced_on"] > latest[row["zone"]]["announced_on"]
            ):
                latest[row["zone"]] = row
        for slug, row in latest.items():
            delivered = sum(
                Decimal(firm[column] or 0)
                for firm in _rows("firms")
                if firm["zone"] == slug
                and firm["status"] in active
                and (include_illustrative or firm["illustrative"] == "false")
            )
            expected[(slug, metric)] = float(delivered / Decimal(row["value"]))

    results = {
        d.slug: d
        for d in zone_deliveries(Zone.objects.all(), include_illustrative=include_illustrative)
    }

    computed = {(slug, metric): results[slug].promise(metric).share for slug, metric in expected}
    assert computed == pytest.approx(expected)
    rashakai = results["rashakai"].promise("investment_usd")
    assert (rashakai.current.value, rashakai.delivered) == (
        Decimal("400000000"),
        # Century Steel's US$50m is real; the other US$26m came from illustrative firms
        Decimal("76000000") if include_illustrative else Decimal("50000000"),
    )
    assert len(results["rashakai"].promise("jobs").history) == 4
    assert all(s.source_url for d in results.values() for p in d.promises for s in p.history)


# --- The targets sheet --------------------------------------------------------------------------

HEADER = ["zone", "metric", "announced_on", "value", "target_date", "announced_by",
          "source_url", "milestone"]  # fmt: skip


def import_targets(tmp_path, *rows):
    ZoneFactory(slug="rashakai")
    folder = tmp_path / "bundle"
    folder.mkdir(exist_ok=True)
    with (folder / "targets.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return import_bundle(read_bundle(folder))


def refused(tmp_path, *rows) -> list[str]:
    with pytest.raises(BundleError) as excinfo:
        import_targets(tmp_path, *rows)
    assert not Target.objects.exists()
    return [str(error) for error in excinfo.value.errors]


def test_restated_targets_are_each_kept_and_the_latest_is_current(tmp_path):
    rows = [
        ["rashakai", "jobs", "2021-01-16", "200000", "", "BOI", "https://a.example/1", ""],
        ["rashakai", "jobs", "2023-07-21", "320000", "", "Officials", "https://a.example/2", ""],
        ["rashakai", "jobs", "2022-06-16", "200000", "", "KPEZDMC", "https://a.example/3", ""],
    ]
    import_targets(tmp_path, *rows)
    again = import_bundle(read_bundle(tmp_path / "bundle"))

    assert Target.objects.count() == 3
    assert again.counts["targets"].unchanged == 3
    promise = zone_delivery(Zone.objects.get(slug="rashakai"), today=TODAY).promise("jobs")
    assert promise.current.source_url == "https://a.example/2"
    assert [s.announced_on.year for s in promise.history] == [2021, 2022, 2023]


def test_a_target_without_its_source_is_refused(tmp_path):
    errors = refused(
        tmp_path,
        ["rashakai", "jobs", "2021-01-16", "200000", "", "BOI", "https://a.example/1", ""],
        ["rashakai", "investment_usd", "2021-01-16", "2130000000", "", "BOI", "", ""],
    )

    assert errors == ["targets:3: source_url: This field is required."]


def test_a_completion_date_needs_the_date_and_the_milestone_promised(tmp_path):
    errors = refused(
        tmp_path,
        ["rashakai", "completion_date", "2021-08-05", "", "", "PD", "https://a.example", ""],
    )

    assert errors == [
        "targets:2: target_date: A completion-date target needs the date promised.",
        "targets:2: milestone: Name the milestone (its code) whose completion was promised.",
    ]


def test_a_quantity_target_needs_its_value(tmp_path):
    errors = refused(
        tmp_path,
        ["rashakai", "jobs", "2021-08-05", "", "2025-01-01", "PD", "https://a.example", ""],
    )

    assert errors == ["targets:2: value: This target needs the value promised."]


def test_statements_and_milestones_read_in_the_page_language_with_the_english_fallback():
    zone = ZoneFactory()
    MilestoneFactory(zone=zone, code="groundbreaking", title="Groundbreaking", title_ur="سنگ بنیاد")
    TargetFactory(
        zone=zone,
        metric="completion_date",
        value=None,
        target_date=datetime.date(2024, 1, 1),
        milestone_code="groundbreaking",
        notes="Said at the launch",
        notes_ur="",
    )

    def read(language):
        with translation.override(language):
            (inputs,) = delivery_inputs(Zone.objects.all()).zones
        (statement,) = inputs.statements
        return inputs.delivered.milestones["groundbreaking"].title, statement.notes

    assert read("en") == ("Groundbreaking", "Said at the launch")
    assert read("ur") == ("سنگ بنیاد", "Said at the launch")
    assert read("zh-hans") == ("Groundbreaking", "Said at the launch")
