"""What the benchmarks share: their own databases, the synthetic country, a URL configuration
with floor views, and request timing.

Every bench works in a database of its own, named after the developer's database plus a bench
suffix (``sez_bench``, ``sez_bench_finder``, ...). Only such names are ever created or dropped:
:func:`bench_database_name` and :func:`drop_database` refuse any other, so no bench can touch
the database it was started next to.

Django is imported inside the functions, so that ``readiness.py`` and ``import_jobs.py`` can
choose their settings after importing this module; the page benches call :func:`setup_django`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import sys
import time
import types
from collections.abc import Callable, Iterator
from typing import NamedTuple
from urllib.parse import unquote

_BENCH_NAME = re.compile(r"_bench(_[a-z0-9]+)?\Z")


def setup_django(settings_module: str = "config.settings.test") -> None:
    """Configure Django (``settings_module`` unless DJANGO_SETTINGS_MODULE is set)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    django.setup()


# --- the bench databases ----------------------------------------------------------------------


def bench_database_name(base: str, suffix: str) -> str:
    """``<base>_<suffix>``, the database of one bench; ``suffix`` is ``bench`` or ``bench_<x>``."""
    name = f"{base}_{suffix}"
    _refuse_unless_bench(name, protected=base)
    return name


def _refuse_unless_bench(name: str, *, protected: str) -> None:
    if not _BENCH_NAME.search(name) or name == protected:
        raise SystemExit(
            f"Refusing to create or drop the database {name!r}: a bench only touches databases "
            f"whose names end in _bench or _bench_<word>, and never {protected!r} itself."
        )


def _server(config: dict):
    """An autocommit connection to the ``postgres`` database of ``config``'s server.

    ``config`` is a Django ``DATABASES`` entry (or ``environ.Env.db_url_config`` of a URL).
    """
    import psycopg2

    connection = psycopg2.connect(
        dbname="postgres",
        host=unquote(config.get("HOST") or "") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
    )
    connection.autocommit = True
    return connection


def _execute(config: dict, statement: str, name: str) -> None:
    from psycopg2 import sql

    _refuse_unless_bench(name, protected=config["NAME"])
    connection = _server(config)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL(statement).format(sql.Identifier(name)))
    finally:
        connection.close()


def create_database(config: dict, name: str) -> None:
    """Create the bench database ``name`` on ``config``'s server (refused unless a bench name)."""
    _execute(config, "CREATE DATABASE {}", name)


def drop_database(config: dict, name: str) -> None:
    """Drop the bench database ``name`` if it exists, closing its sessions (refused unless a
    bench name, and never ``config``'s own database)."""
    _execute(config, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


@contextlib.contextmanager
def scratch_database(suffix: str, *, keep: bool) -> Iterator[str]:
    """A new, empty database ``<DATABASE_URL's database>_<suffix>``, yielded as a URL and
    dropped on the way out unless ``keep``; a left-over one of the same name is dropped first.

    Without DATABASE_URL the embedded PostgreSQL is used, as by ``make run``.
    """
    import environ

    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        from config.embedded_pg import database_url

        base_url = database_url()
    config = environ.Env.db_url_config(base_url)
    name = bench_database_name(config["NAME"], suffix)
    drop_database(config, name)
    create_database(config, name)
    head, _, _ = base_url.rpartition("/")
    try:
        yield f"{head}/{name}"
    finally:
        if not keep:
            from django.db import connections

            connections.close_all()
            drop_database(config, name)


def use_bench_database(suffix: str, *, fresh: bool) -> str:
    """Switch Django's default connection to ``<its database>_<suffix>``, kept between runs:
    created and migrated when missing, dropped first when ``fresh``. Returns its name."""
    from django.conf import settings
    from django.db import connection

    default = settings.DATABASES["default"]
    name = bench_database_name(default["NAME"], suffix)
    if fresh:
        drop_database(default, name)
    default.setdefault("TEST", {})["NAME"] = name
    # keepdb: Django creates the database if missing and never drops one itself.
    connection.creation.create_test_db(verbosity=0, autoclobber=False, keepdb=True, serialize=False)
    return name


# --- the synthetic country --------------------------------------------------------------------


def country_arguments(doc: str, *, repeat: int) -> argparse.ArgumentParser:
    """The options of a bench that works on a kept synthetic country: ``--zones``, ``--seed``,
    ``--repeat`` (default ``repeat``) and ``--fresh``. ``doc`` is the script's docstring."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--zones", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--fresh", action="store_true", help="rebuild the synthetic country")
    return parser


def ensure_country(
    *,
    zones: int,
    seed: int,
    complete: Callable[[], bool],
    score: bool = True,
    then: Callable[[], None] | None = None,
) -> str:
    """Keep the bench database's synthetic country if it has ``zones`` zones and ``complete()``;
    else build it: ``generate_synthetic --replace``, ``recompute_readiness --sync`` when
    ``score``, then ``then()``. Returns ``"reused"`` or how long the build took."""
    from django.core.management import call_command

    from zones.models import Zone

    if Zone.objects.filter(is_synthetic=True).count() == zones and complete():
        return "reused"
    started = time.monotonic()
    with open(os.devnull, "w") as quiet:
        call_command("generate_synthetic", zones=zones, seed=seed, replace=True, stdout=quiet)
        if score:
            call_command("recompute_readiness", sync=True, stdout=quiet)
    if then is not None:
        then()
    return f"built by generate_synthetic in {time.monotonic() - started:.0f} s"


def ensure_aggregates() -> str:
    """Bring the aggregate tables of the bench database up to date: a country generated in
    bulk sends no signal, and a kept one may predate them. The rebuild writes only the rows
    that differ, so on a kept country it is a scan; returns what it took."""
    from django.db import connection

    from aggregates.services import aggregates_rebuild

    summary = aggregates_rebuild()
    # Statistics, as autovacuum would gather them on a server in use: PostgreSQL here runs
    # with autovacuum off, and a table never analysed (the tallies, the zones' sectors) is
    # planned as if nearly empty: the sector filter then costs every chart's query ~20 ms.
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return (
        f"aggregates rebuilt in {summary.seconds:.1f} s, "
        f"database analysed in {time.monotonic() - started:.1f} s"
    )


def count_scan_ms(repeat: int) -> float:
    """The peer every dashboard is measured against: the median time of one ``count(*)``
    over the firms table, after two warm-ups, in this run."""
    from django.db import connection

    from investors.models import Firm

    def once() -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {Firm._meta.db_table}")  # noqa: S608
            cursor.fetchone()
        return time.perf_counter() - started

    for _ in range(2):
        once()
    return statistics.median(once() for _ in range(repeat)) * 1000


# --- the URL configuration --------------------------------------------------------------------


def floor(request):
    """The trivial view: the framework's floor (routing and middleware, nothing else)."""
    from django.http import HttpResponse

    return HttpResponse("ok")


def floor_page(request):
    """A minimal real page: one trivial query and the site's base template."""
    from django.db import connection
    from django.shortcuts import render

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return render(request, "base.html")


def bench_urlconf() -> str:
    """The project's URLs behind ``/bench/floor/`` and ``/bench/floor-page/``, as the name of
    an importable module for ROOT_URLCONF.

    ``config.urls``'s patterns are copied into the root, not ``include()``d: Django refuses
    ``i18n_patterns`` in an included URLconf, and LocaleMiddleware looks for the language
    prefix only in the root one; so ``/ur/...`` and ``/zh-hans/...`` resolve as in the project.
    """
    from django.urls import path

    from config import urls

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [
        path("bench/floor/", floor),
        path("bench/floor-page/", floor_page),
        *urls.urlpatterns,
    ]
    for handler in ("handler400", "handler403", "handler404", "handler500"):
        if hasattr(urls, handler):
            setattr(module, handler, getattr(urls, handler))
    sys.modules[module.__name__] = module
    return module.__name__


# --- timing requests --------------------------------------------------------------------------


class Timing(NamedTuple):
    """One URL's figures: median server time, and the queries, status and body size of one
    more, untimed, request."""

    ms: float
    queries: int
    status: int
    size: int


def get(client, url: str, **headers) -> tuple[object, bytes]:
    """``(response, body)`` of a GET through Django's test client, a streamed body read out."""
    response = client.get(url, headers=headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def timed(
    client, url: str, repeat: int, *, before: Callable[[], None] | None = None, **headers
) -> Timing:
    """The median of ``repeat`` timed GETs of ``url`` after two warm-ups, and one more GET that
    counts the queries; ``before`` runs ahead of every request, outside the timing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def once() -> float:
        if before is not None:
            before()
        started = time.perf_counter()
        get(client, url, **headers)
        return time.perf_counter() - started

    for _ in range(2):
        once()
    samples = [once() for _ in range(repeat)]
    if before is not None:
        before()
    with CaptureQueriesContext(connection) as queries:
        response, body = get(client, url, **headers)
    return Timing(statistics.median(samples) * 1000, len(queries), response.status_code, len(body))
