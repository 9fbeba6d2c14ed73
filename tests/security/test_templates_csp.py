"""No template of ours holds inline script, inline style or event-handler attributes: the
pages the browser test cannot reach (error pages, the lockout page) are checked here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
COMMENTS = re.compile(r"{% comment %}.*?{% endcomment %}|{#.*?#}", re.S)
FORBIDDEN = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
    "<style> element": re.compile(r"<style[\s>]", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event-handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES))
)
def test_template_needs_no_inline_code_or_style(template):
    text = COMMENTS.sub("", template.read_text(encoding="utf-8"))

    found = [what for what, pattern in FORBIDDEN.items() if pattern.search(text)]

    assert not found, f"{template.relative_to(TEMPLATES)}: {found}"


def test_the_scanner_sees_each_kind_of_inline_code():
    samples = {
        "inline script": "<script>alert(1)</script>",
        "<style> element": "<style>body{}</style>",
        "style attribute": '<p style="color:red">',
        "event-handler attribute": '<a onclick="go()">',
        "javascript: URL": '<a href="javascript:go()">',
    }
    for what, sample in samples.items():
        assert FORBIDDEN[what].search(sample), what
    assert not FORBIDDEN["inline script"].search('<script src="/static/js/a.js" defer>')
    assert not FORBIDDEN["inline script"].search('<script id="d" type="application/json">')
