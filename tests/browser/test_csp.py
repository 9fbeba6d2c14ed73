"""Every page under the strict Content Security Policy, in a real Chromium: no violation
reported, no console error, and what the page does with scripts still happens (charts
drawn, the finder's and the import page's scripts running).

Pages come from the URL configuration: a URL name that is neither visited here nor listed
in ``NOT_PAGES`` fails the test.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import translation

from follow.alerts import CONFIRM_SALT, unsubscribe_token
from readiness.services import readiness_recompute
from scripts import plotly_css
from tests.browser.charts import scroll_to_every_chart
from tests.factories import (
    ApplicationFactory,
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    PolicyEventFactory,
    UtilityFactory,
    ZoneFactory,
    make_user,
)
from tests.security.test_permission_matrix import _url_names
from workspace.imports.services import import_job_apply, import_job_create
from workspace.models import ChangeRequest, ImportJob, ImportJobStatus

# Collects every violation the browser reports, from the first byte of every document.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__csp.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}` +
    ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}` +
    (event.sample ? ` (${event.sample})` : ""));
});
"""

# URL names that are not pages a browser shows: files, JSON, POST-only actions.
NOT_PAGES = {
    "healthz": "JSON for load balancers",
    "logout": "POST only",
    "set_language": "POST only",
    "api-schema": "the OpenAPI document (YAML)",
    "zones:export-csv": "a file download",
    "zones:export-xlsx": "a file download",
    "workspace:approve": "POST only",
    "workspace:return": "POST only",
    "workspace:import_status": "JSON the import page polls (visited by that page)",
    "workspace:import_apply": "POST only",
    "workspace:import_retry": "POST only",
    "workspace:import_template": "a file download",
    "workspace:import_approve": "POST only",
    "workspace:import_return": "POST only",
    "workspace:evidence_attach": "POST only",
    "workspace:evidence_download": "a file download",
    "follow:feed-changes": "an Atom feed",
    "follow:feed-zone": "an Atom feed",
    "follow:feed-province": "an Atom feed",
    "follow:data-download": "a file download",
    "follow:alert-subscribe": "POST only",
    "follow:saved-search-delete": "POST only",
}


@dataclass
class Visit:
    name: str
    role: str
    path: str
    charts: bool = False


@pytest.fixture
def world(transactional_db):
    zone = ZoneFactory(
        slug="rashakai", name="Rashakai SEZ", province__code="PK-KP", sectors=["textiles"]
    )
    other = ZoneFactory(slug="dhabeji", name="Dhabeji SEZ", province__code="PK-SD")
    for each in (zone, other):
        UtilityFactory(zone=each, kind="electricity", status="at_zero_point")
        DisputeFactory(zone=each, affected_acres=Decimal("40"))
        FirmFactory(zone=each, origin_country="CN", ownership="foreign")
    milestone = MilestoneFactory(
        zone=zone, status="in_progress", planned_date=datetime.date(2024, 1, 1)
    )
    PolicyEventFactory(title="Income tax exemption", zones=[zone])
    ApplicationFactory(zone=zone, decided_on=datetime.date(2024, 2, 1), decision="approved")
    readiness_recompute(zone_ids=None)
    users = {
        "editor": make_user("editor", zones=[zone]),
        "reviewer": make_user("reviewer", provinces=["PK-KP"]),
        "administrator": make_user("administrator", is_superuser=True),
    }
    change = ChangeRequest.objects.create(
        zone=zone,
        kind="milestone",
        record_id=milestone.pk,
        base={"status": "in_progress", "planned_date": "2024-01-01", "actual_date": None},
        proposed={"status": "done", "planned_date": "2024-01-01", "actual_date": "2024-01-05"},
        comment="Done.",
        submitted_by=users["editor"],
    )
    previewed = import_job_create(
        owner=users["editor"],
        filename="milestones.csv",
        data=b"zone,code,title,responsible,status\nrashakai,first_firm,First firm,developer,done\n",
        language="en",
    )
    waiting = import_job_create(
        owner=users["editor"],
        filename="milestones.csv",
        data=b"zone,code,title,responsible,status\nrashakai,roads,Roads,developer,done\n",
        language="en",
    )
    ImportJob.objects.filter(pk=waiting.pk).update(status=ImportJobStatus.QUEUED)
    proposed = import_job_create(
        owner=users["editor"],
        filename="milestones.csv",
        data=b"zone,code,title,responsible,status\nrashakai,power,Power,developer,done\n",
        language="en",
    )
    proposed = import_job_apply(job=proposed, user=users["editor"])  # a batch for review
    assert proposed.status == ImportJobStatus.PROPOSED

    confirm_token = signing.dumps(
        {"e": "reader@example.org", "q": "", "z": "", "f": "daily", "l": "en"},
        salt=CONFIRM_SALT,
    )

    def url(name, *args, language="en"):
        with translation.override(language):
            return reverse(name, args=args)

    visits = [
        Visit("dashboards:national", "anonymous", url("dashboards:national"), charts=True),
        Visit("dashboards:national", "anonymous", url("dashboards:national", language="ur"), True),
        Visit("dashboards:province", "anonymous", url("dashboards:province", "PK-KP"), True),
        Visit("dashboards:delivery", "anonymous", url("dashboards:delivery"), charts=True),
        Visit("policy:national", "anonymous", url("policy:national"), charts=True),
        Visit("policy:national", "anonymous", url("policy:national", language="ur"), True),
        Visit("zones:finder", "anonymous", url("zones:finder") + "?sector=textiles&sort=name"),
        Visit("zones:finder", "anonymous", url("zones:finder", language="zh-hans")),
        Visit("zones:detail", "anonymous", url("zones:detail", zone.slug), charts=True),
        Visit("zones:detail", "reviewer", url("zones:detail", zone.slug), charts=True),
        Visit("zones:compare", "anonymous", url("zones:compare") + "?zone=rashakai&zone=dhabeji"),
        Visit("api-docs", "anonymous", url("api-docs")),
        Visit("api:api-root", "anonymous", url("api:api-root")),
        Visit("api:zone-list", "anonymous", url("api:zone-list")),
        Visit("api:zone-detail", "anonymous", url("api:zone-detail", zone.slug)),
        Visit("api:policy-events", "anonymous", url("api:policy-events") + "?zone=rashakai"),
        Visit("login", "anonymous", url("login")),
        Visit("password_change", "editor", url("password_change")),
        Visit("password_change_done", "editor", url("password_change_done")),
        Visit("workspace:home", "editor", url("workspace:home")),
        Visit("workspace:home", "reviewer", url("workspace:home")),
        Visit("workspace:edit", "editor", url("workspace:edit", "milestone", milestone.pk)),
        Visit("workspace:review", "reviewer", url("workspace:review", change.pk)),
        Visit("workspace:import_upload", "editor", url("workspace:import_upload")),
        Visit("workspace:import_job", "editor", url("workspace:import_job", previewed.pk)),
        Visit("workspace:import_job", "editor", url("workspace:import_job", waiting.pk)),
        Visit("workspace:import_review", "reviewer", url("workspace:import_review", proposed.pk)),
        Visit("admin:index", "administrator", url("admin:index")),
        Visit("admin:index", "administrator", url("admin:zones_zone_changelist")),
        Visit("admin:index", "administrator", url("admin:zones_zone_change", zone.pk)),
        Visit("admin:index", "administrator", url("admin:zones_zone_history", zone.pk)),
        Visit("admin:index", "administrator", url("admin:zones_zone_add")),
        Visit("follow:changes", "anonymous", url("follow:changes") + "?province=PK-KP"),
        Visit("follow:data", "anonymous", url("follow:data")),
        Visit("follow:saved-searches", "editor", url("follow:saved-searches")),
        Visit("follow:alert-confirm", "anonymous", url("follow:alert-confirm", confirm_token)),
        Visit(
            "follow:alert-unsubscribe",
            "anonymous",
            url("follow:alert-unsubscribe", unsubscribe_token("reader@example.org")),
        ),
    ]
    return visits, users


def sign_in(page, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}]
    )


def violations(page) -> list[str]:
    return page.evaluate("() => window.__csp || []")


def test_every_page_works_under_the_policy_without_violations(page, world):
    visits, users = world
    unvisited = set(_url_names()) - set(NOT_PAGES) - {visit.name for visit in visits}
    assert not unvisited, f"visit these pages here (or list them in NOT_PAGES): {unvisited}"
    page.add_init_script(RECORD_VIOLATIONS)
    signed_in_as = None
    problems = []
    for visit in visits:
        if visit.role != signed_in_as:
            page.context.clear_cookies()
            if visit.role != "anonymous":
                sign_in(page, users[visit.role])
            signed_in_as = visit.role
        page.probe.console_errors.clear()

        response = page.goto(page.base_url + visit.path)

        assert response.status == 200, f"{visit.path} as {visit.role}: {response.status}"
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, visit.path
        if visit.charts:
            scroll_to_every_chart(page)
            page.wait_for_function(
                "() => [...document.querySelectorAll('.plot[data-figure]')]"
                ".every((p) => p.dataset.drawn === 'true')"
            )
            assert page.locator(".plot[data-figure] .main-svg").count() > 0, visit.path
        page.wait_for_load_state("networkidle")
        found = violations(page) + page.probe.console_errors
        if found:
            problems.append(f"{visit.path} ({visit.role}): {found}")

    assert not problems, "\n".join(problems)
    assert not page.probe.blocked_requests


def test_plotly_draws_with_its_rules_from_our_stylesheet(page, world):
    """plotly.js finds our stylesheets and injects no <style>; its rules apply (the modebar
    sits in the chart's top corner, as plotly.js styles it)."""
    visits, _users = world
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(page.base_url + visits[0].path)
    scroll_to_every_chart(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.plot[data-figure]')]"
        ".every((p) => p.dataset.drawn === 'true')"
    )

    assert page.locator("style").count() == 0
    modebar = page.locator(".js-plotly-plot .plotly .modebar").first
    assert modebar.evaluate("(el) => getComputedStyle(el).position") == "absolute"
    assert modebar.evaluate("(el) => getComputedStyle(el).top") == "2px"
    group = page.locator(".js-plotly-plot .plotly .modebar-group").first
    assert group.evaluate("(el) => getComputedStyle(el).boxSizing") == "border-box"
    assert violations(page) == []


def test_a_violation_would_be_seen(page, world):
    """The probe is not blind: an inline style and an inline script are refused and reported."""
    visits, _users = world
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(page.base_url + visits[4].path)

    page.evaluate(
        """() => {
            const style = document.createElement("style");
            style.textContent = "body { background: red; }";
            document.head.appendChild(style);
            const script = document.createElement("script");
            script.textContent = "window.__ran = true;";
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)

    found = violations(page)
    assert any(v.startswith("style-src-elem blocked inline") for v in found), found
    assert any(v.startswith("script-src-elem blocked inline") for v in found), found
    assert page.evaluate("() => window.__ran === true") is False
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") != (
        "rgb(255, 0, 0)"
    )


def test_plotly_stylesheets_match_the_installed_plotly(page):
    """Our static copies hold exactly the CSS our plotly.js bundle would inject, and the page
    links each with plotly.js's id; after rebuilding the bundle, run scripts/plotly_css.py
    (``make plotly-bundle`` does both)."""
    bundle = plotly_css.plotly_bundle()
    styles = plotly_css.injected_styles(page, bundle)
    version = plotly_css.plotly_version(bundle)

    assert styles[0].id == plotly_css.GLOBAL_ID
    for style in styles:
        path = plotly_css.CSS_DIR / style.filename
        assert path.is_file(), f"{path} missing: run scripts/plotly_css.py"
        assert path.read_text(encoding="utf-8") == plotly_css.stylesheet(style, version), (
            f"{path.name} is stale: run scripts/plotly_css.py"
        )
    assert plotly_css.INCLUDE.read_text(encoding="utf-8") == plotly_css.include(styles)
