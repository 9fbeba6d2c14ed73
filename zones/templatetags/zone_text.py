"""Content in the page's language: ``{{ zone|in_language:"name" }}``.

Formats only: the record is already loaded by the view or page builder.
"""

from __future__ import annotations

from functools import cache

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import conditional_escape, format_html

from zones.localized import Localized, localized

register = template.Library()


def marked(text: Localized):
    """The text, wrapped in ``<span lang="en">`` (and ``dir="ltr"`` on a right-to-left page)
    when it is the English source standing in for a missing translation."""
    if not text.fallback or not text.text:
        return conditional_escape(text.text)
    if translation.get_language_bidi():
        return format_html('<span lang="{}" dir="ltr">{}</span>', text.language, text.text)
    return format_html('<span lang="{}">{}</span>', text.language, text.text)


@register.filter
def in_language(record, field: str):
    """``record``'s ``field`` in the page's language, marked up when it falls back."""
    if record is None:
        return ""
    return marked(localized(record, field))


@register.simple_tag
def illustrative_badge(record):
    """``generic/illustrative_badge.html`` when ``record`` was invented for the demo: rendered
    once per language and process, not once per row (a synthetic zone's page has a hundred)."""
    if not getattr(record, "is_illustrative", False):
        return ""
    return _badge(translation.get_language())


@cache
def _badge(language: str | None) -> str:
    return render_to_string(
        "generic/illustrative_badge.html", {"record": {"is_illustrative": True}}
    )
