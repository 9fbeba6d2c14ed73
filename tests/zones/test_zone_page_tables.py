"""A zone page's long tables (firms, milestones, plots on offer, the possession register)
list their first 25 rows, read with a limit in the database, and a link shows them all; the
figures that sum them up count every record either way."""

from __future__ import annotations

import datetime
import html as html_lib
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import FirmFactory, MilestoneFactory, PlotFactory, ZoneFactory, make_user
from tests.html import text_of
from zones.vocabulary import PlotStatus

pytestmark = pytest.mark.django_db


def firm_rows(html: str) -> list[str]:
    """The firms' names in the order the firm table lists them."""
    table = re.search(r'<h2 id="firms">.*?<table class="data">(.*?)</table>', html, re.S).group(1)
    return re.findall(r"<tr>\s*<td>([^<]*?)\s*<", table)


def section(html: str, heading_id: str) -> str:
    """The page's text from the heading ``heading_id`` to the next heading of its level."""
    found = re.search(rf'<h2 id="{heading_id}">(.*?)<h2 ', html, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found))


def link(html: str, text: str) -> str:
    """The href of the link whose text is ``text``."""
    found = re.search(rf'<a href="([^"]+)">{re.escape(text)}</a>', html)
    assert found, f"no link {text!r}"
    return html_lib.unescape(found.group(1))


@pytest.fixture
def zone():
    zone = ZoneFactory(slug="big", area_acres=Decimal("5000"))
    for number in range(30, 0, -1):
        FirmFactory(
            zone=zone,
            name=f"Firm {number:02}",
            origin_country="CN" if number % 3 else "PK",
            ownership="foreign" if number % 3 else "domestic",
            allotted_acres=None if number > 28 else Decimal(10),
        )
    return zone


def test_the_firm_table_lists_the_first_25_and_counts_them_all(client, zone):
    response = client.get("/zones/big/")
    html = response.content.decode()
    page = text_of(response)

    assert firm_rows(html) == [f"Firm {n:02}" for n in range(1, 26)]
    assert link(html, "Show all 30 firms") == "/zones/big/?firms=all#firms"
    breakdown = response.context["page"].firm_breakdown
    assert breakdown.total == 30
    assert {label: total for label, _cells, total in breakdown.rows} == {
        "Chinese": 20,
        "Pakistani": 10,
    }
    assert "from 28 firm records" in page  # free land's coverage: the two without acres left out
    assert "Free land 4720 acres" in page


def test_the_link_shows_every_firm_and_leads_back(client, zone):
    html = client.get("/zones/big/?firms=all").content.decode()

    assert firm_rows(html) == [f"Firm {n:02}" for n in range(1, 31)]
    assert "Show all 30 firms" not in html
    assert link(html, "Show the first 25 firms only") == "/zones/big/#firms"


def test_the_link_keeps_illustrative_records_shown(client):
    zone = ZoneFactory(slug="demo")
    for number in range(1, 28):
        FirmFactory(zone=zone, name=f"Invented {number:02}", is_illustrative=True)

    html = client.get("/zones/demo/?illustrative=include").content.decode()
    shown_all = link(html, "Show all 27 firms")
    everything = client.get(shown_all).content.decode()

    assert shown_all == "/zones/demo/?illustrative=include&firms=all#firms"
    assert len(firm_rows(everything)) == 27
    assert "No firms recorded." in text_of(client.get("/zones/demo/"))  # real records only


def test_a_short_table_has_no_link(client):
    zone = ZoneFactory(slug="small")
    FirmFactory.create_batch(25, zone=zone)
    MilestoneFactory.create_batch(3, zone=zone)

    html = client.get("/zones/small/").content.decode()
    everything = client.get("/zones/small/?firms=all").content.decode()

    assert len(firm_rows(html)) == 25
    assert "Show all" not in html and "Show the first" not in html
    assert "Show the first" not in everything


def test_long_milestone_and_plot_tables_are_listed_the_same_way(client):
    zone = ZoneFactory(slug="busy")
    for day in range(1, 28):
        MilestoneFactory(
            zone=zone,
            title=f"Step {day:02}",
            code=f"step-{day:02}",  # the undated ones follow in code order
            baseline_date=datetime.date(2024, 1, day) if day <= 20 else None,
            planned_date=None,
            actual_date=None,
        )
    for number in range(1, 27):
        PlotFactory(zone=zone, number=f"A-{number:02}", acres=Decimal(100 - number))

    html = client.get("/zones/busy/").content.decode()
    milestones, plots = section(html, "milestones"), section(html, "plots")

    assert "20 of 27 milestones dated" in milestones
    assert "Step 20" in milestones and "Step 27" not in milestones  # the undated last
    assert link(html, "Show all 27 milestones") == "/zones/busy/?milestones=all#milestones"
    assert "A-25" in plots and "A-26" not in plots  # the largest first
    assert "From 26 plot records." in plots
    assert link(html, "Show all 26 plots on offer") == "/zones/busy/?plots=all#plots"
    in_full = client.get("/zones/busy/?milestones=all&plots=all").content.decode()
    assert "Step 27" in section(in_full, "milestones") and "A-26" in section(in_full, "plots")
    assert "20 of 27 milestones dated" in section(in_full, "milestones")


def test_officials_possession_register_is_listed_the_same_way(client):
    zone = ZoneFactory(slug="held")
    for number in range(1, 28):
        firm = FirmFactory(zone=zone, name=f"Tenant {number:02}", allotted_acres=Decimal(5))
        PlotFactory(
            zone=zone,
            number=f"H-{number:02}",
            firm=firm,
            status=PlotStatus.ALLOTTED,
            allotted_on=datetime.date(2020, 1, number),
        )
    client.force_login(make_user("official"))

    html = client.get("/zones/held/").content.decode()
    register = re.search(r'<table class="data possession-register">(.*?)</table>', html, re.S)

    assert register.group(1).count("<tr") == 26  # the header and 25 plots
    assert link(html, "Show all 27 allotted plots") == "/zones/held/?plots=all#plots"


def test_the_page_reads_only_the_rows_it_lists(client, zone):
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/zones/big/").status_code == 200
    firm_reads = [
        query["sql"]
        for query in captured
        if 'FROM "investors_firm"' in query["sql"] and '"investors_firm"."name"' in query["sql"]
    ]  # the firm table's and the readiness panel's rows (not the grouped counts)

    assert len(firm_reads) == 2 and all("LIMIT 25" in sql for sql in firm_reads)
