"""A short-lived cache of rendered dashboards.

Aggregating every firm, milestone and snapshot of a country takes PostgreSQL tens to
hundreds of milliseconds; officials reload the same pages all day. A rendered dashboard is
kept for ``DASHBOARDS_CACHE_SECONDS`` (default 60; 0 turns the cache off), keyed by the
page, its querystring, the language and who is looking (visibility differs by user).

The key also holds a data version that any ORM write to the records behind the charts
changes, in this process, at once and again when its transaction commits. Writes the ORM
does not signal (bulk updates, COPY, another process) show within the lifetime above.
Nothing computed inside an open transaction is cached: it may include uncommitted data.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import translation

VERSION_KEY = "dashboards:data-version"
DEFAULT_SECONDS = 60


def lifetime() -> int:
    """How long a rendered dashboard is kept, in seconds (0: not at all)."""
    return int(getattr(settings, "DASHBOARDS_CACHE_SECONDS", DEFAULT_SECONDS))


def data_version() -> str:
    """A token that changes whenever the records behind the charts change (see above)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = str(time.time_ns())
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def _bump() -> None:
    cache.set(VERSION_KEY, str(time.time_ns()), timeout=None)


def data_changed(**kwargs) -> None:
    """Signal receiver: the records behind the charts changed; forget rendered dashboards."""
    _bump()
    if connection.in_atomic_block:
        transaction.on_commit(_bump)


def page_key(request, *, page: str) -> str:
    """The cache key of ``page`` as this request asks for it and this viewer may see it."""
    user = getattr(request, "user", None)
    viewer = f"u{user.pk}" if user is not None and user.is_authenticated else "public"
    query = "&".join(sorted(request.GET.urlencode().split("&")))
    digest = hashlib.sha256(f"{page}?{query}".encode()).hexdigest()[:32]
    return f"dashboards:page:{data_version()}:{translation.get_language()}:{viewer}:{digest}"


def cached(key: str, build: Callable[[], tuple[bool, object]]) -> object:
    """``build()`` returns (cacheable, value); the value is kept under ``key`` when it may be."""
    seconds = lifetime()
    usable = seconds > 0 and not connection.in_atomic_block
    if usable:
        hit = cache.get(key)
        if hit is not None:
            return hit
    cacheable, value = build()
    if usable and cacheable:
        cache.set(key, value, timeout=seconds)
    return value
