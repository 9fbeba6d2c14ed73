"""The zones' own words in Urdu and Chinese: English is the source and the fallback."""

import pytest
from django.db import connection
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from investors.models import Firm
from tests.factories import FirmFactory, MilestoneFactory, ZoneFactory
from tests.zones.test_importer import BUNDLE, write_csv_bundle
from zones.history import zone_history
from zones.importer import BundleError, import_bundle, read_bundle
from zones.models import Milestone, Zone

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
    entries = zone_history(zone=zone, internal=True)
    changes = [change for entry in entries for change in entry.changes]
    assert any(change.new == "دھابیجی خصوصی اقتصادی زون" for change in changes)


def _zone_page(client, zone, prefix: str = "") -> str:
    response = client.get(f"{prefix}/zones/{zone.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_zone_page_shows_the_translation_and_marks_the_english_fallback(client):
    zone = ZoneFactory(
        name="Rashakai SEZ",
        name_zh_hans="拉沙卡伊经济特区",
        description="Along the M-1 motorway.",
        description_zh_hans="位于M-1高速公路沿线。",
    )
    chinese = _zone_page(client, zone, "/zh-hans")
    assert "<h1>拉沙卡伊经济特区</h1>" in chinese
    assert "位于M-1高速公路沿线。" in chinese
    # No Urdu yet: the English name is shown, marked as English and left-to-right.
    urdu = _zone_page(client, zone, "/ur")
    assert '<h1><span lang="en" dir="ltr">Rashakai SEZ</span></h1>' in urdu
    assert '<span lang="en" dir="ltr">Along the M-1 motorway.</span>' in urdu
    # English pages need no markup.
    assert "<h1>Rashakai SEZ</h1>" in _zone_page(client, zone)


def test_a_chinese_page_marks_a_missing_milestone_title_as_english_without_changing_direction(
    client,
):
    zone = ZoneFactory(name="Bostan SEZ", name_zh_hans="博斯坦经济特区")
    MilestoneFactory(zone=zone, title="Groundbreaking")
    page = _zone_page(client, zone, "/zh-hans")
    assert '<span lang="en">Groundbreaking</span>' in page
    assert 'dir="ltr">Groundbreaking' not in page


def test_the_finder_and_compare_show_names_in_the_page_language(client):
    translated = ZoneFactory(name="Dhabeji SEZ", name_zh_hans="达贝吉经济特区")
    untranslated = ZoneFactory(name="Bostan SEZ")
    finder = client.get("/zh-hans/zones/").content.decode()
    assert ">达贝吉经济特区</a>" in finder
    assert '<span lang="en">Bostan SEZ</span></a>' in finder
    compare = client.get(
        "/zh-hans/zones/compare/", {"zone": [translated.slug, untranslated.slug]}
    ).content.decode()
    assert ">达贝吉经济特区</a>" in compare
    assert '<span lang="en">Bostan SEZ</span></a>' in compare


def test_the_text_search_matches_a_name_in_any_of_the_three_languages(client):
    rashakai = ZoneFactory(
        name="Rashakai SEZ", name_ur="رشکئی خصوصی اقتصادی زون", name_zh_hans="拉沙卡伊经济特区"
    )
    ZoneFactory(name="Bostan SEZ")

    def found(prefix: str, q: str) -> list[str]:
        response = client.get(f"{prefix}/zones/", {"q": q})
        return [zone.slug for zone in response.context["zones"]]

    assert found("", "拉沙卡伊") == [rashakai.slug]  # Chinese words on the English page
    assert found("/zh-hans", "رشکئی") == [rashakai.slug]
    assert found("/ur", "rashakai") == [rashakai.slug]  # English on the Urdu page
    api = client.get("/api/zones/", {"q": "拉沙卡伊"}).json()
    assert [zone["slug"] for zone in api["results"]] == [rashakai.slug]


def test_names_sort_as_the_reader_sees_them(client):
    ZoneFactory(name="Alpha SEZ", name_zh_hans="乙区")
    ZoneFactory(name="Beta SEZ", name_zh_hans="甲区")
    ZoneFactory(name="Gamma SEZ")
    response = client.get("/zh-hans/zones/", {"sort": "name"})
    shown = [zone.name for zone in response.context["zones"]]
    assert shown == ["Gamma SEZ", *sorted(["乙区", "甲区"])]  # Latin sorts before Han


def test_the_api_speaks_the_language_asked_for_with_every_translation_on_detail(client):
    zone = ZoneFactory(
        name="Rashakai SEZ",
        name_ur="رشکئی خصوصی اقتصادی زون",
        name_zh_hans="拉沙卡伊经济特区",
        description="Along the M-1 motorway.",
    )
    MilestoneFactory(zone=zone, code="groundbreaking", title="Groundbreaking", title_ur="سنگ بنیاد")
    url = f"/api/zones/{zone.slug}/"

    english = client.get(url)
    assert english.json()["name"] == "Rashakai SEZ"
    urdu = client.get(url, headers={"Accept-Language": "ur"})
    assert urdu["Content-Language"] == "ur"
    assert urdu.json()["name"] == "رشکئی خصوصی اقتصادی زون"
    assert urdu.json()["milestones"][0]["title"] == "سنگ بنیاد"
    assert urdu.json()["description"] == "Along the M-1 motorway."  # falls back to English
    chinese = client.get(url, headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}).json()
    assert chinese["name"] == "拉沙卡伊经济特区"
    assert chinese["milestones"][0]["title"] == "Groundbreaking"
    assert chinese["translations"] == {
        "en": {"name": "Rashakai SEZ", "description": "Along the M-1 motorway."},
        "ur": {"name": "رشکئی خصوصی اقتصادی زون", "description": None},
        "zh-hans": {"name": "拉沙卡伊经济特区", "description": None},
    }
    listed = client.get("/api/zones/", headers={"Accept-Language": "zh-hans"}).json()
    assert listed["results"][0]["name"] == "拉沙卡伊经济特区"
    # A language we do not speak gets English.
    assert client.get(url, headers={"Accept-Language": "fr"}).json()["name"] == "Rashakai SEZ"


def test_the_openapi_schema_describes_the_translations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    translations = schema["components"]["schemas"]["ZoneDetail"]["properties"]["translations"]
    assert set(translations["properties"]) == {"en", "ur", "zh-hans"}
    assert translations["properties"]["ur"]["properties"]["name"]["nullable"] is True


def test_a_bundle_imports_the_translation_columns_and_leaves_them_when_absent(tmp_path):
    bundle = {name: [list(row) for row in rows] for name, rows in BUNDLE.items()}
    bundle["zones"][0] += ["name_ur", "name_zh_hans", "description_zh_hans"]
    bundle["zones"][1] += ["رشکئی خصوصی اقتصادی زون", "拉沙卡伊经济特区", "位于M-1高速公路沿线。"]
    bundle["zones"][2] += ["", "", ""]
    bundle["milestones"][0].append("title_ur")
    bundle["milestones"][1].append("ترقیاتی معاہدہ")
    bundle["milestones"][2].append("")
    with translation.override("ur"):  # an Urdu workspace page: the English still lands in English
        import_bundle(read_bundle(write_csv_bundle(tmp_path / "first", bundle)))

    rashakai = Zone.objects.get(slug="rashakai")
    assert rashakai.name_en == "Rashakai SEZ"
    assert rashakai.name_ur == "رشکئی خصوصی اقتصادی زون"
    assert rashakai.name_zh_hans == "拉沙卡伊经济特区"
    assert rashakai.description_zh_hans == "位于M-1高速公路沿线。"
    assert _stored_name(rashakai) == "Rashakai SEZ"
    assert Zone.objects.get(slug="bostan").name_ur is None  # an empty cell: not translated
    titles = dict(Milestone.objects.values_list("code", "title_ur"))
    assert titles == {"development_agreement": "ترقیاتی معاہدہ", "power_at_zero_point": None}

    # The bundle without the columns changes nothing: the translations stay.
    report = import_bundle(read_bundle(write_csv_bundle(tmp_path / "second", BUNDLE)))
    assert report.counts["zones"].unchanged == 2
    assert Zone.objects.get(slug="rashakai").name_zh_hans == "拉沙卡伊经济特区"


def test_a_translation_too_long_is_refused_with_its_column(tmp_path):
    bundle = {name: [list(row) for row in rows] for name, rows in BUNDLE.items()}
    bundle["zones"][0].append("name_zh_hans")
    bundle["zones"][1].append("区" * 201)
    bundle["zones"][2].append("")
    with pytest.raises(BundleError) as refused:
        import_bundle(read_bundle(write_csv_bundle(tmp_path / "bundle", bundle)))
    assert any(str(error).startswith("zones:2: name_zh_hans:") for error in refused.value.errors)
    assert not Zone.objects.exists()
