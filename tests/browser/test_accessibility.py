"""WCAG 2.1 AA in a real Chromium: axe-core finds no serious or critical violation on the main
pages in English, Urdu and Chinese, and the finder, comparison and editing forms work from
the keyboard with a visible focus.

axe-core comes from its npm package (``tests/browser/axe.py`` caches it under .data/) and is
injected into each page: nothing is loaded from outside. The moderate and minor findings are
written to test-artifacts/axe-report.json for people to read; they do not fail the test.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.browser.axe import AxeUnavailable, ensure_axe
from tests.browser.conftest import ARTIFACTS
from tests.factories import (
    ApplicationFactory,
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    PolicyEventFactory,
    TargetFactory,
    UtilityFactory,
    ZoneFactory,
    make_user,
)

LANGUAGES = {"en": "", "ur": "/ur", "zh-hans": "/zh-hans"}
FAILING_IMPACTS = {"serious", "critical"}
PUBLIC_PAGES = {
    "national dashboard": "/",
    "finder": "/zones/",
    "zone page": "/zones/rashakai/",
    "province page": "/provinces/PK-KP/",
    "compare": "/zones/compare/?zone=rashakai&zone=hattar",
    "announced vs delivered": "/delivery/",
    "policy and approvals": "/policy/",
    "sign-in": "/accounts/login/",
}
EDITOR_PAGES = {"editor workspace": "/workspace/", "milestone form": None}  # form: see below

RUN_AXE = """async () => {
  const result = await axe.run(document);
  return {
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
    })),
    passed: result.passes.length,
    to_review: result.incomplete.map(v => v.id),
  };
}"""


@pytest.fixture(scope="module")
def axe_js():
    try:
        return ensure_axe()
    except AxeUnavailable as exc:
        pytest.fail(str(exc))


@pytest.fixture
def world():
    rashakai = ZoneFactory(
        name="Rashakai SEZ",
        # Translated in Urdu and Chinese; Hattar is not, so its name falls back (lang="en").
        name_ur="رشکئی خصوصی اقتصادی زون",
        name_zh_hans="拉沙卡伊经济特区",
        description="On the M-1 motorway near Nowshera.",
        description_ur="نوشہرہ کے قریب ایم ون موٹروے پر۔",
        description_zh_hans="位于瑙谢拉附近的M-1高速公路旁。",
        slug="rashakai",
        province__code="PK-KP",
        district="Nowshera",
        area_acres=Decimal("1000"),
        sectors=["textiles", "food-processing"],
        cpec_priority=True,
    )
    hattar = ZoneFactory(name="Hattar SEZ", slug="hattar", province__code="PK-KP")
    UtilityFactory(
        zone=rashakai,
        kind="electricity",
        status="at_zero_point",
        required_capacity=Decimal("160"),
        available_capacity=Decimal("80"),
        unit="MW",
    )
    UtilityFactory(zone=rashakai, kind="gas", status="connected")
    DisputeFactory(zone=rashakai)
    milestone = MilestoneFactory(
        zone=rashakai,
        title="Groundbreaking",
        status="in_progress",
        planned_date=datetime.date(2024, 6, 30),
    )
    FirmFactory(zone=rashakai, name="Frontier Foods", jobs_actual=1200)
    TargetFactory(zone=rashakai, value=Decimal("5000"))
    FirmFactory(zone=hattar, name="Hattar Textiles", origin_country="CN", ownership="foreign")
    PolicyEventFactory(title="Income tax exemption for 10 years", incentive="income-tax")
    PolicyEventFactory(title="Income tax exemption withdrawn", incentive="income-tax",
                       effect="incentive_withdrawn", date=datetime.date(2020, 1, 1))  # fmt: skip
    ApplicationFactory(zone=rashakai, decided_on=datetime.date(2024, 2, 1), decision="approved")
    editor = make_user("editor", zones=[rashakai], username="editor-kp")
    from readiness.services import readiness_recompute

    readiness_recompute(zone_ids=[rashakai.pk, hattar.pk])
    return {"milestone": milestone, "editor": editor}


@pytest.fixture
def axe_context(browser, live_server):
    """A browser context like the ``page`` fixture's (outside network blocked) that lets the
    test inject axe-core under the site's Content Security Policy."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    allowed_host = urlparse(live_server.url).netloc

    def route(route_request):
        url = urlparse(route_request.request.url)
        if url.scheme in ("data", "blob") or url.netloc == allowed_host:
            return route_request.continue_()
        return route_request.abort()

    context.route("**/*", route)
    yield context
    context.close()


def _audit(page, axe_js, url: str, summary: list[dict]) -> list[dict]:
    """axe-core's violations on ``url``; its rules passed and left for review go in
    ``summary``."""
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.add_script_tag(path=str(axe_js))
    result = page.evaluate(RUN_AXE)
    assert result["passed"] > 20, f"axe-core checked almost nothing on {url}"
    summary.append({"url": url, "passed": result["passed"], "to_review": result["to_review"]})
    return result["violations"]


def _sign_in(context, base_url: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


@pytest.mark.django_db(transaction=True)
def test_no_serious_or_critical_axe_violations_on_the_main_pages_in_every_language(
    axe_context, axe_js, live_server, world
):
    base = live_server.url
    page = axe_context.new_page()
    page.set_default_timeout(20_000)
    findings, summary = [], []
    for language, prefix in LANGUAGES.items():
        for name, path in PUBLIC_PAGES.items():
            findings.append((language, name, _audit(page, axe_js, base + prefix + path, summary)))
    _sign_in(axe_context, base, world["editor"])
    edit_path = f"/workspace/edit/milestone/{world['milestone'].pk}/"
    for language, prefix in LANGUAGES.items():
        for name, path in EDITOR_PAGES.items():
            url = base + prefix + (path or edit_path)
            violations = _audit(page, axe_js, url, summary)
            assert urlparse(page.url).path == urlparse(url).path, f"{name} redirected"
            findings.append((language, name, violations))

    report = [
        {"language": language, "page": name, **violation}
        for language, name, violations in findings
        for violation in violations
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe-report.json").write_text(
        json.dumps({"violations": report, "pages": summary}, ensure_ascii=False, indent=1)
    )
    failing = [v for v in report if v["impact"] in FAILING_IMPACTS]
    assert len(findings) == len(LANGUAGES) * (len(PUBLIC_PAGES) + len(EDITOR_PAGES))
    assert not failing, "\n".join(
        f"{v['language']} {v['page']}: {v['impact']} {v['id']} ({v['help']}) at {v['nodes']}"
        for v in failing
    )


def _focused(page) -> dict:
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return {tag: el.tagName.toLowerCase(), name: el.getAttribute("name"),
                  type: el.getAttribute("type"), text: (el.innerText || "").trim(),
                  label: el.getAttribute("aria-label"), value: el.value,
                  outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth)};
        }"""
    )


def _tab_to(page, predicate, *, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = _focused(page)
        if predicate(focused):
            assert focused["outline"] >= 2, f"no visible focus on {focused}"
            return focused
    raise AssertionError("never reached the element with the Tab key")


@pytest.mark.django_db(transaction=True)
def test_finder_compare_and_editing_forms_work_from_the_keyboard(page, world):
    page.goto(page.base_url + "/ur/zones/")

    # The first Tab reaches the skip link, shown when focused; it leads into the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="مواد پر جائیں")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 1

    _tab_to(page, lambda f: f["name"] == "sector" and f["value"] == "textiles")
    page.keyboard.press("Space")
    _tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "فلٹرز لاگو کریں")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/ur/zones/\?.*sector=textiles"))
    expect(page.get_by_role("heading", name="1 زون مطابقت رکھتا ہے")).to_be_visible()

    page.goto(page.base_url + "/ur/zones/")
    _tab_to(page, lambda f: f["name"] == "zone" and "Hattar SEZ" in (f["label"] or ""))
    page.keyboard.press("Space")
    # Rashakai has an Urdu name, which the Urdu finder lists it by (after the Latin ones).
    _tab_to(page, lambda f: f["name"] == "zone" and "رشکئی" in (f["label"] or ""))
    page.keyboard.press("Space")
    expect(page.locator("#compare-status")).to_have_text("منتخب: 4 میں سے 2")
    # Back to the compare button, which the script enabled once two zones were ticked.
    page.get_by_role("button", name=re.compile("منتخب زونز کا موازنہ کریں")).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/ur/zones/compare/\?zone=hattar&zone=rashakai"))
    expect(page.get_by_role("heading", level=1)).to_have_text("زونز کا موازنہ کریں")

    _sign_in(page.context, page.base_url, world["editor"])
    page.goto(page.base_url + f"/ur/workspace/edit/milestone/{world['milestone'].pk}/")
    status = _tab_to(page, lambda f: f["tag"] == "select")
    assert status["name"] == "status"
    page.keyboard.press("End")  # the last choice, "Cancelled"
    comment = _tab_to(page, lambda f: f["tag"] == "textarea")
    assert comment["name"] == "comment"
    page.keyboard.type("Work resumed; source: provincial board minutes.")
    _tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "اپ ڈیٹ جمع کرائیں")
    page.keyboard.press("Enter")
    # the update's own page, where evidence is attached
    expect(page).to_have_url(re.compile(r"/ur/workspace/updates/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("اپ ڈیٹ جائزے کے لیے جمع کرا دیا گیا۔")
    assert page.probe.console_errors == []
