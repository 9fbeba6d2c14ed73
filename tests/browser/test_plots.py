"""An official in a real Chromium: find zones with a plot of 20 acres, open one, and read its
plots on offer and its utility clock."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.factories import (
    FirmFactory,
    PlotFactory,
    UtilityRequestFactory,
    ZoneFactory,
    make_user,
)


@pytest.fixture
def zones():
    aiic = ZoneFactory(name="Allama Iqbal Industrial City", slug="aiic", province__code="PK-PB",
                       investor_contact="FIEDMC plots desk")  # fmt: skip
    PlotFactory(zone=aiic, number="A-20", acres=Decimal(25), price_per_acre_pkr=Decimal(3_000_000))
    firm = FirmFactory(zone=aiic, name="Weaving Co")
    UtilityRequestFactory(zone=aiic, firm=firm, kind="gas", provider="SNGPL",
                          applied_on=datetime.date(2023, 1, 5))  # fmt: skip
    small = ZoneFactory(name="Small Plots Park", slug="small", province__code="PK-PB")
    PlotFactory(zone=small, number="S-1", acres=Decimal("5"))


@pytest.mark.django_db(transaction=True)
def test_official_filters_by_plot_size_and_reads_plots_and_the_utility_clock(page, zones):
    client = Client()
    client.force_login(make_user("official"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}]
    )
    page.goto(page.base_url + "/zones/")

    page.get_by_label("Plot available of at least (acres)").fill("20")
    page.get_by_role("button", name="Apply filters").click()

    expect(page.get_by_role("heading", name="1 zone matches")).to_be_visible()
    assert re.search(r"plot_min=20", page.url)
    page.get_by_role("link", name="Allama Iqbal Industrial City").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Allama Iqbal Industrial City")
    plots = page.locator("table.available-plots tbody tr")
    expect(plots).to_have_count(1)
    expect(plots.first).to_contain_text("A-20")
    expect(plots.first).to_contain_text("3,000,000")
    expect(page.locator(".plot-contact")).to_contain_text("FIEDMC plots desk")
    clock = page.locator("table.utility-clock tbody tr")
    expect(clock).to_have_count(1)
    expect(clock.first).to_contain_text("SNGPL")

    assert page.probe.blocked_requests == []
    assert page.probe.console_errors == []
