"""From a finder view, a reader asks for e-mail alerts, confirms from the e-mail, an update
is approved, and the next digest lists it: through the real pages in Chromium."""

import re

import pytest
from django.core import mail

from follow.alerts import alert_digests_send
from tests.factories import MilestoneFactory, ZoneFactory, make_user

from .test_editing_flow import sign_in, sign_out


@pytest.mark.django_db(transaction=True)
def test_subscribe_confirm_approve_and_the_digest_lists_the_change(page, settings):
    settings.SITE_URL = page.base_url
    zone = ZoneFactory(name="Bostan SEZ", slug="bostan", province__code="PK-BA")
    ZoneFactory(name="Dhabeji SEZ", slug="dhabeji", province__code="PK-SD")
    MilestoneFactory(zone=zone, code="first_firm", title="First firm operating",
                     status="in_progress")  # fmt: skip
    make_user("editor", provinces=["PK-BA"], username="editor-ba")
    make_user("reviewer", provinces=["PK-BA"], username="reviewer-ba")

    # A reader filters the finder to Balochistan and asks for alerts on it.
    page.goto(page.base_url + "/zones/?province=PK-BA")
    page.get_by_text("E-mail me when this changes").click()
    page.get_by_label("Your e-mail address").fill("reader@example.org")
    page.get_by_role("button", name="Send me the confirmation link").click()
    assert page.get_by_role("heading", name="Check your inbox").is_visible()
    assert len(mail.outbox) == 1

    # The reader opens the link in the e-mail and confirms.
    link = re.search(r"(http\S+/alerts/confirm/\S+/)", mail.outbox[0].body)[1]
    page.goto(link)
    page.get_by_role("button", name="Yes, start my alert").click()
    assert page.get_by_role("heading", name="Your alert is on").is_visible()

    # An editor updates the milestone and a reviewer approves it.
    sign_in(page, "editor-ba")
    page.get_by_role("link", name="Update First firm operating").click()
    page.get_by_label("Status").select_option("done")
    page.get_by_label("Actual date").fill("2025-03-15")
    page.get_by_label("Comment for the reviewer").fill("Textile unit started production.")
    page.get_by_role("button", name="Submit update").click()
    sign_out(page)
    sign_in(page, "reviewer-ba")
    page.get_by_role("link", name="Milestone #").first.click()
    page.get_by_role("button", name="Approve and apply").click()
    assert page.get_by_text("Update approved and applied.").is_visible()

    # The day's digest lists the approved change, and only the followed zones.
    assert alert_digests_send(frequency="daily") == 1
    digest = mail.outbox[-1]
    assert digest.to == ["reader@example.org"]
    assert "Bostan SEZ: milestone “First firm operating” changed" in digest.body
    assert "status: In progress → Done" in digest.body
    assert "Dhabeji" not in digest.body
    assert "reviewer-ba" not in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert page.probe.console_errors == []
