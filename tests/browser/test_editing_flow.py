"""An editor updates a milestone, a reviewer approves it, and the zone page shows the change
in its history and its readiness score, all through the real pages in Chromium."""

import datetime
from decimal import Decimal

import pytest

from tests.factories import MilestoneFactory, UtilityFactory, ZoneFactory, make_user
from zones.models import Zone

PASSWORD = "correct horse battery staple"


def sign_in(page, username):
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/workspace/")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


@pytest.mark.django_db(transaction=True)
def test_editor_updates_reviewer_approves_history_and_score_follow(page):
    zone = ZoneFactory(name="Bostan SEZ", slug="bostan", province__code="PK-BA",
                       area_acres=Decimal("1000"))  # fmt: skip
    UtilityFactory(zone=zone, kind="electricity", status="connected")
    MilestoneFactory(zone=zone, code="groundbreaking", title="Groundbreaking",
                     status="done", actual_date=datetime.date(2021, 4, 1))  # fmt: skip
    MilestoneFactory(zone=zone, code="first_firm", title="First firm operating",
                     status="in_progress", planned_date=datetime.date(2024, 12, 31))  # fmt: skip
    make_user("editor", provinces=["PK-BA"], username="editor-ba")
    make_user("reviewer", provinces=["PK-BA"], username="reviewer-ba")
    from readiness.services import readiness_recompute

    readiness_recompute(zone_ids=[zone.pk])
    score_before = Zone.objects.get(pk=zone.pk).readiness_score

    # The editor finds the overdue milestone in the workspace and updates it.
    sign_in(page, "editor-ba")
    page.get_by_role("link", name="Update First firm operating").click()
    page.get_by_label("Status").select_option("done")
    page.get_by_label("Actual date").fill("2025-03-15")
    page.get_by_label("Comment for the reviewer").fill("Textile unit started production.")
    page.get_by_role("button", name="Submit update").click()
    assert page.get_by_text("Update submitted for review.").is_visible()
    sign_out(page)

    # The reviewer approves it.
    sign_in(page, "reviewer-ba")
    page.get_by_role("link", name="Milestone #").first.click()
    assert page.get_by_text("Textile unit started production.").is_visible()
    page.get_by_role("button", name="Approve and apply").click()
    assert page.get_by_text("Update approved and applied.").is_visible()

    # The zone page shows the change in its history and a new score.
    page.goto(page.base_url + "/zones/bostan/")
    history = page.locator("section.history")
    assert history.get_by_text("reviewer-ba").first.is_visible()
    assert history.get_by_text("In progress → Done").is_visible()
    score_after = Zone.objects.get(pk=zone.pk).readiness_score
    assert score_after > score_before
    assert page.locator(".readiness-score").inner_text().startswith(str(score_after))
    assert page.probe.console_errors == []
