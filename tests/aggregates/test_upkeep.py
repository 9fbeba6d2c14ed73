"""How the aggregate tables stay current: a real worker catches up after a burst of edits;
a refresh that fails half-way changes nothing and leaves its zones to the next run; the
nightly rebuild repairs what was missed and logs it as drift, but not the day's figures
moving overnight."""

from __future__ import annotations

import datetime
import logging
import re
import threading

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from aggregates import services
from aggregates.models import AggregateRun, FirmTally, PendingZone, ProvinceFirmTally
from aggregates.services import (
    aggregates_rebuild,
    aggregates_refresh,
    aggregates_refresh_uncommitted,
)
from dashboards import plot_selectors
from dashboards.returns_selectors import returns_figures
from dashboards.selectors import Whole
from investors.models import Firm
from tests.aggregates.figures import assert_rollups_hold_their_zone_rows, check
from tests.conftest import wait_for
from tests.factories import (
    AnnualReturnFactory,
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    PlotFactory,
    ProvinceFactory,
    UtilityFactory,
    UtilityRequestFactory,
    ZoneFactory,
)
from zones.models import Milestone, Province, Zone
from zones.vocabulary import FirmStatus, MilestoneStatus, PlotStatus, RequestKind, RequestStatus


def operating(zone: Zone) -> int:
    """The operating firms the dashboards count in ``zone`` (from its tally rows)."""
    rows = FirmTally.objects.filter(zone=zone, status=FirmStatus.OPERATING, is_illustrative=False)
    return sum(rows.values_list("firms", flat=True))


@pytest.mark.worker
def test_after_a_burst_of_edits_the_worker_brings_every_figure_up_to_date(
    celery_worker_process,
):
    zones = [ZoneFactory() for _ in range(3)]
    firms = [FirmFactory(zone=zones[n % 3], status=FirmStatus.ALLOTTED) for n in range(6)]
    MilestoneFactory(zone=zones[0], status=MilestoneStatus.IN_PROGRESS)
    DisputeFactory(zone=zones[1])
    UtilityFactory(zone=zones[2])
    runs_before = AggregateRun.objects.count()
    # Twelve edits, each its own transaction, as twelve saves from the workspace would be.
    for firm in firms:
        firm.status = FirmStatus.OPERATING
        firm.save()
    firms[0].zone = zones[2]  # a firm moved: both zones change
    firms[0].save()
    Milestone.objects.filter(zone=zones[0]).first().delete()
    for n in range(5):
        MilestoneFactory(zone=zones[1], code=f"burst-{n}", planned_date=datetime.date(2020, 1, 1))

    try:
        wait_for(lambda: not PendingZone.objects.exists(), timeout=60)
    except AssertionError:
        print(celery_worker_process.log())
        raise
    today = timezone.localdate()
    for include in (False, True):
        check(Zone.objects.all(), include, today)
    assert [operating(zone) for zone in zones] == [1, 2, 3]
    # Edits close together are counted together: fewer refreshes than edits.
    assert 1 <= AggregateRun.objects.count() - runs_before < 13


@pytest.fixture
def failing_utility_tallies():
    """A fault in the database: writing utility tally rows fails, as a crash half-way
    through a refresh would (the firm rows are rewritten before them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION test_refuse_row() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'disk full'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER test_refuse BEFORE INSERT ON aggregates_utilitytally "
            "FOR EACH ROW EXECUTE FUNCTION test_refuse_row()"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS test_refuse ON aggregates_utilitytally")
        cursor.execute("DROP FUNCTION test_refuse_row()")


@pytest.mark.django_db
def test_a_refresh_that_fails_half_way_changes_nothing_and_the_rebuild_repairs_it(
    failing_utility_tallies, caplog
):
    zone = ZoneFactory()
    firm = FirmFactory(zone=zone, status=FirmStatus.ALLOTTED)
    aggregates_rebuild()  # counted: no utilities yet, so nothing hits the fault
    firm.status = FirmStatus.OPERATING
    firm.save()
    UtilityFactory(zone=zone)

    with pytest.raises(DatabaseError, match="disk full"), transaction.atomic():
        aggregates_refresh_uncommitted()

    # The firm rows written before the failure were rolled back with it: still allotted.
    assert operating(zone) == 0
    assert PendingZone.objects.filter(zone_id=zone.pk).exists()
    with connection.cursor() as cursor:  # the fault is mended; the night comes
        cursor.execute("DROP TRIGGER test_refuse ON aggregates_utilitytally")
    with caplog.at_level(logging.INFO, logger="aggregates.services"):
        summary = aggregates_rebuild()

    assert operating(zone) == 1
    check(Zone.objects.all(), False, timezone.localdate())
    assert not PendingZone.objects.exists()
    # A zone left pending is caught up, not drift: nothing was missed, only delayed.
    assert summary.drift_zones == 0
    assert "no drift" in caplog.text


@pytest.mark.django_db
def test_the_rebuild_repairs_writes_that_bypassed_the_signals_and_logs_them(caplog):
    zones = [ZoneFactory() for _ in range(3)]
    for zone in zones:
        FirmFactory(zone=zone, status=FirmStatus.ALLOTTED)
    aggregates_refresh()
    # A bulk update sends no signal: the tallies do not know of it.
    Firm.objects.filter(zone=zones[1]).update(status=FirmStatus.OPERATING)
    assert operating(zones[1]) == 0

    with caplog.at_level(logging.WARNING, logger="aggregates.services"):
        summary = aggregates_rebuild()

    assert operating(zones[1]) == 1
    assert summary.drift_zones == 1
    assert summary.drift["FirmTally"] == 1
    assert "corrected the rows of 1 zones" in caplog.text
    run = AggregateRun.objects.latest()
    assert (run.kind, run.drift_zones, run.zones) == ("rebuild", 1, 3)


@pytest.mark.django_db
def test_the_rebuild_corrects_a_province_rollup_that_no_longer_holds_its_zone_rows(caplog):
    zone = ZoneFactory()
    FirmFactory(zone=zone, status=FirmStatus.OPERATING)
    aggregates_refresh()
    # A rollup row the refreshes got wrong (a fault, a write by hand).
    ProvinceFirmTally.objects.filter(status=FirmStatus.OPERATING).update(firms=F("firms") + 1)

    with caplog.at_level(logging.WARNING, logger="aggregates.services"):
        summary = aggregates_rebuild()

    assert (summary.drift_zones, summary.drift["ProvinceFirmTally"]) == (0, 1)
    assert "'ProvinceFirmTally': 1" in caplog.text
    assert_rollups_hold_their_zone_rows()
    assert not any(aggregates_rebuild().drift.values())


@pytest.mark.django_db
def test_the_days_figures_moving_overnight_are_recounted_but_are_not_drift():
    today = timezone.localdate()
    zone = ZoneFactory()
    FirmFactory(zone=zone, status=FirmStatus.ALLOTTED, allotted_on=today)
    MilestoneFactory(zone=zone, planned_date=today + datetime.timedelta(days=1))
    aggregates_rebuild(today=today)
    assert FirmTally.objects.get(zone=zone).idle == 0

    summary = aggregates_rebuild(today=today + datetime.timedelta(days=400))

    assert FirmTally.objects.get(zone=zone).idle == 1
    assert summary.drift_zones == 0
    check(Zone.objects.all(), False, today + datetime.timedelta(days=400))


@pytest.mark.django_db
def test_an_edit_flags_its_zone_until_the_refresh_and_the_dashboard_says_so(client):
    zone = ZoneFactory(name="Flagged Zone")
    FirmFactory(zone=zone)
    assert list(PendingZone.objects.values_list("zone_id", flat=True)) == [zone.pk]
    aggregates_refresh_uncommitted()  # the worker's catch-up
    assert operating(zone) == 1
    # An edit committed whose refresh has not run (the broker was down, say): the dashboard
    # says what it is still counting.
    PendingZone.objects.create(zone_id=zone.pk)
    page = client.get("/").content.decode()
    assert "Totals brought up to date at" in page
    assert "The latest edits to 1 zone are still being counted." in page
    # A moment ends its sentence in "a.m." or "p.m." without a second period.
    assert not re.search(r"[ap]\.m\.\.", page)

    aggregates_refresh()
    page = client.get("/").content.decode()
    assert "Totals brought up to date at" in page
    assert "still being counted" not in page


def plot_and_returns_figures(zones, whole, include: bool, today: datetime.date) -> tuple:
    """The plot and returns figures a dashboard of ``zones`` reads, from the province rollups
    (``whole``) or from the zones' own rows (None)."""
    provinces = list(Province.objects.all())
    read = {"include_illustrative": include, "whole": whole}
    return (
        plot_selectors.allocation_by_province(zones, provinces, **read),
        plot_selectors.idle_plots(zones, by="province", provinces=provinces, today=today, **read),
        plot_selectors.clock_by_provider(zones, today=today, **read),
        returns_figures(zones, net_fx_zones=4, **read),
    )


@pytest.mark.django_db
def test_the_province_rollups_follow_zones_that_move_close_or_go():
    today = timezone.localdate()
    days = datetime.timedelta(days=1)
    punjab, sindh = ProvinceFactory(code="PK-PB"), ProvinceFactory(code="PK-SD")
    moving, closing, staying = (ZoneFactory(province=punjab) for _ in range(3))
    for n, zone in enumerate((moving, closing, staying)):
        firm = FirmFactory(zone=zone, status=FirmStatus.OPERATING)
        MilestoneFactory(zone=zone, planned_date=datetime.date(2020, 1, 1))
        DisputeFactory(zone=zone, affected_acres=None)
        UtilityFactory(zone=zone)
        PlotFactory(
            zone=zone, status=PlotStatus.ALLOTTED, firm=firm, allotted_on=today - 500 * days
        )
        UtilityRequestFactory(
            zone=zone,
            firm=firm,
            kind=RequestKind.ELECTRICITY,
            provider="LESCO",
            status=RequestStatus.CONNECTED,
            applied_on=today - 100 * days,
            connected_on=today - (90 - 10 * n) * days,
        )
        AnnualReturnFactory(firm=firm, year=2022 + n, export_markets=["CN"], exports_usd=n)

    def public_pages_agree():
        aggregates_refresh_uncommitted(today=today)
        assert_rollups_hold_their_zone_rows()
        published = Zone.objects.filter(published=True)
        for whole, shown in [(Whole(), published)] + [
            (Whole(code), published.filter(province__code=code)) for code in ("PK-PB", "PK-SD")
        ]:
            check(shown, False, today, whole=whole)
            # The plot and returns figures of the public's pages, from the rollups and
            # from the zones' own rows (checked against the records elsewhere), agree.
            for include in (False, True):
                assert plot_and_returns_figures(shown, whole, include, today) == (
                    plot_and_returns_figures(shown, None, include, today)
                )

    public_pages_agree()
    moving.province = sindh
    moving.save()
    FirmFactory(zone=moving, status=FirmStatus.ALLOTTED)
    public_pages_agree()
    closing.published = False
    closing.save()
    public_pages_agree()
    moving.delete()
    public_pages_agree()
    assert operating(staying) == 1


@pytest.mark.django_db(transaction=True)
def test_a_refresh_waits_for_the_nightly_rebuild_and_then_counts_its_edit():
    """The rebuild writes sums it computed a statement earlier: a refresh committed in between
    would be undone until the next night. So a refresh waits while the rebuild runs."""
    zone = ZoneFactory()
    firm = FirmFactory(zone=zone, status=FirmStatus.ALLOTTED)  # counted at once (committed)
    # An edit whose refresh has not run yet: the firm now operating, its zone pending.
    Firm.objects.filter(pk=firm.pk).update(status=FirmStatus.OPERATING)
    PendingZone.objects.create(zone_id=zone.pk)
    rebuild_running, rebuild_done = threading.Event(), threading.Event()

    def the_rebuild_at_work():
        try:
            with transaction.atomic():
                services._take_turn(alone=True)
                rebuild_running.set()
                rebuild_done.wait(10)
        finally:
            connection.close()

    def a_refresh():
        try:
            aggregates_refresh(zone_ids=[zone.pk])
        finally:
            connection.close()

    rebuild = threading.Thread(target=the_rebuild_at_work)
    rebuild.start()
    assert rebuild_running.wait(10)
    refresh = threading.Thread(target=a_refresh)
    refresh.start()
    refresh.join(timeout=1)
    waited = refresh.is_alive()
    counted_meanwhile = operating(zone)
    rebuild_done.set()
    rebuild.join(10)
    refresh.join(10)

    assert waited and counted_meanwhile == 0
    assert not refresh.is_alive() and operating(zone) == 1
