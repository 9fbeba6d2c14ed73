"""The zones' own words in Urdu and Chinese: English is the source and the fallback."""

import pytest
from django.db import connection
from django.utils import translation

from investors.models import Firm
from tests.factories import FirmFactory, ZoneFactory
from zones.history import zone_history
from zones.models import Zone

pytestmark = pytest.mark.django_db


def _stored_name(zone: Zone) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM zones_zone WHERE id = %s", [zone.pk])
        return cursor.fetchone()[0]


def test_a_zone_reads_in_the_active_language_and_falls_back_to_english():
    zone = ZoneFactory(name="Rashakai SEZ", description="A zone on the motorway.")
    zone.name_zh_hans = "拉沙卡伊经济特区"
    zone.save()
    zone = Zone.objects.get(pk=zone.pk)
    with translation.override("zh-hans"):
        assert zone.name == "拉沙卡伊经济特区"
        assert zone.description == "A zone on the motorway."  # no Chinese description yet
    with translation.override("ur"):
        assert zone.name == "Rashakai SEZ"
    assert zone.name == "Rashakai SEZ"


def test_saving_a_zone_from_an_urdu_page_keeps_the_english_text_as_the_source():
    zone = ZoneFactory(name="Bostan SEZ")
    with translation.override("ur"):
        zone.name_ur = "بوستان خصوصی اقتصادی زون"
        zone.save()
    # Other apps' joins and exports read the original column: still English.
    assert _stored_name(zone) == "Bostan SEZ"
    FirmFactory(zone=zone)
    assert Firm.objects.values_list("zone__name", flat=True).get() == "Bostan SEZ"


def test_a_translation_shows_in_the_zone_history():
    zone = ZoneFactory(name="Dhabeji SEZ")
    zone.name_ur = "دھابیجی خصوصی اقتصادی زون"
    zone.save()
    entries = zone_history(zone=zone)
    changes = [change for entry in entries for change in entry.changes]
    assert any(change.new == "دھابیجی خصوصی اقتصادی زون" for change in changes)
