"""An investor in a real Chromium: filter, sort, open a zone, export the list, compare."""

from __future__ import annotations

import csv
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import FirmFactory, UtilityFactory, ZoneFactory
from zones.vocabulary import FirmStatus


@pytest.fixture
def zones():
    punjab_small = ZoneFactory(
        name="Allama Iqbal Industrial City",
        slug="aiic",
        province__code="PK-PB",
        area_acres=Decimal("3217"),
        sectors=["textiles", "automotive"],
    )
    FirmFactory(zone=punjab_small, status=FirmStatus.OPERATING, allotted_acres=Decimal("3000"))
    punjab_large = ZoneFactory(
        name="Quaid-e-Azam Business Park",
        slug="qabp",
        province__code="PK-PB",
        area_acres=Decimal("1536"),
        sectors=["textiles"],
    )
    UtilityFactory(zone=punjab_large, kind="electricity", status="connected")
    ZoneFactory(name="Dhabeji SEZ", slug="dhabeji", province__code="PK-SD", sectors=["textiles"])
    ZoneFactory(name="M-3 Industrial City", slug="m3", province__code="PK-PB", sectors=["steel"])


def result_names(page) -> list[str]:
    return page.locator("table.finder-table tbody tr td:nth-child(2) > a").all_inner_texts()


@pytest.mark.django_db(transaction=True)
def test_investor_filters_sorts_opens_a_zone_and_exports_the_list(page, zones, tmp_path):
    page.goto(page.base_url + "/zones/")

    page.get_by_label("Textiles and garments").check()
    page.get_by_label("Punjab").check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page.get_by_role("heading", name="2 zones match")).to_be_visible()
    assert re.search(r"sector=textiles", page.url) and re.search(r"province=PK-PB", page.url)
    assert result_names(page) == ["Allama Iqbal Industrial City", "Quaid-e-Azam Business Park"]

    page.get_by_role("link", name=re.compile(r"^Free land")).click()
    expect(page).to_have_url(re.compile(r"sort=-free_land"))
    # Most free land first: 1536 acres at the business park, 217 at Allama Iqbal.
    assert result_names(page) == ["Quaid-e-Azam Business Park", "Allama Iqbal Industrial City"]
    assert page.get_by_label("Textiles and garments").is_checked()  # the filters stayed

    page.get_by_role("link", name="Quaid-e-Azam Business Park").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quaid-e-Azam Business Park")
    expect(page.locator("svg.locator-map .zone-marker")).to_be_visible()
    page.go_back()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    path = tmp_path / "zones.csv"
    download_info.value.save_as(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["Zone"] for row in rows] == [
        "Quaid-e-Azam Business Park",
        "Allama Iqbal Industrial City",
    ]
    assert rows[0]["Utilities connected"] == "Electricity"

    assert page.probe.blocked_requests == []
    assert page.probe.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_investor_compares_two_zones_and_cannot_pick_a_fifth(page, zones):
    ZoneFactory(name="Bostan SEZ", slug="bostan", province__code="PK-BA")
    page.goto(page.base_url + "/zones/")
    compare = page.get_by_role("button", name=re.compile("Compare selected"))
    expect(compare).to_be_disabled()

    for name in [
        "Allama Iqbal Industrial City",
        "Bostan SEZ",
        "Dhabeji SEZ",
        "M-3 Industrial City",
    ]:
        page.get_by_label(f"Compare {name}").check()
    expect(page.get_by_label("Compare Quaid-e-Azam Business Park")).to_be_disabled()
    page.get_by_label("Compare Bostan SEZ").uncheck()
    page.get_by_label("Compare M-3 Industrial City").uncheck()
    compare.click()

    expect(page.get_by_role("heading", name="Compare zones")).to_be_visible()
    headers = page.locator("table.compare thead th a").all_inner_texts()
    assert headers == ["Allama Iqbal Industrial City", "Dhabeji SEZ"]
    assert page.probe.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_api_docs_work_offline(page):
    page.goto(page.base_url + "/api/docs/")

    expect(page.get_by_text("/api/zones/", exact=True).first).to_be_visible()
    assert page.probe.blocked_requests == []
    assert page.probe.console_errors == []
