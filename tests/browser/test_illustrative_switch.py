"""The national page and a zone's page in a real browser: by default they count real records
only and say so; the switch turns the illustrative records on, in the URL, and the statement
and the figures change with it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.factories import FirmFactory, ZoneFactory


@pytest.fixture
def zone(transactional_db):
    zone = ZoneFactory(name="Allama Iqbal Industrial City", province__code="PK-PB")
    FirmFactory(zone=zone, status="operating", jobs_actual=300, allotted_acres=Decimal("10"))
    for n in range(2):
        FirmFactory(
            zone=zone,
            name=f"Illustrative firm {n}",
            status="operating",
            jobs_actual=800,
            allotted_acres=Decimal("10"),
            is_illustrative=True,
        )
    return zone


def _figure(page, label: str) -> str:
    figure = page.locator(".headline .figure", has=page.locator("dt", has_text=label))
    return figure.locator(".value").first.inner_text()


def test_the_switch_changes_the_statement_and_the_figures_and_stays_in_the_url(page, zone):
    page.goto(page.base_url + "/")

    statement = page.locator("#records-shown")
    assert "counts only real, sourced records" in statement.inner_text()
    assert _figure(page, "Firms operating") == "1"
    assert _figure(page, "Workers employed") == "300"

    statement.get_by_role("link", name="Include illustrative records").click()

    page.wait_for_url(re.compile(r"illustrative=include"))
    statement = page.locator("#records-shown")
    assert "invented for the demo" in statement.inner_text()
    assert _figure(page, "Firms operating") == "3"
    assert _figure(page, "Workers employed") == "1,900"
    delivery = page.locator(".see-also a", has_text="Announced vs delivered")
    assert "illustrative=include" in delivery.get_attribute("href")

    statement.get_by_role("link", name="Show real records only").click()

    page.wait_for_url(re.compile(r"/$"))
    assert _figure(page, "Firms operating") == "1"
    assert page.probe.console_errors == []
    assert page.probe.blocked_requests == []


def _free_land(page) -> str:
    return page.locator(".facts dt:text-is('Free land') + dd").inner_text()


def test_the_zone_page_has_its_own_switch_and_says_what_it_shows(page, zone):
    page.goto(page.base_url + f"/zones/{zone.slug}/")

    statement = page.locator("#records-shown")
    assert "counts only real, sourced records" in statement.inner_text()
    assert _free_land(page).startswith("990 acres")  # 1,000 minus the one real firm's 10
    assert "from 1 firm record" in _free_land(page)
    assert page.locator(".firm-breakdown tfoot td").last.inner_text() == "1"
    assert page.get_by_text("Illustrative firm").count() == 0  # neither listed nor counted

    statement.get_by_role("link", name="Include illustrative records").click()

    page.wait_for_url(re.compile(rf"/zones/{zone.slug}/\?illustrative=include$"))
    statement = page.locator("#records-shown")
    assert "invented for the demo" in statement.inner_text()
    assert page.locator(".firm-breakdown tfoot td").last.inner_text() == "3"
    firms = page.locator(".firm-breakdown + table tbody tr")
    assert firms.count() == 3
    assert firms.filter(has_text="Illustrative firm").count() == 2
    assert _free_land(page).startswith("970 acres")  # and the invented firms' 20

    statement.get_by_role("link", name="Show real records only").click()

    page.wait_for_url(re.compile(rf"/zones/{zone.slug}/$"))
    assert page.locator(".firm-breakdown tfoot td").last.inner_text() == "1"
    assert page.probe.console_errors == []
    assert page.probe.blocked_requests == []
