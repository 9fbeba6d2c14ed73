"""An editor uploads a sheet and a site photo; a reviewer sees the batch with the photo and
approves it; the public zone page shows the new values and the evidence. In Chromium."""

import datetime
import io

import pytest
from django.test import Client
from PIL import Image

from tests.factories import MilestoneFactory, ZoneFactory, make_user
from tests.workspace.imports.helpers import csv_bytes, milestone_row, milestones
from zones.models import Milestone


def sign_in(page, user) -> None:
    # The last person's page finishes loading first: a thumbnail still loading when the
    # cookies change would be asked for by somebody who may not see it (a 404).
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}]
    )


def photo() -> bytes:
    image = Image.new("RGB", (320, 200), (40, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)
def test_editor_sends_sheet_and_photo_reviewer_approves_public_page_shows_both(page):
    zone = ZoneFactory(slug="rashakai", name="Rashakai SEZ", province__code="PK-KP")
    MilestoneFactory(
        zone=zone, code="groundbreaking", title="Milestone groundbreaking",
        responsible="provincial", status="in_progress", baseline_date=datetime.date(2024, 1, 1),
        planned_date=datetime.date(2025, 1, 1),
    )  # fmt: skip
    editor = make_user("editor", zones=[zone])
    reviewer = make_user("reviewer", provinces=["PK-KP"])
    sheet = milestones(
        milestone_row("rashakai", "groundbreaking", status="done", actual_date="2025-02-01")
    )

    # The editor uploads the sheet, sends it for review and attaches a site photo.
    sign_in(page, editor)
    page.goto(page.base_url + "/workspace/imports/")
    page.get_by_label("Spreadsheet").set_input_files(
        {"name": "milestones.csv", "mimeType": "text/csv", "buffer": csv_bytes(sheet)}
    )
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("button", name="Send for review").click()
    page.get_by_text("The import was sent for review; nothing is applied yet.").wait_for()
    page.get_by_label("File").set_input_files(
        {"name": "site.jpg", "mimeType": "image/jpeg", "buffer": photo()}
    )
    page.get_by_label("Title").fill("Groundbreaking plaque, site photo")
    page.get_by_label("Kind").select_option("site_photo")
    page.get_by_label("Date").fill("2025-02-01")
    page.get_by_role("button", name="Attach evidence").click()
    page.get_by_text("Evidence attached.").wait_for()
    assert Milestone.objects.get(code="groundbreaking").status == "in_progress"

    # The reviewer finds the batch, sees the photo beside the diff, and approves it.
    sign_in(page, reviewer)
    page.goto(page.base_url + "/workspace/")
    page.get_by_role("link", name="milestones.csv").click()
    assert page.locator(".batch-row").count() == 1
    diff = page.locator(".batch-row table").inner_text()
    assert "in_progress" in diff and "done" in diff
    thumbnail = page.get_by_role("img", name="Groundbreaking plaque, site photo")
    thumbnail.wait_for()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 320", arg=thumbnail.element_handle()
    )
    page.get_by_role("button", name="Approve and apply the whole import").click()
    page.get_by_text("The import was approved and applied.").wait_for()

    # The public sees the new value and the evidence behind it.
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    page.goto(page.base_url + "/zones/rashakai/")
    row = page.locator("#milestones ~ table tbody tr, #milestones ~ div table tbody tr").first
    assert "Done" in row.inner_text()
    evidence = page.locator(".zone-evidence")
    text = evidence.inner_text()
    assert "Groundbreaking plaque, site photo" in text
    assert "Site photo" in text and "2025-02-01" in text
    link = evidence.get_by_role("link", name="Groundbreaking plaque, site photo")
    response = page.request.get(page.base_url + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-disposition"].startswith("attachment")
    assert b"PhoneMaker" not in response.body()
    assert page.probe.console_errors == []
