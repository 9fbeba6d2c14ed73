import pytest
from django.core.management import call_command

from investors.models import Firm
from zones.models import Milestone, Target, Zone

pytestmark = pytest.mark.django_db

CPEC_PRIORITY_ZONES = {
    "rashakai": "PK-KP",
    "dhabeji": "PK-SD",
    "allama-iqbal-industrial-city": "PK-PB",
    "bostan": "PK-BA",
    "mirpur": "PK-JK",
    "mohmand-marble-city": "PK-KP",
    "moqpondass": "PK-GB",
    "ict-model-industrial-zone": "PK-IS",
    "pakistan-steel-mills-industrial-park": "PK-SD",
}


@pytest.fixture
def seeded():
    call_command("seed_demo")


def test_the_nine_cpec_priority_zones_are_present_in_their_provinces(seeded):
    priority = dict(Zone.objects.filter(cpec_priority=True).values_list("slug", "province_id"))

    assert priority == CPEC_PRIORITY_ZONES


def test_every_researched_zone_keeps_its_source_and_approximate_coordinates(seeded):
    zones = Zone.objects.all()

    assert zones.count() >= 30
    assert not zones.filter(source_url="").exists()
    assert not zones.filter(is_illustrative=True).exists()
    located = zones.exclude(latitude=None)
    assert located.exists()
    assert set(located.values_list("coordinate_precision", flat=True)) == {"approximate"}


def test_invented_records_are_flagged_illustrative_and_sourced_ones_are_not(seeded):
    assert Firm.objects.filter(is_illustrative=True).exists()
    assert not Firm.objects.filter(is_illustrative=False, source_url="").exists()
    assert not Milestone.objects.filter(is_illustrative=False, source_url="").exists()
    assert not Target.objects.filter(source_url="").exists()


def test_seeding_twice_changes_nothing(seeded, capsys):
    counts = (Zone.objects.count(), Firm.objects.count(), Milestone.objects.count())
    capsys.readouterr()

    call_command("seed_demo")

    assert (Zone.objects.count(), Firm.objects.count(), Milestone.objects.count()) == counts
    assert "0 created, 0 updated" in capsys.readouterr().out


def test_illustrative_records_are_badged_on_the_zone_page(seeded, client):
    zone = Firm.objects.filter(is_illustrative=True).select_related("zone").first().zone

    response = client.get(zone.get_absolute_url())

    assert response.status_code == 200
    assert 'class="badge illustrative"' in response.content.decode()


def test_the_priority_zones_have_urdu_names_and_the_rest_fall_back_visibly(seeded, client):
    urdu = dict(Zone.objects.values_list("slug", "name_ur"))
    assert all(urdu[slug] for slug in CPEC_PRIORITY_ZONES)
    assert urdu["challenge-fashion"] is None  # no settled rendering: left to fall back
    chinese = client.get("/zh-hans/zones/rashakai/").content.decode()
    assert "<h1>拉沙卡伊经济特区</h1>" in chinese
    untranslated = client.get("/zh-hans/zones/moqpondass/").content.decode()
    assert '<h1><span lang="en">Moqpondass Special Economic Zone</span></h1>' in untranslated


def test_demo_plots_requests_and_outages_are_flagged_illustrative_and_agree_with_firms(seeded):
    from decimal import Decimal

    from zones.models import OutageReport, Plot, UtilityRequest

    assert Plot.objects.filter(zone__slug="rashakai").exists()
    assert Plot.objects.filter(zone__slug="allama-iqbal-industrial-city").exists()
    assert not Plot.objects.filter(is_illustrative=False).exists()
    assert not UtilityRequest.objects.filter(is_illustrative=False).exists()
    assert (
        OutageReport.objects.count() >= 24
        and not OutageReport.objects.filter(is_illustrative=False).exists()
    )
    # the plots decide the firms' allotted acres; the real figure stands
    assert Firm.objects.get(name="Century Steel (Pvt) Ltd").allotted_acres == Decimal(40)


def test_demo_returns_are_illustrative_and_out_of_public_figures(seeded, client):
    from investors.models import AnnualReturn

    # No public source gives a firm's yearly figures: every demo return is illustrative.
    assert AnnualReturn.objects.count() == 16
    assert not AnnualReturn.objects.filter(is_illustrative=False).exists()
    garments = Firm.objects.get(name="Illustrative Garments 1")
    assert (garments.jobs_actual, garments.export_markets) == (900, ["US", "GB", "DE"])
    detail = "/api/zones/allama-iqbal-industrial-city/"
    assert client.get(detail).json()["returns"] == {}
    shown = client.get(detail + "?illustrative=include").json()["returns"]
    assert shown["2025"]["employees"] == 900 + 450 + 260
