"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Every request that leaves the machine is blocked, so a page that needs the internet
(a CDN, a map tile server) fails its test here exactly as it would on a closed network.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/ensure-chromium.sh")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while the browser is
    # open; the tests' ORM calls are still synchronous and safe, so Django's async guard is
    # lifted for this module only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch(sync_playwright)
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch(sync_playwright):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


class PageProbe:
    """What the page did that a user would notice: console errors and blocked requests."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.blocked_requests: list[str] = []


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    probe = PageProbe()
    allowed_host = urlparse(live_server.url).netloc

    def route(route_request):
        url = urlparse(route_request.request.url)
        if url.scheme in ("data", "blob") or url.netloc == allowed_host:
            return route_request.continue_()
        probe.blocked_requests.append(route_request.request.url)
        return route_request.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda msg: msg.type == "error" and probe.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: probe.console_errors.append(str(exc)))
    page.probe = probe
    page.base_url = live_server.url
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
