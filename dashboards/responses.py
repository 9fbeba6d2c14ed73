"""Whole responses named by the data they show: ETags, 304s and a kept copy for the public.

An API client or a browser that asks again for what it already has should cost the two
cores next to nothing. A response here is named by what it was built from: its path and
query, its language, who is asking (officials see internal fields) and the data version of
``dashboards.cache`` (any ORM write to the records changes it). That name is the response's
ETag, so a client sending it back in ``If-None-Match`` gets a ``304 Not Modified`` without a
query; and, for visitors who are not signed in, the rendered body is kept in the cache under
the same name, so a second visitor costs one cache read.

The name also carries the current ``DASHBOARDS_CACHE_SECONDS`` window: writes the ORM does
not signal (a bulk load by COPY, the nightly SQL recount) show within that many seconds, as
on the dashboards. A deployment runs ``migrate``, which changes the data version too, so no
page of an older release is answered with a 304. Nothing is named or kept inside an open
transaction, or when ``DASHBOARDS_CACHE_SECONDS`` is 0.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache as django_cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

from . import cache

#: Headers a kept response is served with again (the rest are the middleware's each time).
KEPT_HEADERS = ("Content-Type", "Content-Language")


def response_name(request: HttpRequest, *, scope: str, variant: str) -> str:
    """The ETag of what ``request`` would be answered with now (quoted, strong)."""
    window = int(time.time() // max(cache.lifetime(), 1))
    parts = (scope, variant, cache.viewer(request), request.get_full_path(), cache.data_version())
    digest = hashlib.sha256("\n".join(map(str, (*parts, window))).encode()).hexdigest()[:40]
    return quote_etag(digest)


def versioned(
    request: HttpRequest,
    *,
    scope: str,
    variant: str,
    build: Callable[[], HttpResponse],
    keep: bool = True,
) -> HttpResponse:
    """``build()``'s response for ``request``, or a 304 when the client holds it already, or
    the public's kept copy (unless ``keep`` is False: a page with a form carries its
    visitor's own CSRF token). ``variant`` names what else the response depends on (its
    language). Only a rendered 200 is named or kept: errors are built every time."""
    if request.method not in ("GET", "HEAD") or not cache.usable():
        return build()
    etag = response_name(request, scope=scope, variant=variant)
    public = cache.viewer(request) == "public"
    keep = keep and public
    answer = get_conditional_response(request, etag=etag)
    if answer is None and keep:
        answer = _kept(etag)
    if answer is None:
        answer = build()
        if answer.status_code != 200 or answer.streaming:
            return answer
        if keep:
            _keep(etag, answer)
    answer["ETag"] = etag
    # Stored by browsers and shared caches, but always checked with us before it is used.
    patch_cache_control(answer, no_cache=True, **({} if public else {"private": True}))
    return answer


def named_by_data(scope: str):
    """A page view's decorator: its 200s carry an ETag named by the data version, and a
    browser holding the current page gets a 304 without the page being built again. Pages
    are not kept for others (their forms carry each visitor's CSRF token), and a request
    with messages waiting (``Saved.``) is always answered in full, so they are shown."""

    def decorate(view):
        @wraps(view)
        def named(request, *args, **kwargs):
            def build():
                return view(request, *args, **kwargs)

            if len(get_messages(request)):
                return build()
            variant = translation.get_language()
            return versioned(request, scope=scope, variant=variant, build=build, keep=False)

        return named

    return decorate


def _key(etag: str) -> str:
    return f"responses:{etag.strip(chr(34))}"


def _keep(etag: str, response: HttpResponse) -> None:
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    django_cache.set(_key(etag), (response.content, headers), timeout=cache.lifetime())


def _kept(etag: str) -> HttpResponse | None:
    kept = django_cache.get(_key(etag))
    if kept is None:
        return None
    content, headers = kept
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response
