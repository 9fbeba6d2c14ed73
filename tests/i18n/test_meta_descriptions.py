"""Every public page says what it shows in a meta description of its own (search results and
link previews quote it; Lighthouse's SEO audit asks for it), in the page's language."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.utils import translation

from tests.factories import ZoneFactory

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
PAGES = {
    "national dashboard": "/",
    "province page": "/provinces/PK-KP/",
    "announced vs delivered": "/delivery/",
    "finder": "/zones/",
    "compare": "/zones/compare/?zone=rashakai",
    "zone page": "/zones/rashakai/",
    "sign-in": "/accounts/login/",
}
PREFIXES = {"en": "", "ur": "/ur", "zh-hans": "/zh-hans"}


def descriptions(client, language: str) -> dict[str, str]:
    found = {}
    for name, path in PAGES.items():
        response = client.get(PREFIXES[language] + path)
        assert response.status_code == 200, (language, path)
        matches = DESCRIPTION.findall(response.content.decode())
        assert len(matches) == 1, f"{language} {path}: {len(matches)} meta descriptions"
        found[name] = unescape(matches[0])
    return found


@pytest.mark.django_db
def test_each_public_page_describes_itself_in_each_language(client):
    ZoneFactory(slug="rashakai", name="Rashakai SEZ", province__code="PK-KP")
    english = descriptions(client, "en")

    # The pages that show records each say what they show; the sign-in page the site's own.
    shown = {name: text for name, text in english.items() if name != "sign-in"}
    assert len(set(shown.values())) == len(shown), english
    assert all(50 <= len(text) <= 300 for text in english.values()), english
    assert "Khyber Pakhtunkhwa" in english["province page"]
    assert "Rashakai SEZ" in english["zone page"]
    assert "Khyber Pakhtunkhwa" in english["zone page"]
    for language in ("ur", "zh-hans"):
        translated = descriptions(client, language)
        for name, text in translated.items():
            assert text and text != english[name], f"{name} in {language}: {text!r}"
        assert "Rashakai SEZ" in translated["zone page"]
        with translation.override(language):
            assert translation.gettext("Khyber Pakhtunkhwa") in translated["province page"]
