"""Rendered dashboards, kept so that aggregating a whole country is not done per request.

Aggregating every firm, milestone and snapshot of a country takes PostgreSQL hundreds of
milliseconds to seconds at 10,000 zones; officials and investors reload the same pages all
day while administrators keep saving updates. Two kinds of entry live here:

* **Pages** (``cached_page``: the national and province dashboards, announced vs delivered)
  are served *stale while they are refreshed*. Any ORM write to the records behind the
  charts changes a shared data version; a page built under an older version, or older than
  ``DASHBOARDS_CACHE_SECONDS`` (default 60), is stale. A stale page is still served to
  everybody but one request, which rebuilds it; and a page is rebuilt at most once per
  ``DASHBOARDS_REFRESH_SECONDS`` (default 30) however often the data change. So the figures
  on a dashboard are at most that many seconds behind a save, each page says when its
  figures were computed, and a burst of saves costs one rebuild, not one per visitor. A page
  that is not cached at all is built by one request while the others asking for it wait
  for that build (up to ``BUILD_WAIT_SECONDS``) instead of all building it at once.
* **The public's lists** (the finder's pages and the API's zone list, kept whole by
  ``dashboards.responses``) are named by ``settled_version``: the data version, moving at
  most once per ``DASHBOARDS_REFRESH_SECONDS``. A signed-in user's are named by the data
  version itself, so an editor sees their save at once.
* **Fragments** (``cached``: a zone's charts and its delivery section) are keyed by the
  zone's own version (``zone_version``), which a write to that zone's records changes; so the
  zone page shows a save at once, and an edit elsewhere does not throw its charts away.

Writes the ORM does not signal (bulk updates, COPY, a process with its own memory cache)
show within ``DASHBOARDS_CACHE_SECONDS``. Nothing computed inside an open transaction is
cached: it may include uncommitted data. ``DASHBOARDS_CACHE_SECONDS = 0`` turns it all off.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import QueryDict
from django.utils import translation

VERSION_KEY = "dashboards:data-version"
#: Changes to what every zone's page shows (provinces, sectors, a migrated database).
SHARED_VERSION_KEY = "dashboards:shared-version"
ZONE_VERSION_KEY = "dashboards:zone-version:{}"
#: The data version the public's lists are named by, and since when (``settled_version``).
SETTLED_VERSION_KEY = "dashboards:settled-version"
#: A write touching more zones than this makes every zone's fragments stale at once.
MANY_ZONES = 500
DEFAULT_SECONDS = 60
DEFAULT_REFRESH_SECONDS = 30
#: How long a request waits for another's build of the same page before building it too.
BUILD_WAIT_SECONDS = 10.0
#: How long a stale page may still be served (the cache backend forgets it after that).
STALE_FOR = 10


def lifetime() -> int:
    """How long a rendered dashboard is fresh, in seconds (0: nothing is cached)."""
    return int(getattr(settings, "DASHBOARDS_CACHE_SECONDS", DEFAULT_SECONDS))


def refresh_interval() -> float:
    """The least time between two rebuilds of one page, in seconds."""
    return float(getattr(settings, "DASHBOARDS_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS))


#: The apps whose records pages, charts and API responses show (those installed).
TRACKED_APPS = ("zones", "investors", "policy")


def tracked_models() -> list[type]:
    """Every record model of ``TRACKED_APPS``; their history tables are written with them and
    need no signal of their own."""
    from django.apps import apps

    return [
        model
        for label in TRACKED_APPS
        if apps.is_installed(label)
        for model in apps.get_app_config(label).get_models()
        if not model._meta.model_name.startswith("historical")
    ]


def _version(key: str) -> str:
    version = cache.get(key)
    if version is None:
        cache.add(key, str(time.time_ns()), timeout=None)
        version = cache.get(key, "0")
    return version


def data_version() -> str:
    """A token that changes whenever any record behind the charts changes."""
    return _version(VERSION_KEY)


def settled_version() -> str:
    """The data version as the public's lists see it: it follows ``data_version`` but moves
    at most once per ``DASHBOARDS_REFRESH_SECONDS``, so that the editors' saves (several a
    second under load) do not make every kept finder page and API list stale at once. A
    save shows in them within that many seconds, as on the dashboards; the first save after
    a quiet spell at once."""
    current = data_version()
    held = cache.get(SETTLED_VERSION_KEY)
    now = time.time()
    if held is None or (held[0] != current and now - held[1] >= refresh_interval()):
        held = (current, now)
        cache.set(SETTLED_VERSION_KEY, held, timeout=None)
    return held[0]


def zone_version(zone_id: int) -> str:
    """A token that changes whenever the records of this zone change, or what every zone's
    page shows; other zones' edits leave it alone."""
    keys = [SHARED_VERSION_KEY, ZONE_VERSION_KEY.format(zone_id)]
    found = cache.get_many(keys)
    return ".".join(found.get(key) or _version(key) for key in keys)


def _bump(zone_ids: set[int] | None) -> None:
    """Make the pages stale, and the fragments of ``zone_ids`` (of every zone when None)."""
    keys = [VERSION_KEY]
    if zone_ids is None or len(zone_ids) > MANY_ZONES:
        keys.append(SHARED_VERSION_KEY)
    else:
        keys += [ZONE_VERSION_KEY.format(zone_id) for zone_id in zone_ids]
    cache.set_many(dict.fromkeys(keys, str(time.time_ns())), timeout=None)


def _is_zone(model) -> bool:
    return model is not None and model._meta.label == "zones.Zone"


def _zones_of(instance, pk_set=None, model=None) -> set[int] | None:
    """The zones a write touched; None when it may show on every zone's page.

    ``pk_set`` and ``model`` come with a many-to-many change: the ids added or removed, and
    their model (zones added to a sector or to a policy event, say)."""
    if instance is None:  # a migrated or flushed database
        return None
    if _is_zone(model):
        return set(pk_set) if pk_set else None
    if _is_zone(type(instance)):
        return {instance.pk}
    zone_id = getattr(instance, "zone_id", None)
    return None if zone_id is None else {zone_id}


def data_changed(sender, instance=None, pk_set=None, model=None, **kwargs) -> None:
    """Signal receiver: records behind the charts changed. Every rendered page is stale, and
    the fragments of the zones they belong to (of every zone for provinces and sectors);
    again when the transaction commits, so nothing built meanwhile outlives it."""
    zone_ids = _zones_of(instance, pk_set, model)
    _bump(zone_ids)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _bump(zone_ids))


def scores_written(sender, zone_ids, **kwargs) -> None:
    """Signal receiver: a readiness recompute committed for ``zone_ids``. Their snapshots are
    written in bulk, without model signals; and a firm moved between zones flags both."""
    _bump(set(zone_ids))


def aggregates_written(sender, zone_ids, **kwargs) -> None:
    """Signal receiver: the aggregate tables caught up with ``zone_ids`` (None: all)."""
    _bump(None if zone_ids is None else set(zone_ids))


def usable() -> bool:
    """Whether anything may be cached now (the cache is on, no transaction is open)."""
    return lifetime() > 0 and not connection.in_atomic_block


def cached(key: str, build: Callable[[], tuple[bool, object]]) -> object:
    """A fragment: ``build()`` returns (cacheable, value); the value is kept under ``key``
    (which should hold the version of what it shows) for the cache's lifetime when it may be."""
    keep = usable()
    if keep:
        hit = cache.get(key)
        if hit is not None:
            return hit
    cacheable, value = build()
    if keep and cacheable:
        cache.set(key, value, timeout=lifetime())
    return value


def viewer(request) -> str:
    """Whom a page or response is built for: one signed-in user (``u<pk>``), or ``public``."""
    user = getattr(request, "user", None)
    return f"u{user.pk}" if user is not None and user.is_authenticated else "public"


def page_key(request, *, page: str, params: QueryDict) -> str:
    """The cache key of ``page`` built from ``params`` (the canonical filters it is built
    from, never the raw querystring: ``dashboards.finder_links.filter_params``), in this
    request's language, as this viewer may see it."""
    query = params.urlencode()
    digest = hashlib.sha256(f"{page}?{query}".encode()).hexdigest()[:32]
    return f"dashboards:page:{translation.get_language()}:{viewer(request)}:{digest}"


def cached_page(key: str, build: Callable[[], tuple[bool, object]]) -> object:
    """A page, served stale while one request refreshes it (see the module's text)."""
    if not usable():
        return build()[1]
    version = data_version()
    entry = cache.get(key)
    if entry is not None:
        fresh = entry["version"] == version and time.time() - entry["built"] < lifetime()
        due = time.time() - entry["built"] >= refresh_interval()
        claim = None if fresh or not due else _claim(key)
        return entry["value"] if claim is None else _build(key, version, build, claim)
    claim = _claim(key)
    if claim is not None:
        return _build(key, version, build, claim)
    return _wait_for(key) or _build(key, version, build, None)


def _lock(key: str) -> str:
    return f"{key}:building"


def _claim(key: str) -> str | None:
    """A token for the one request that gets to build ``key`` now; None for the others."""
    token = secrets.token_hex(8)
    return token if cache.add(_lock(key), token, timeout=int(BUILD_WAIT_SECONDS * 3)) else None


def _build(key, version, build, claim: str | None) -> object:
    try:
        built_at = time.time()
        cacheable, value = build()
        if cacheable:
            entry = {"version": version, "built": built_at, "value": value}
            cache.set(key, entry, timeout=lifetime() * STALE_FOR)
        else:  # an error page now (a removed sector, say): the old page must not be served
            cache.delete(key)
        return value
    finally:
        # Not another request's claim, taken after ours expired during a very slow build.
        if claim is not None and cache.get(_lock(key)) == claim:
            cache.delete(_lock(key))


def _wait_for(key: str) -> object | None:
    """The page another request is building, once it is there; None if it takes too long
    or the builder stored nothing (an error, a 400 page)."""
    deadline = time.monotonic() + BUILD_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
        entry = cache.get(key)
        if entry is None and cache.get(_lock(key)) is None:
            entry = cache.get(key)  # stored just before the claim was released
            return None if entry is None else entry["value"]
        if entry is not None:
            return entry["value"]
    return None
