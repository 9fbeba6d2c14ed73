"""A record's text in the page's language, and which language it really is in.

Content is translated field by field (``zones/translation.py``); where the page's language
has no translation the English source is shown instead, and the page must say so
(``lang="en"``, and ``dir="ltr"`` inside a right-to-left page) for screen readers to switch
voice and for the layout to keep Latin text left to right. :func:`localized` reads the
values already loaded on the record: it never queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

SOURCE_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE


def field_name(field: str, language: str) -> str:
    """The column holding ``field`` in ``language`` (``name_zh_hans`` for ``zh-hans``)."""
    return f"{field}_{language.replace('-', '_')}"


@dataclass(frozen=True)
class Localized:
    """A piece of content and the language it is written in."""

    text: str
    language: str
    fallback: bool  # the page's language had no translation: this is the English source

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def localized(record: Any, field: str, language: str | None = None) -> Localized:
    """``record``'s ``field`` in ``language`` (the active one by default), or its English
    source marked as a fallback when there is no translation."""
    language = language or translation.get_language() or SOURCE_LANGUAGE
    text = getattr(record, field_name(field, language), None)
    if text:
        return Localized(text, language, fallback=False)
    source = getattr(record, field_name(field, SOURCE_LANGUAGE), None) or ""
    return Localized(source, SOURCE_LANGUAGE, fallback=language != SOURCE_LANGUAGE)


def in_every_language(field: str) -> list[str]:
    """Every column of a translated field: the English source first."""
    languages = [SOURCE_LANGUAGE] + [
        code for code, _label in settings.LANGUAGES if code != SOURCE_LANGUAGE
    ]
    return [field_name(field, language) for language in languages]


def shown_text(field: str, language: str | None = None):
    """The SQL expression of the text a page in ``language`` shows: the translation, else
    the English source (to sort by what the reader sees)."""
    language = language or translation.get_language() or SOURCE_LANGUAGE
    source = F(field_name(field, SOURCE_LANGUAGE))
    if language == SOURCE_LANGUAGE:
        return source
    return Coalesce(
        NullIf(F(field_name(field, language)), Value("")), source, output_field=CharField()
    )
