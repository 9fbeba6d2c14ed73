"""The database keeps each zone's allotted acres (zones.models.ZoneAllotment) through
triggers on the firms table: every way of writing firms leaves it equal to the sum over the
firms that hold land, and free land is read from it."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from investors.models import Firm
from tests.factories import FirmFactory, ZoneFactory
from zones import services
from zones.models import Zone, ZoneAllotment
from zones.selectors import with_free_land
from zones.vocabulary import LAND_HOLDING_FIRM_STATUSES, FirmStatus, sql_in

pytestmark = pytest.mark.django_db
D = Decimal


def stored(zone: Zone) -> Decimal:
    row = ZoneAllotment.objects.filter(zone=zone).first()
    return row.allotted_acres if row else D(0)


def summed(zone: Zone) -> Decimal:
    firms = Firm.objects.filter(zone=zone)
    return sum(
        (f.allotted_acres or D(0) for f in firms if f.status in LAND_HOLDING_FIRM_STATUSES), D(0)
    )


def test_only_firms_that_hold_land_count():
    zone = ZoneFactory()
    for number, status in enumerate(FirmStatus, start=1):
        FirmFactory(zone=zone, status=status, allotted_acres=D(10**number))

    expected = sum(
        D(10**n) for n, s in enumerate(FirmStatus, start=1) if s in LAND_HOLDING_FIRM_STATUSES
    )
    assert stored(zone) == expected == summed(zone)


def test_saves_status_changes_moves_and_deletes_are_followed():
    first, second = ZoneFactory(), ZoneFactory()
    loom = FirmFactory(zone=first, allotted_acres=D("12.50"))
    FirmFactory(zone=first, allotted_acres=D("7.25"))
    assert stored(first) == D("19.75")

    loom.status = FirmStatus.WITHDRAWN
    loom.save()
    assert stored(first) == D("7.25")

    loom.status = FirmStatus.OPERATING
    loom.allotted_acres = D("30")
    loom.zone = second
    loom.save()
    assert (stored(first), stored(second)) == (D("7.25"), D("30"))

    loom.delete()
    assert stored(second) == D(0)


def test_bulk_writes_that_send_no_signal_are_followed():
    zones = [ZoneFactory() for _ in range(3)]
    Firm.objects.bulk_create(
        Firm(
            zone=zone, name=f"Bulk {n}", origin_country="CN", ownership="foreign",
            status="allotted", allotted_acres=D(n + 1),
        )
        for n, zone in enumerate(zones * 2)
    )  # fmt: skip
    assert [stored(z) for z in zones] == [D(5), D(7), D(9)]

    Firm.objects.filter(zone=zones[0]).update(status="interested")
    Firm.objects.filter(zone=zones[1]).update(allotted_acres=D("1.5"))
    Firm.objects.filter(zone=zones[2], name="Bulk 2").delete()
    with connection.cursor() as cursor:  # as COPY and other programs would
        cursor.execute(
            "UPDATE investors_firm SET allotted_acres = allotted_acres + 1 WHERE zone_id = %s",
            [zones[2].pk],
        )

    assert [stored(z) for z in zones] == [D(0), D(3), D(7)]
    assert [stored(z) for z in zones] == [summed(z) for z in zones]


def test_deleting_a_zone_with_firms_deletes_its_allotment():
    zone = ZoneFactory()
    FirmFactory(zone=zone)

    zone.delete()

    assert not ZoneAllotment.objects.exists()
    assert not Firm.objects.exists()


def test_free_land_is_area_minus_the_stored_allotment():
    zone = ZoneFactory(area_acres=D("100"))
    unknown = ZoneFactory(area_acres=None)
    empty = ZoneFactory(area_acres=D("40"))
    FirmFactory(zone=zone, allotted_acres=D("35.5"))
    FirmFactory(zone=unknown)

    free = dict(with_free_land(Zone.objects.all()).values_list("slug", "free_land_acres"))

    assert free == {zone.slug: D("64.50"), unknown.slug: None, empty.slug: D("40")}


@pytest.mark.django_db
def test_the_installed_triggers_and_the_nightly_recount_use_the_vocabularys_rule():
    """ "Holds land" is written once, in zones.vocabulary; the SQL is generated from it."""
    from zones import services

    held = sql_in(LAND_HOLDING_FIRM_STATUSES)
    assert held == "('allotted', 'under_construction', 'operating')"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.proname, p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid"
            " WHERE t.tgrelid = 'investors_firm'::regclass AND NOT t.tgisinternal"
            " AND p.proname LIKE %s",
            ["%zone_allotment%"],
        )
        sources = dict(cursor.fetchall())
    writers = {name: src for name, src in sources.items() if "truncate" not in name}
    assert len(writers) == 3  # insert, update, delete
    for name, source in writers.items():
        assert f"status IN {held}" in source, name
        assert source.count("status IN (") == source.count(f"status IN {held}"), name
    assert f"status IN {held}" in services._RECOUNT_ALLOTMENTS


def test_sql_in_refuses_anything_but_vocabulary_codes():
    with pytest.raises(ValueError):
        sql_in(["allotted', 'x"])
    with pytest.raises(ValueError):
        sql_in([])


@pytest.mark.django_db(transaction=True)
def test_truncating_the_firms_empties_the_allotments():
    FirmFactory(allotted_acres=D("12"))

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE investors_firm CASCADE")

    assert not ZoneAllotment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_transactions_adding_firms_to_one_zone_both_count():
    """A recount in the second transaction could not see the first's uncommitted firm and
    would overwrite its total when both commit; the triggers add deltas instead."""
    zone = ZoneFactory()
    first_wrote = threading.Event()
    errors = []

    def add(name: str, acres: str, *, hold: bool) -> None:
        try:
            with transaction.atomic():
                FirmFactory(zone=zone, name=name, allotted_acres=D(acres))
                if hold:
                    first_wrote.set()
                    time.sleep(0.5)  # the second transaction's statement runs meanwhile
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    first = threading.Thread(target=add, args=("First", "10"), kwargs={"hold": True})
    first.start()
    first_wrote.wait(5)
    second = threading.Thread(target=add, args=("Second", "5"), kwargs={"hold": False})
    second.start()
    first.join()
    second.join()

    assert errors == []
    assert stored(zone) == D("15") == summed(zone)


def test_the_nightly_check_corrects_drift_and_flags_the_zones():
    drifted, missing, right = ZoneFactory(), ZoneFactory(), ZoneFactory()
    for zone in (drifted, missing, right):
        FirmFactory(zone=zone, allotted_acres=D("20"))
    Zone.objects.update(readiness_stale=False)
    ZoneAllotment.objects.filter(zone=drifted).update(allotted_acres=D("999"))
    ZoneAllotment.objects.filter(zone=missing).delete()

    corrected = services.reconcile_allotments()

    assert corrected == sorted([drifted.pk, missing.pk])
    assert [stored(z) for z in (drifted, missing, right)] == [D("20")] * 3
    assert set(Zone.objects.filter(readiness_stale=True).values_list("pk", flat=True)) == set(
        corrected
    )
    assert services.reconcile_allotments() == []
