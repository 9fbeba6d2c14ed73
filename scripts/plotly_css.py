"""Write plotly.js's run-time CSS as static stylesheets, for our strict Content Security Policy.

plotly.js puts CSS into ``<style>`` elements it creates as it loads: its own rules (modebar,
hover labels, notifier) in ``#plotly.js-style-global``, and the MapLibre stylesheet in a
``<style>`` whose id is a hash. ``style-src 'self'`` refuses both. plotly.js skips each one
when the page already holds an element with that id (the global one also needs the class
``no-inline-styles``). So this script runs the installed plotly.js once in Chromium, without
a policy, and writes what it injected:

- ``static/css/plotly.css``: the global rules, in the order plotly.js inserted them;
- ``static/css/plotly-<id prefix>.css``: each other injected ``<style>``'s text;
- ``templates/dashboards/_plotly_styles.html``: a ``<link>`` to each, with plotly.js's id.

``tests/browser/test_csp.py`` fails when they no longer match our plotly.js bundle
(``static/plotly/plotly.min.js``, built by ``scripts/plotly-bundle/build.sh``). Run after
rebuilding the bundle:

    .venv/bin/python scripts/plotly_css.py
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
CSS_DIR = BASE_DIR / "static" / "css"
GLOBAL_CSS = CSS_DIR / "plotly.css"
INCLUDE = BASE_DIR / "templates" / "dashboards" / "_plotly_styles.html"
GLOBAL_ID = "plotly.js-style-global"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

COLLECT = """(globalId) => Array.from(document.querySelectorAll("style"), (style) => ({
    id: style.id,
    text: style.id === globalId
        ? Array.from(style.sheet.cssRules, (rule) => rule.cssText).join("\\n")
        : style.textContent,
}))"""


@dataclass(frozen=True)
class InjectedStyle:
    id: str
    text: str

    @property
    def filename(self) -> str:
        return GLOBAL_CSS.name if self.id == GLOBAL_ID else f"plotly-{self.id[:12]}.css"


def plotly_bundle() -> Path:
    """The plotly.js the pages load: our partial bundle (scripts/plotly-bundle/)."""
    return BASE_DIR / "static" / "plotly" / "plotly.min.js"


def plotly_version(bundle: Path) -> str:
    found = re.search(r"plotly\.js (v[\w.+-]+)", bundle.read_text(errors="replace")[:300])
    return found.group(1) if found else "unknown"


def injected_styles(page, bundle: Path) -> list[InjectedStyle]:
    """Load ``bundle`` into an empty Playwright ``page`` (no policy) and collect its styles."""
    page.set_content("<!DOCTYPE html><html><head></head><body></body></html>")
    page.add_script_tag(content=bundle.read_text(encoding="utf-8"))
    return [InjectedStyle(**style) for style in page.evaluate(COLLECT, GLOBAL_ID)]


def stylesheet(style: InjectedStyle, version: str) -> str:
    what = "the rules" if style.id == GLOBAL_ID else f"the <style id={style.id[:12]}…>"
    return (
        f"/* plotly.js {version}: {what} it would inject at run time, written by\n"
        " * scripts/plotly_css.py; do not edit by hand (templates/dashboards/_scripts.html). */\n"
        f"{style.text.strip()}\n"
    )


def include(styles: list[InjectedStyle]) -> str:
    lines = ["{% load static %}{% comment %}Written by scripts/plotly_css.py: plotly.js's CSS "
             "as static files, so it injects no <style> (strict CSP).{% endcomment %}"]  # fmt: skip
    for style in styles:
        extra = ' class="no-inline-styles"' if style.id == GLOBAL_ID else ""
        lines.append(
            f'<link rel="stylesheet" id="{style.id}"{extra} '
            f"href=\"{{% static 'css/{style.filename}' %}}\">"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    from playwright.sync_api import sync_playwright

    bundle = plotly_bundle()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            styles = injected_styles(browser.new_page(), bundle)
        finally:
            browser.close()
    if not any(style.id == GLOBAL_ID for style in styles):
        print("plotly.js injected no global style element: nothing written", file=sys.stderr)
        return 1
    version = plotly_version(bundle)
    for old in CSS_DIR.glob("plotly-*.css"):
        old.unlink()
    for style in styles:
        (CSS_DIR / style.filename).write_text(stylesheet(style, version), encoding="utf-8")
        print(f"static/css/{style.filename}: {len(style.text)} characters")
    INCLUDE.write_text(include(styles), encoding="utf-8")
    print(f"{INCLUDE.relative_to(BASE_DIR)}: {len(styles)} links")
    return 0


if __name__ == "__main__":
    sys.exit(main())
