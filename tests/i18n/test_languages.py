"""Pages in English, Urdu and Simplified Chinese: the URL carries the language, the
switcher keeps the page, Urdu is right to left, names and figures read as the reader reads."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.utils import formats, translation

from tests.factories import FirmFactory, MilestoneFactory, ZoneFactory, make_user
from tests.html import text_of

pytestmark = pytest.mark.django_db


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.content.decode())[0]


@pytest.fixture
def zone():
    zone = ZoneFactory(
        name="Rashakai SEZ",
        slug="rashakai",
        province__code="PK-KP",
        area_acres=Decimal("1000"),
        sectors=["textiles"],
    )
    FirmFactory(zone=zone, jobs_actual=12345, sector__slug="textiles")
    MilestoneFactory(zone=zone, title="Groundbreaking", planned_date=datetime.date(2025, 3, 9))
    return zone


@pytest.mark.parametrize(
    ("path", "lang", "direction", "heading"),
    [
        ("/", "en", "ltr", "Special economic zones: national progress"),
        ("/ur/", "ur", "rtl", "خصوصی اقتصادی زونز: قومی پیش رفت"),
        ("/zh-hans/", "zh-hans", "ltr", "经济特区：全国进展"),
        ("/zones/", "en", "ltr", "Find a special economic zone"),
        ("/ur/zones/", "ur", "rtl", "خصوصی اقتصادی زون تلاش کریں"),
        ("/zh-hans/zones/", "zh-hans", "ltr", "查找经济特区"),
    ],
)
def test_the_url_prefix_sets_the_language_and_direction(
    client, zone, path, lang, direction, heading
):
    response = client.get(path)
    assert response.status_code == 200
    tag = html_tag(response)
    assert f'lang="{lang}"' in tag and f'dir="{direction}"' in tag
    assert heading in text_of(response)


def test_a_shared_urdu_link_opens_in_urdu_whatever_the_readers_own_choice(client, zone):
    client.cookies["django_language"] = "zh-hans"
    response = client.get("/ur/zones/rashakai/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'lang="ur"' in html_tag(response)
    assert "خیبر پختونخوا" in text_of(response)  # the province, stored in English


def test_the_public_contract_urls_stay_english_for_everyone(client, zone):
    client.cookies["django_language"] = "ur"
    response = client.get("/zones/rashakai/", HTTP_ACCEPT_LANGUAGE="ur")
    assert response.status_code == 200
    assert 'lang="en"' in html_tag(response)
    assert "Khyber Pakhtunkhwa" in text_of(response)


def test_links_on_an_urdu_page_stay_in_urdu(client, zone):
    html = client.get("/ur/zones/").content.decode()
    assert 'href="/ur/zones/rashakai/"' in html
    assert 'href="/ur/"' in html  # the national dashboard in the main navigation
    assert 'href="/zones/rashakai/"' not in html


def test_machine_urls_carry_no_language_prefix(client, zone):
    assert client.get("/api/zones/").status_code == 200
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/ur/api/zones/").status_code == 404
    assert client.get("/zh-hans/admin/").status_code == 404
    assert client.get("/admin/").status_code == 302  # to the admin's own sign-in


@pytest.mark.parametrize(
    ("page", "choice", "expected"),
    [
        ("/zones/?sector=textiles&sort=name", "ur", "/ur/zones/?sector=textiles&sort=name"),
        ("/ur/zones/rashakai/", "en", "/zones/rashakai/"),
        ("/ur/provinces/PK-KP/", "zh-hans", "/zh-hans/provinces/PK-KP/"),
        ("/zh-hans/", "ur", "/ur/"),
    ],
)
def test_the_switcher_reopens_the_same_page_in_the_chosen_language(
    client, zone, page, choice, expected
):
    html = client.get(page).content.decode()
    form = re.search(r'<form class="language-switcher".*?</form>', html, re.S)[0]
    assert 'name="csrfmiddlewaretoken"' in form
    next_value = re.search(r'name="next" value="([^"]*)"', form)[1].replace("&amp;", "&")
    assert next_value == page
    for code in ("en", "ur", "zh-hans"):
        assert f'name="language" value="{code}"' in form

    response = client.post("/i18n/setlang/", {"language": choice, "next": next_value})
    assert response.status_code == 302
    assert response["Location"] == expected
    assert response.cookies["django_language"].value == choice  # the choice persists
    assert f'lang="{choice}"' in html_tag(client.get(expected))


def test_the_switcher_marks_the_current_language(client, zone):
    form = re.search(
        r'<form class="language-switcher".*?</form>', client.get("/ur/").content.decode(), re.S
    )[0]
    current = re.findall(r'<button[^>]*aria-current="true"[^>]*>([^<]*)</button>', form)
    assert current == ["اردو"]


def test_finder_filters_show_province_sector_and_status_names_translated(client, zone):
    text = text_of(client.get("/zh-hans/zones/"))
    assert "纺织和服装" in text  # textiles, a sector checkbox
    assert "开伯尔-普赫图赫瓦省" in text  # a province checkbox and the result's province
    assert "开发中" in text  # "Under development", a status
    assert "Textiles and garments" not in text


def test_zone_page_in_urdu_translates_names_and_formats_figures(client, zone):
    text = text_of(client.get("/ur/zones/rashakai/"))
    assert "ٹیکسٹائل اور ملبوسات" in text
    assert "12,345" in text  # jobs, grouped in threes with Western digits
    assert "9 مارچ 2025" in text  # the milestone's planned date, day month year


def test_dashboard_chart_titles_and_tables_are_translated(client, zone):
    html = client.get("/ur/").content.decode()
    figures = [
        json.loads(m)
        for m in re.findall(
            r'<script id="figure-[^"]*" type="application/json">(.*?)</script>', html, re.S
        )
    ]
    assert figures, "the national dashboard draws charts"
    titles = [f["layout"]["title"]["text"] for f in figures if f["layout"].get("title")]
    assert any("تیاری" in title for title in titles)  # "readiness" in a chart title
    assert all(not re.search(r"[A-Za-z]{4,}", re.sub(r"<[^>]+>", "", t)) for t in titles), titles
    captions = re.findall(r"<caption>(.*?)</caption>", html, re.S)
    assert captions and all(not re.search(r"[A-Za-z]{4,}", c) for c in captions), captions
    assert "خیبر پختونخوا" in text_of(client.get("/ur/"))


def test_the_province_page_title_and_headings_use_the_translated_name(client, zone):
    text = text_of(client.get("/zh-hans/provinces/PK-KP/"))
    assert "开伯尔-普赫图赫瓦省 的特区（就绪度最高的在前）" in text
    assert "Khyber" not in text


def test_sign_in_and_workspace_are_translated(client, zone):
    text = text_of(client.get("/ur/accounts/login/"))
    assert "سائن ان" in text
    # Django's own Urdu leaves these in English; our catalogue fills them in.
    assert "صارف نام" in text and "پاس ورڈ" in text and "Username" not in text
    refused = client.post("/ur/accounts/login/", {"username": "nobody", "password": "wrong"})
    assert "براہِ کرم درست صارف نام اور پاس ورڈ درج کریں" in text_of(refused)
    editor = make_user("editor", zones=[zone])
    client.force_login(editor)
    response = client.get("/ur/workspace/")
    assert response.status_code == 200
    assert "آپ کے زونز" in text_of(response)  # "Your zones"


def test_the_export_uses_the_readers_language_for_names(client, zone):
    body = b"".join(client.get("/zh-hans/zones/export.csv").streaming_content).decode("utf-8-sig")
    assert "开伯尔-普赫图赫瓦省" in body and "纺织和服装" in body


@pytest.mark.parametrize(
    ("language", "number", "date"),
    [
        ("en", "1,234,567.5", "March 9, 2025"),
        ("ur", "1,234,567.5", "9 مارچ 2025"),
        ("zh-hans", "1,234,567.5", "2025年3月9日"),
    ],
)
def test_numbers_and_dates_follow_the_locale(language, number, date):
    with translation.override(language):
        assert formats.number_format(1234567.5, use_l10n=True, force_grouping=True) == number
        assert formats.date_format(datetime.date(2025, 3, 9)) == date
