"""Whole responses named by the data they show: ETags, 304s and a kept copy for the public.

An API client or a browser that asks again for what it already has should cost the two
cores next to nothing. A response here is named by what it was built from: its path and
query, its language, who is asking (officials see internal fields) and the data version of
``dashboards.cache`` (any ORM write to the records changes it). That name is the response's
ETag, so a client sending it back in ``If-None-Match`` gets a ``304 Not Modified`` without a
query; and, for visitors who are not signed in, the rendered body is kept in the cache under
the same name, so a second visitor costs one cache read.

A page with a form (every page has the language switch) carries its visitor's CSRF token;
the kept copy holds a placeholder instead, and each visitor it is served to gets their own
token in its place. A page that shows one zone may be named by that zone's version
(``dashboards.cache.zone_version``) for the public, so that the editors' saves elsewhere do not
make it stale; signed-in viewers, who also see what is waiting for review, keep the data
version.

The name also carries the current ``DASHBOARDS_CACHE_SECONDS`` window: writes the ORM does
not signal (a bulk load by COPY, the nightly SQL recount) show within that many seconds, as
on the dashboards. A deployment runs ``migrate``, which changes the data version too, so no
page of an older release is answered with a 304. Nothing is named or kept inside an open
transaction, or when ``DASHBOARDS_CACHE_SECONDS`` is 0.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache as django_cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag

from . import cache

#: Headers a kept response is served with again (the rest are the middleware's each time).
KEPT_HEADERS = ("Content-Type", "Content-Language")
#: Where ``{% csrf_token %}`` puts the visitor's token (Django's own markup).
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
#: What a kept copy holds in place of its builder's CSRF token.
CSRF_PLACEHOLDER = b"__kept-page-csrf-token__"


def response_name(
    request: HttpRequest, *, scope: str, variant: str, version: str | None = None
) -> str:
    """The ETag of what ``request`` would be answered with now (quoted, strong): named by
    ``version`` when given, by the data version otherwise."""
    window = int(time.time() // max(cache.lifetime(), 1))
    version = version or cache.data_version()
    parts = (scope, variant, cache.viewer(request), request.get_full_path(), version)
    digest = hashlib.sha256("\n".join(map(str, (*parts, window))).encode()).hexdigest()[:40]
    return quote_etag(digest)


def versioned(
    request: HttpRequest,
    *,
    scope: str,
    variant: str,
    build: Callable[[], HttpResponse],
    keep: bool = True,
    public_version: Callable[[], str | None] | None = None,
) -> HttpResponse:
    """``build()``'s response for ``request``, or a 304 when the client holds it already, or
    the public's kept copy (unless ``keep`` is False). ``variant`` names what else the
    response depends on (its language); ``public_version``, when given, the version of all
    that a public response shows (None: the data version). Only a rendered 200 is named or
    kept: errors are built every time."""
    if request.method not in ("GET", "HEAD") or not cache.usable():
        return build()
    public = cache.viewer(request) == "public"
    version = public_version() if public and public_version else None
    etag = response_name(request, scope=scope, variant=variant, version=version)
    keep = keep and public
    answer = get_conditional_response(request, etag=etag)
    if answer is None and keep:
        answer = _kept(etag, request)
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


def named_by_data(scope: str, *, public_version: Callable[..., str | None] | None = None):
    """A page view's decorator: its 200s carry an ETag named by the data version (for the
    public, by ``public_version(**view_kwargs)`` when given and not None), a browser holding
    the current page gets a 304 without the page being built again, and a visitor who is
    not signed in gets the public's kept copy. A request with messages waiting (``Saved.``)
    is always answered in full, so they are shown."""

    def decorate(view):
        @wraps(view)
        def named(request, *args, **kwargs):
            def build():
                return view(request, *args, **kwargs)

            if len(get_messages(request)):
                return build()
            variant = translation.get_language()
            version = public_version and (lambda: public_version(**kwargs))
            return versioned(
                request, scope=scope, variant=variant, build=build, public_version=version
            )

        return named

    return decorate


def _key(etag: str) -> str:
    return f"responses:{etag.strip(chr(34))}"


def _keep(etag: str, response: HttpResponse) -> None:
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    content = response.content
    for token in {match[1] for match in CSRF_FIELD.finditer(content)}:
        content = content.replace(token, CSRF_PLACEHOLDER)
    django_cache.set(_key(etag), (content, headers), timeout=cache.lifetime())


def _kept(etag: str, request: HttpRequest) -> HttpResponse | None:
    """The kept copy, with this visitor's own CSRF token in its forms (which also sends
    them the token's cookie if they have none yet)."""
    kept = django_cache.get(_key(etag))
    if kept is None:
        return None
    content, headers = kept
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response
