"""The zone page's "Policy and incentives" and the national /policy/ page, as a visitor
reads them: incentives in force with source and date, withdrawals marked, the one-window
clock; the national timeline narrowed by level, effect and the finder's zone filters, the
chart with its table and finder link; bad filters refused; queries that do not grow."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ApplicationFactory, PolicyEventFactory, ProvinceFactory, ZoneFactory
from tests.html import cells, text_of

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def world():
    sindh, punjab = ProvinceFactory(code="PK-SD"), ProvinceFactory(code="PK-PB")
    dhabeji = ZoneFactory(slug="dhabeji", name="Dhabeji SEZ", province=sindh,
                          zone_authority="Sindh Economic Zones Management Company")  # fmt: skip
    aiic = ZoneFactory(slug="aiic", name="Allama Iqbal Industrial City", province=punjab,
                       zone_authority="FIEDMC")  # fmt: skip
    PolicyEventFactory(
        reference="sez-act-2012", date=D(2012, 9, 10), title="Income tax exemption for 10 years",
        incentive="income-tax", instrument="SEZ Act 2012",
        source_url="https://example.org/sez-act",
    )  # fmt: skip
    PolicyEventFactory(
        reference="duty", date=D(2013, 1, 1), title="Customs duty exemption on capital goods",
        incentive="customs-duty", instrument="SEZ Rules 2013",
    )  # fmt: skip
    PolicyEventFactory(
        reference="duty-withdrawn", date=D(2019, 6, 30), effect="incentive_withdrawn",
        title="Customs duty exemption withdrawn", incentive="customs-duty",
        instrument="Finance Act 2019",
    )  # fmt: skip
    PolicyEventFactory(
        reference="sindh-tariff", date=D(2021, 1, 1), level="provincial", province=sindh,
        effect="tariff_changed", title="Sindh industrial water tariff", instrument="Sindh order",
    )  # fmt: skip
    PolicyEventFactory(
        reference="one-window", date=D(2020, 8, 1), effect="procedure_changed",
        title="One-window information system approved", instrument="BoA decision",
        zones=[aiic],
    )  # fmt: skip
    today = timezone.localdate()
    for zone, waits in ((dhabeji, (10, 20)), (aiic, (40,))):
        for wait in waits:
            ApplicationFactory(zone=zone, applied_on=today - datetime.timedelta(days=100),
                               decided_on=today - datetime.timedelta(days=100 - wait),
                               decision="approved")  # fmt: skip
    ApplicationFactory(zone=dhabeji, kind="noc", applied_on=today - datetime.timedelta(days=12))
    return dhabeji, aiic


def _row(html: str, first_cell: str) -> list[str]:
    for row in re.findall(r"<tr[^>]*>.*?</tr>", html, re.S):
        found = cells(row)
        if found and found[0].startswith(first_cell):
            return found
    raise AssertionError(f"no row for {first_cell}")


def test_the_zone_page_shows_incentives_timeline_and_clock(client, world):
    response = client.get("/zones/dhabeji/")
    html = response.content.decode()
    section = html[html.index('id="policy"') :]
    text = text_of(response)

    assert "Policy and incentives" in text
    # in force: the income tax exemption, with its instrument, date and source
    income = _row(section, "Income tax exemption for 10 years")
    assert income[1:4] == ["SEZ Act 2012", "2012-09-10", "2012-09-10"]
    assert 'href="https://example.org/sez-act"' in section
    # withdrawn in 2019: not in force, and marked in the timeline
    incentives = section[: section.index('id="policy-timeline"')]
    assert "Customs duty exemption on capital goods" not in incentives
    assert re.search(r'class="policy-event effect-incentive_withdrawn withdrawn"', section)
    # Sindh's provincial event applies; the event naming only AIIC does not
    assert "Sindh industrial water tariff" in section
    assert "One-window information system approved" not in section
    # the clock: two decisions in 10 and 20 days → median 15; one NOC pending 12 days
    assert _row(section, "Zone enterprise status")[1:] == ["2", "15.0", "0", "—"]
    assert _row(section, "No-objection certificate")[1:] == ["0", "—", "1", "12"]


def test_the_zone_page_queries_do_not_grow_with_policy_records(client, world):
    dhabeji, _aiic = world

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/zones/dhabeji/").status_code == 200
        return len(captured)

    few = queries()
    for index in range(10):
        PolicyEventFactory(zones=[dhabeji], date=D(2015, 1, 1 + index))
        ApplicationFactory(zone=dhabeji, kind="allotment")
    assert queries() == few


def test_the_national_page_lists_every_event_newest_first(client, world):
    response = client.get("/policy/")
    assert response.status_code == 200
    text = text_of(response)
    order = [
        text.index(title)
        for title in (
            "Sindh industrial water tariff",
            "One-window information system approved",
            "Customs duty exemption withdrawn",
            "Income tax exemption for 10 years",
        )
    ]
    assert order == sorted(order)
    assert '<a href="/policy/">' in response.content.decode()  # in the site navigation


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("level=provincial", {"Sindh industrial water tariff"}, {"Income tax exemption"}),
        ("effect=incentive_withdrawn", {"Customs duty exemption withdrawn"},
         {"Income tax exemption", "Sindh industrial water tariff"}),
        # the finder's province filter: events applying to a Punjab zone
        ("province=PK-PB", {"Income tax exemption", "One-window information system approved"},
         {"Sindh industrial water tariff"}),
        ("q=dhabeji", {"Sindh industrial water tariff"},
         {"One-window information system approved"}),
    ],
)  # fmt: skip
def test_the_national_timeline_narrows(client, world, query, shown, hidden):
    response = client.get(f"/policy/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    timeline = html[html.index('id="timeline"') :]
    assert all(title in timeline for title in shown)
    assert not any(title in timeline for title in hidden)


def test_the_chart_has_its_numbers_in_a_table_and_a_finder_link(client, world):
    response = client.get("/policy/?province=PK-SD")
    html = response.content.decode()
    figure = json.loads(
        re.search(
            r'<script id="figure-approval-days" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    [bar] = figure["data"]
    assert bar["y"] == ["Sindh Economic Zones Management Company"]
    assert bar["x"] == [15.0]
    assert _row(html, "Sindh Economic Zones Management Company")[1:] == [
        "Zone enterprise status", "2", "15.0",
    ]  # fmt: skip
    assert 'href="/zones/?province=PK-SD"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("level=national", "Unknown level “national”."),
        ("effect=tax_holiday", "Unknown effect “tax_holiday”."),
        ("approval_days_max=soon", "Enter a number."),
    ],
)
def test_bad_filters_are_refused_with_a_clear_message(client, world, query, message):
    response = client.get(f"/policy/?{query}")
    assert response.status_code == 400
    assert message in text_of(response)


def test_the_national_page_queries_do_not_grow(client, world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/policy/").status_code == 200
        return len(captured)

    few = queries()
    for index in range(10):
        zone = ZoneFactory(slug=f"extra-{index}", zone_authority=f"Authority {index}")
        PolicyEventFactory(zones=[zone])
        ApplicationFactory(zone=zone, decided_on=D(2024, 2, 1), decision="rejected")
    assert queries() == few


def test_illustrative_records_count_only_when_asked_for(client, world):
    invented_zone = ZoneFactory(slug="invented", zone_authority="Invented Authority")
    ApplicationFactory(zone=invented_zone, applied_on=D(2024, 1, 1), decided_on=D(2024, 1, 5),
                       decision="approved", is_illustrative=True)  # fmt: skip
    PolicyEventFactory(title="An invented incentive", is_illustrative=True)

    real = client.get("/policy/").content.decode()
    assert "Invented Authority" not in real and "An invented incentive" not in real
    assert "Include illustrative records" in real

    shown = client.get("/policy/?illustrative=include").content.decode()
    assert _row(shown, "Invented Authority")[1:] == ["Zone enterprise status", "1", "4.0"]
    assert "An invented incentive" in shown
    assert client.get("/policy/?illustrative=maybe").status_code == 400


def test_an_unpublished_zone_is_never_named_to_the_public(client, world):
    _dhabeji, aiic = world
    secret = ZoneFactory(slug="secret", name="Secret Park", published=False)
    PolicyEventFactory(title="Plot sales allowed", zones=[aiic, secret])

    html = client.get("/policy/").content.decode()
    assert "Plot sales allowed" in html
    assert "Allama Iqbal Industrial City" in html
    assert "Secret Park" not in html


def test_the_zone_page_says_how_many_illustrative_records_it_leaves_out(client, world):
    dhabeji, _aiic = world
    PolicyEventFactory(title="An invented incentive", is_illustrative=True)
    ApplicationFactory(zone=dhabeji, kind="allotment", is_illustrative=True)

    html = client.get("/zones/dhabeji/").content.decode()
    section = html[html.index('id="policy"') :]

    assert "An invented incentive" not in section
    assert "Plot allotment" not in section  # the invented application is not counted
    assert "2 records invented for the demo (illustrative) are left out" in section
    assert 'href="/policy/?illustrative=include"' in section
