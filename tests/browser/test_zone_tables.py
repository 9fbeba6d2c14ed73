"""A zone with many firms in a real browser: its page lists the first 25, a link shows them
all and lands on the firms' table, with the illustrative records still counted, and another
link goes back to the first 25."""

from __future__ import annotations

import re

import pytest

from tests.factories import FirmFactory, ZoneFactory


@pytest.fixture
def zone(transactional_db):
    zone = ZoneFactory(name="Rashakai SEZ", slug="rashakai", province__code="PK-KP")
    for number in range(1, 41):
        FirmFactory(zone=zone, name=f"Firm {number:02}", is_illustrative=number > 30)
    return zone


def test_show_all_firms_keeps_the_records_shown_and_leads_back(page, zone):
    page.goto(page.base_url + "/zones/rashakai/?illustrative=include")
    rows = page.locator("#firms ~ table.data:not(.firm-breakdown) tbody tr")

    assert rows.count() == 25
    assert page.locator("table.firm-breakdown tfoot td").last.inner_text() == "40"

    page.get_by_role("link", name="Show all 40 firms").click()

    page.wait_for_url(re.compile(r"illustrative=include&firms=all#firms$"))
    assert rows.count() == 40
    assert rows.last.locator("td").first.inner_text().startswith("Firm 40")
    assert page.locator("#firms").is_visible()

    page.get_by_role("link", name="Show the first 25 firms only").click()

    page.wait_for_url(re.compile(r"/zones/rashakai/\?illustrative=include#firms$"))
    assert rows.count() == 25
    assert page.probe.console_errors == []
    assert page.probe.blocked_requests == []
