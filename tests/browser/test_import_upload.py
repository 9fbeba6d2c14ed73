"""An administrator uploads a large spreadsheet in Chromium; a real worker checks and applies it."""

import pytest
from django.test import Client

from tests.factories import ZoneFactory, make_user
from tests.workspace.imports.helpers import csv_bytes, many_milestones
from zones.models import Milestone

ROWS = 400


def sign_in(page, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}]
    )


# Every value the page's script gives the progress bar, kept across the page's reloads.
RECORD_PROGRESS = """
document.addEventListener("DOMContentLoaded", () => {
  const bar = document.querySelector("#import-progress progress");
  if (!bar) return;
  new MutationObserver(() => {
    const seen = JSON.parse(sessionStorage.getItem("bar") || "[]");
    seen.push([bar.value, bar.max]);
    sessionStorage.setItem("bar", JSON.stringify(seen));
  }).observe(bar, {attributes: true, attributeFilter: ["value", "max"]});
});
"""


def bar_values(page) -> list[tuple[float, float]]:
    values = page.evaluate("() => JSON.parse(sessionStorage.getItem('bar') || '[]')")
    page.evaluate("() => sessionStorage.removeItem('bar')")
    return [tuple(pair) for pair in values]


@pytest.mark.worker
def test_an_administrator_uploads_previews_and_applies_with_a_progress_bar(
    page, settings, celery_worker_process
):
    settings.IMPORT_SYNC_MAX_ROWS = 10
    ZoneFactory(slug="rashakai", name="Rashakai SEZ", province__code="PK-KP")
    sign_in(page, make_user("administrator"))  # an editor's import goes to review instead
    page.add_init_script(RECORD_PROGRESS)

    page.goto(page.base_url + "/workspace/")
    page.get_by_role("link", name="Import updates from a spreadsheet").click()
    assert page.get_by_text("As an administrator you may import rows for every zone").is_visible()
    page.get_by_label("Spreadsheet").set_input_files(
        {
            "name": "milestones.csv",
            "mimeType": "text/csv",
            "buffer": csv_bytes(many_milestones("rashakai", ROWS)),
        }
    )
    page.get_by_role("button", name="Upload and check").click()

    page.get_by_role("heading", name="Preview: what applying would do").wait_for(timeout=30_000)
    value, maximum = bar_values(page)[-1]
    assert value == maximum > 0  # the bar filled before the page showed the preview
    assert page.locator("table.import-counts tbody tr").inner_text().split() == [
        "milestones", str(ROWS), "0", "0"
    ]  # fmt: skip
    assert Milestone.objects.count() == 0

    page.get_by_role("button", name="Apply this import").click()
    assert page.locator("#import-progress progress").count() == 1
    page.get_by_role("heading", name="Import report").wait_for(timeout=30_000)

    seen = bar_values(page)
    assert any(0 < value < maximum for value, maximum in seen), seen  # moved part way
    assert seen[-1][0] == seen[-1][1]  # and filled up before the report replaced it

    assert Milestone.objects.count() == ROWS
    assert page.get_by_text("Applied on").is_visible()
    assert page.probe.console_errors == []
    assert page.probe.blocked_requests == []
