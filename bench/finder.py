"""Benchmark: the zone finder page, the API list and the CSV/XLSX exports on a synthetic country.

    .venv/bin/python bench/finder.py [--zones 10000] [--seed 1] [--repeat 25] [--fresh]

Prints the median server time of each request (Django's test client: URL routing,
middleware, view, queries, template or serializer, no network) next to the median of a
trivial view in the same run: the framework's floor. The synthetic country lives in its own
database (``<your database>_bench_finder``), kept between runs; ``--fresh`` rebuilds it.
The data come from ``manage.py generate_synthetic`` and ``recompute_readiness --sync``;
where those commands are missing, a small bench-only generator below stands in.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
import types
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.shortcuts import render  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

CASES = [
    ("no filters", ""),
    ("sector + province", "sector=textiles&province=PK-PB"),
    ("status + utility, by readiness", "status=operational&utility=electricity&sort=-readiness"),
    ("readiness + free land, by free land", "readiness_min=20&free_land_min=100&sort=-free_land"),
    ("text search", "q=developer+16"),
    ("a deep page", "page={middle}"),
]
EXPORT_CASES = [("all zones", ""), ("sector + province", "sector=textiles&province=PK-PB")]


def floor(request):
    return HttpResponse("ok")


def floor_page(request):
    """A minimal real page: one trivial query and the site's base template."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return render(request, "base.html")


def bench_urlconf() -> str:
    """The project's URLs plus the trivial floor view, as an importable module."""
    module = types.ModuleType("bench_finder_urls")
    module.urlpatterns = [
        path("bench/floor/", floor),
        path("bench/floor-page/", floor_page),
        path("", include("config.urls")),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def use_bench_database(*, fresh: bool) -> None:
    default = settings.DATABASES["default"]
    default.setdefault("TEST", {})["NAME"] = f"{default['NAME']}_bench_finder"
    if fresh:
        connection.creation.destroy_test_db(default["TEST"]["NAME"], verbosity=0, keepdb=False)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)


def ensure_country(*, zones: int, seed: int) -> str:
    from zones.models import Zone

    have = Zone.objects.filter(is_synthetic=True).count()
    if have == zones and Zone.objects.exclude(readiness_score=None).exists():
        return "reused"
    commands = get_commands()
    started = time.monotonic()
    if "generate_synthetic" in commands:
        call_command("generate_synthetic", zones=zones, seed=seed, replace=True, verbosity=0)
        source = "generate_synthetic"
    else:
        bench_only_country(zones=zones, seed=seed)
        source = "bench-only generator"
    if "recompute_readiness" in commands:
        call_command("recompute_readiness", sync=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    else:
        bench_only_scores(seed=seed)
    return f"built by {source} in {time.monotonic() - started:.0f} s"


def bench_only_country(*, zones: int, seed: int) -> None:
    """Bench-only stand-in for ``generate_synthetic``: zones, sectors, utilities and firms."""
    from investors.models import Firm
    from zones.models import Province, Sector, UtilityConnection, Zone

    rng = random.Random(seed)
    provinces = list(Province.objects.values_list("code", flat=True))
    sectors = list(Sector.objects.values_list("slug", flat=True))
    words = ["Industrial", "Economic", "Special", "Export", "Technology", "Textile", "Marble"]
    Zone.objects.filter(is_synthetic=True).delete()
    made = Zone.objects.bulk_create(
        Zone(
            name=f"{rng.choice(words)} Zone {n:05d}",
            slug=f"synthetic-{n:05d}",
            province_id=rng.choice(provinces),
            district=f"District {rng.randint(1, 150)}",
            area_acres=Decimal(rng.randint(50, 5000)) if rng.random() > 0.05 else None,
            developer=f"Developer {rng.randint(1, 400)}",
            status=rng.choice(Zone.Status.values),
            cpec_priority=rng.random() < 0.1,
            is_synthetic=True,
        )
        for n in range(zones)
    )
    Zone.sectors.through.objects.bulk_create(
        Zone.sectors.through(zone_id=zone.pk, sector_id=slug)
        for zone in made
        for slug in rng.sample(sectors, rng.randint(1, 4))
    )
    UtilityConnection.objects.bulk_create(
        UtilityConnection(zone=zone, kind=kind, status=rng.choice(UtilityConnection.Status.values))
        for zone in made
        for kind in UtilityConnection.CORE_KINDS
    )
    Firm.objects.bulk_create(
        Firm(
            zone=zone,
            name=f"Firm {zone.pk}-{i}",
            origin_country=rng.choice(["PK", "CN", "TR"]),
            ownership=Firm.Ownership.DOMESTIC,
            status=rng.choice(Firm.Status.values),
            allotted_acres=Decimal(rng.randint(1, 40)),
            is_illustrative=True,
        )
        for zone in made
        for i in range(rng.randint(0, 20))
    )


def bench_only_scores(*, seed: int) -> None:
    """Bench-only stand-in for ``recompute_readiness``: random stored scores."""
    from zones.models import Zone

    rng = random.Random(seed)
    zones = list(Zone.objects.only("pk"))
    for zone in zones:
        zone.readiness_score = Decimal(rng.randint(0, 1000)) / 10
    Zone.objects.bulk_update(zones, ["readiness_score"], batch_size=1000)


def _get(client: Client, url: str) -> int:
    response = client.get(url)
    if response.streaming:
        for _chunk in response.streaming_content:
            pass
    return response.status_code


def timed(client: Client, url: str, repeat: int) -> tuple[float, int, int]:
    """(median ms, queries, status): ``repeat`` timed requests after two warm-ups, and one
    more, untimed, that counts the queries."""
    for _ in range(2):
        _get(client, url)
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        _get(client, url)
        samples.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        status = _get(client, url)
    return statistics.median(samples) * 1000, len(queries), status


def peak_memory(client: Client, url: str) -> tuple[float, int]:
    """(peak traced Python memory in MiB, bytes sent) while producing one export."""
    tracemalloc.start()
    size = 0
    response = client.get(url)
    for chunk in response.streaming_content:
        size += len(chunk)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=25)
    parser.add_argument("--fresh", action="store_true", help="rebuild the synthetic country")
    parser.add_argument(
        "--jit",
        choices=["server", "on", "off"],
        default="server",
        help="PostgreSQL JIT for this run's connection (default: the server's setting)",
    )
    args = parser.parse_args()

    use_bench_database(fresh=args.fresh)
    origin = ensure_country(zones=args.zones, seed=args.seed)
    from zones.models import Zone

    print(f"Synthetic country: {Zone.objects.count():,} zones ({origin}).")
    print(f"PostgreSQL {connection.pg_version}, Django {django.get_version()}, {args.repeat} runs")

    with override_settings(ROOT_URLCONF=bench_urlconf(), DEBUG=False):
        client = Client(HTTP_HOST="localhost")
        if args.jit != "server":
            with connection.cursor() as cursor:
                cursor.execute(f"SET jit = {args.jit}")
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            jit = cursor.fetchone()[0]
        print(f"PostgreSQL JIT: {jit}")
        floor_ms, _, floor_status = timed(client, "/bench/floor/", args.repeat * 4)
        assert floor_status == 200, f"the floor view answered {floor_status}"
        page_ms, page_queries, _ = timed(client, "/bench/floor-page/", args.repeat * 4)
        print(f"\n{'request':48} {'median ms':>10} {'× floor':>8} {'× page':>7} {'queries':>8}")
        print(f"{'trivial view (the floor)':48} {floor_ms:10.2f} {1:8.1f} {'':>7} {0:8d}")
        print(
            f"{'minimal page: base template + SELECT 1':48} {page_ms:10.2f} "
            f"{page_ms / floor_ms:8.1f} {1:7.1f} {page_queries:8d}"
        )
        middle = max(1, Zone.objects.filter(published=True).count() // 50)

        def row(label: str, url: str, repeat: int) -> None:
            ms, queries, status = timed(client, url, repeat)
            assert status == 200, f"{url} answered {status}"
            print(f"{label:48} {ms:10.2f} {ms / floor_ms:8.1f} {ms / page_ms:7.1f} {queries:8d}")

        for surface, prefix in (("finder", "/zones/?"), ("API list", "/api/zones/?")):
            for label, query in CASES:
                row(f"{surface}: {label}", prefix + query.format(middle=middle), args.repeat)
        for fmt in ("csv", "xlsx"):
            for label, query in EXPORT_CASES:
                row(
                    f"export .{fmt}: {label}",
                    f"/zones/export.{fmt}?{query}",
                    max(3, args.repeat // 8),
                )

        print()
        for fmt in ("csv", "xlsx"):
            peak, size = peak_memory(client, f"/zones/export.{fmt}")
            print(
                f"export .{fmt} of all zones: {size / 2**20:.1f} MiB sent, "
                f"peak Python memory {peak:.1f} MiB"
            )


if __name__ == "__main__":
    main()
