"""The language switcher's endpoint."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.views.i18n import set_language as django_set_language


def set_language(request):
    """Django's ``set_language``, reading the page to return to in the language its URL
    carries (``/ur/…`` Urdu, ``/zh-hans/…`` Chinese, unprefixed English).

    Django resolves ``next`` in the language of this request, which comes from the cookie or
    the browser, not from the page: a reader who opened a shared ``/ur/`` link with an
    English browser would be sent back to the Urdu page. Resolving it in the page's own
    language lets ``translate_url`` find the same page in the chosen language."""
    next_url = request.POST.get("next", request.GET.get("next", ""))
    page_language = translation.get_language_from_path(urlsplit(next_url).path)
    with translation.override(page_language or settings.LANGUAGE_CODE):
        return django_set_language(request)
