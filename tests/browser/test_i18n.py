"""A reader switches to Urdu in a real Chromium: the page turns right to left in Nastaliq,
the finder filters by a sector named in Urdu, a zone opens in Urdu, and the choice holds."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.factories import FirmFactory, ZoneFactory


@pytest.fixture
def zones():
    rashakai = ZoneFactory(
        name="Rashakai SEZ", slug="rashakai", province__code="PK-KP", sectors=["textiles"]
    )
    FirmFactory(zone=rashakai, jobs_actual=2500)
    ZoneFactory(name="Dhabeji SEZ", slug="dhabeji", province__code="PK-SD", sectors=["textiles"])
    ZoneFactory(
        name="Bostan SEZ",
        slug="bostan",
        province__code="PK-BA",
        sectors=["food-processing"],
        area_acres=Decimal("1000"),
    )


FONT_FILES = """() => performance.getEntriesByType("resource")
  .map(entry => entry.name.split("/").pop())
  .filter(name => name.endsWith(".woff2"))"""


def result_names(page) -> list[str]:
    return page.locator("table.finder-table tbody tr td:nth-child(2) > a").all_inner_texts()


@pytest.mark.django_db(transaction=True)
def test_reader_switches_to_urdu_filters_by_sector_and_opens_a_zone(page, zones):
    page.goto(page.base_url + "/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.evaluate("document.fonts.ready")
    assert page.evaluate(FONT_FILES) == [], "an English page should not download the Urdu font"

    # The switcher works from the keyboard: focus the Urdu button, press Enter.
    page.get_by_role("button", name="اردو").focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(page.base_url + "/ur/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ur")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("خصوصی اقتصادی زونز: قومی پیش رفت")
    expect(page.get_by_role("button", name="اردو")).to_have_attribute("aria-current", "true")

    # Nastaliq from our own static files shapes the text.
    page.evaluate("document.fonts.ready")
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith(
        '"Noto Nastaliq Urdu"'
    )
    assert page.evaluate(
        "[...document.fonts].some(f => f.family.includes('Noto Nastaliq Urdu')"
        " && f.status === 'loaded')"
    ), "the Nastaliq webfont did not load"
    assert sorted(page.evaluate(FONT_FILES)) == [
        "noto-nastaliq-urdu-arabic-400-normal.woff2",  # text
        "noto-nastaliq-urdu-arabic-700-normal.woff2",  # headings
    ]

    # The layout is mirrored: the site name sits on the right, the navigation to its left.
    width = page.viewport_size["width"]
    brand = page.locator(".site-header .brand").bounding_box()
    nav = page.get_by_role("navigation", name="مرکزی").bounding_box()
    assert brand["x"] > width / 2
    assert nav["x"] + nav["width"] <= brand["x"] + 1

    page.get_by_role("link", name="زونز تلاش کریں").click()
    expect(page).to_have_url(page.base_url + "/ur/zones/")
    page.wait_for_load_state("load")  # measured once the stylesheets apply, not before
    # The filter column is on the right of the results in Urdu.
    filters = page.locator("#finder-form").bounding_box()
    results = page.locator("section.results").bounding_box()
    assert filters["x"] > results["x"]

    page.get_by_label("ٹیکسٹائل اور ملبوسات").check()
    page.get_by_role("button", name="فلٹرز لاگو کریں").click()

    expect(page).to_have_url(re.compile(r"/ur/zones/\?.*sector=textiles"))
    expect(page.get_by_role("heading", name="2 زونز مطابقت رکھتے ہیں")).to_be_visible()
    assert sorted(result_names(page)) == ["Dhabeji SEZ", "Rashakai SEZ"]
    expect(page.get_by_label("ٹیکسٹائل اور ملبوسات")).to_be_checked()

    page.get_by_role("link", name="Rashakai SEZ").click()
    expect(page).to_have_url(page.base_url + "/ur/zones/rashakai/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    meta = page.locator(".zone-meta")
    expect(meta).to_contain_text("خیبر پختونخوا")
    expect(page.get_by_role("heading", name="سنگِ میل", exact=True)).to_be_visible()

    # Switching again keeps the page; the choice is remembered in a cookie.
    page.get_by_role("button", name="简体中文").click()
    expect(page).to_have_url(page.base_url + "/zh-hans/zones/rashakai/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator(".zone-meta")).to_contain_text("开伯尔-普赫图赫瓦省")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies["django_language"] == "zh-hans"

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(page.base_url + "/zones/rashakai/")
    expect(page.locator(".zone-meta")).to_contain_text("Khyber Pakhtunkhwa")

    assert page.probe.blocked_requests == []
    assert page.probe.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_a_shared_urdu_link_opens_in_urdu_in_an_english_browser(page, zones):
    page.context.set_extra_http_headers({"Accept-Language": "en-GB,en;q=0.9"})
    page.goto(page.base_url + "/ur/zones/rashakai/")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    expect(page.locator(".zone-meta")).to_contain_text("خیبر پختونخوا")
    # Its switcher still leads to the English page, not back to the Urdu one.
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(page.base_url + "/zones/rashakai/")


@pytest.mark.django_db(transaction=True)
def test_a_zone_page_reads_in_chinese_and_in_urdu_with_its_own_words(page):
    ZoneFactory(
        name="Rashakai SEZ",
        slug="rashakai",
        province__code="PK-KP",
        name_ur="رشکئی خصوصی اقتصادی زون",
        name_zh_hans="拉沙卡伊经济特区",
        description="On the M-1 motorway near Nowshera.",
        description_ur="نوشہرہ کے قریب ایم ون موٹروے پر۔",
        description_zh_hans="位于瑙谢拉附近的M-1高速公路旁。",
    )
    ZoneFactory(name="Hattar SEZ", slug="hattar", province__code="PK-KP")

    page.goto(page.base_url + "/zh-hans/zones/rashakai/")
    expect(page.get_by_role("heading", level=1)).to_have_text("拉沙卡伊经济特区")
    expect(page.locator("p.lead")).to_have_text("位于瑙谢拉附近的M-1高速公路旁。")

    page.goto(page.base_url + "/ur/zones/rashakai/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("رشکئی خصوصی اقتصادی زون")
    expect(page.locator("p.lead")).to_have_text("نوشہرہ کے قریب ایم ون موٹروے پر۔")

    # An untranslated zone shows its English name, marked English and left to right.
    page.goto(page.base_url + "/ur/zones/hattar/")
    english = page.get_by_role("heading", level=1).locator("span")
    expect(english).to_have_text("Hattar SEZ")
    expect(english).to_have_attribute("lang", "en")
    assert english.evaluate("el => getComputedStyle(el).direction") == "ltr"
