"""An investor in a real Chromium, with every outside request blocked: open /policy/ from the
site navigation, read the timeline (withdrawals marked), narrow it by level, see the chart of
median days to decide drawn with its table; then open a zone's "Policy and incentives"."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.charts import scroll_to_every_chart
from tests.factories import ApplicationFactory, PolicyEventFactory, ProvinceFactory, ZoneFactory

D = datetime.date


@pytest.fixture
def world(transactional_db):
    sindh = ProvinceFactory(code="PK-SD")
    dhabeji = ZoneFactory(name="Dhabeji SEZ", slug="dhabeji", province=sindh,
                          zone_authority="Sindh SEZA")  # fmt: skip
    ZoneFactory(name="Rashakai SEZ", slug="rashakai", province=ProvinceFactory(code="PK-KP"),
                zone_authority="KP-SEZA")  # fmt: skip
    PolicyEventFactory(reference="act", date=D(2012, 9, 13), incentive="income-tax",
                       title="Income tax exemption for 10 years", instrument="SEZ Act 2012",
                       source_url="http://invest.gov.pk/index.php/sez")  # fmt: skip
    PolicyEventFactory(reference="duty", date=D(2012, 9, 13), incentive="duty",
                       title="Capital goods duty exemption")  # fmt: skip
    PolicyEventFactory(reference="duty-off", date=D(2019, 6, 30), incentive="duty",
                       effect="incentive_withdrawn", title="Capital goods duty exemption ended",
                       instrument="Finance Act 2019")  # fmt: skip
    PolicyEventFactory(reference="sindh", date=D(2021, 1, 1), level="provincial",
                       province=sindh, effect="tariff_changed",
                       title="Sindh industrial water tariff")  # fmt: skip
    today = timezone.localdate()
    for wait in (7, 21):
        ApplicationFactory(zone=dhabeji, applied_on=today - datetime.timedelta(days=60),
                           decided_on=today - datetime.timedelta(days=60 - wait),
                           decision="approved")  # fmt: skip
    ApplicationFactory(zone=dhabeji, kind="noc", applied_on=today - datetime.timedelta(days=30))


def test_policy_page_and_a_zones_policy_section(page, world):
    page.goto(page.base_url + "/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Policy and approvals"
    ).click()
    page.wait_for_url("**/policy/")
    expect(page.get_by_role("heading", name="Policy and approvals", level=1)).to_be_visible()

    events = page.locator("ol.policy-timeline > li")
    expect(events).to_have_count(4)
    expect(events.first).to_contain_text("Sindh industrial water tariff")
    withdrawn = page.locator("li.policy-event.withdrawn")
    expect(withdrawn).to_have_count(1)
    expect(withdrawn).to_contain_text("Incentive withdrawn")

    # the chart draws from the locally served plotly.js, with its numbers in a table
    assert scroll_to_every_chart(page) == 1
    plot = page.locator("#chart-approval-days .plot[data-figure]")
    assert plot.get_attribute("data-drawn") == "true"
    assert plot.locator("svg.main-svg").count() >= 1
    page.locator("#chart-approval-days summary").click()
    expect(page.locator("#table-approval-days tbody tr").first).to_contain_text("Sindh SEZA")
    expect(page.locator("#table-approval-days tbody tr").first).to_contain_text("14.0")

    # narrow to provincial events
    page.locator("details.dashboard-filters summary").click()
    page.get_by_label("Provincial").check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**level=provincial**")
    expect(page.locator("ol.policy-timeline > li")).to_have_count(1)

    page.goto(page.base_url + "/zones/dhabeji/")
    section = page.locator("section#policy")
    expect(section.get_by_role("heading", name="Policy and incentives")).to_be_visible()
    incentives = section.locator("table.policy-incentives tbody tr")
    expect(incentives).to_have_count(1)
    expect(incentives.first).to_contain_text("Income tax exemption for 10 years")
    expect(incentives.first.get_by_role("link", name="source")).to_have_attribute(
        "href", "http://invest.gov.pk/index.php/sez"
    )
    clock = section.locator("table.approvals-clock tbody tr")
    expect(clock).to_have_count(2)
    expect(clock.first).to_contain_text("14.0")  # median of 7 and 21 days
    expect(clock.nth(1)).to_contain_text("30")  # the NOC pending for 30 days

    assert page.probe.blocked_requests == []
    assert page.probe.console_errors == []
