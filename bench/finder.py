"""Benchmark: the zone finder page, the API list and the CSV/XLSX exports on a synthetic country.

    .venv/bin/python bench/finder.py [--zones 10000] [--seed 1] [--repeat 25] [--fresh]

Prints the median server time of each request (Django's test client: URL routing,
middleware, view, queries, template or serializer, no network) next to the median of a
trivial view in the same run: the framework's floor. The synthetic country lives in its own
database (``<your database>_bench_finder``), kept between runs; ``--fresh`` rebuilds it.
The data come from ``manage.py generate_synthetic`` and ``recompute_readiness --sync``.
"""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

common.setup_django()

import django  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

CASES = [
    ("no filters", ""),
    ("sector + province", "sector=textiles&province=PK-PB"),
    ("status + utility, by readiness", "status=operational&utility=electricity&sort=-readiness"),
    ("readiness + free land, by free land", "readiness_min=20&free_land_min=100&sort=-free_land"),
    ("text search", "q=developer+16"),
    ("a deep page", "page={middle}"),
]
#: Every synthetic record is flagged illustrative, and illustrative records are left out by
#: default (issue 22): without this every list would be empty.
SHOW_ALL = "illustrative=include"
EXPORT_CASES = [("all zones", ""), ("sector + province", "sector=textiles&province=PK-PB")]


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
    parser = common.country_arguments(__doc__, repeat=25)
    parser.add_argument(
        "--jit",
        choices=["server", "on", "off"],
        default="server",
        help="PostgreSQL JIT for this run's connection (default: the server's setting)",
    )
    args = parser.parse_args()

    common.use_bench_database("bench_finder", fresh=args.fresh)
    from zones.models import Zone

    origin = common.ensure_country(
        zones=args.zones,
        seed=args.seed,
        complete=Zone.objects.exclude(readiness_score=None).exists,
    )

    print(f"Synthetic country: {Zone.objects.count():,} zones ({origin}).")
    print(f"PostgreSQL {connection.pg_version}, Django {django.get_version()}, {args.repeat} runs")

    # Built every time (the cache off): what a visitor costs when nothing is kept, and what
    # every answer costs after a save. The kept and 304 answers have their own rows below.
    urls = common.bench_urlconf()
    with override_settings(ROOT_URLCONF=urls, DEBUG=False, DASHBOARDS_CACHE_SECONDS=0):
        client = Client(HTTP_HOST="localhost")
        if args.jit != "server":
            with connection.cursor() as cursor:
                cursor.execute(f"SET jit = {args.jit}")
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            jit = cursor.fetchone()[0]
        print(f"PostgreSQL JIT: {jit}")
        floor_ms, _, floor_status, _ = common.timed(client, "/bench/floor/", args.repeat * 4)
        assert floor_status == 200, f"the floor view answered {floor_status}"
        page_ms, page_queries, _, _ = common.timed(client, "/bench/floor-page/", args.repeat * 4)
        print(f"\n{'request':48} {'median ms':>10} {'× floor':>8} {'× page':>7} {'queries':>8}")
        print(f"{'trivial view (the floor)':48} {floor_ms:10.2f} {1:8.1f} {'':>7} {0:8d}")
        print(
            f"{'minimal page: base template + SELECT 1':48} {page_ms:10.2f} "
            f"{page_ms / floor_ms:8.1f} {1:7.1f} {page_queries:8d}"
        )
        middle = max(1, Zone.objects.filter(published=True).count() // 50)

        def row(label: str, url: str, repeat: int, expect: int = 200, **headers) -> None:
            ms, queries, status, _ = common.timed(client, url, repeat, **headers)
            assert status == expect, f"{url} answered {status}"
            print(f"{label:48} {ms:10.2f} {ms / floor_ms:8.1f} {ms / page_ms:7.1f} {queries:8d}")

        for surface, prefix in (("finder", "/zones/?"), ("API list", "/api/zones/?")):
            for label, query in CASES:
                url = prefix + "&".join(filter(None, (query.format(middle=middle), SHOW_ALL)))
                row(f"{surface}: {label}", url, args.repeat)
        for fmt in ("csv", "xlsx"):
            for label, query in EXPORT_CASES:
                row(
                    f"export .{fmt}: {label}",
                    f"/zones/export.{fmt}?" + "&".join(filter(None, (query, SHOW_ALL))),
                    max(3, args.repeat // 8),
                )

        with override_settings(DASHBOARDS_CACHE_SECONDS=60):
            api = f"/api/zones/?{CASES[1][1]}&{SHOW_ALL}"
            row("API list, sector + province: kept copy", api, args.repeat)
            etag = client.get(api)["ETag"]
            row("API list, sector + province: 304", api, args.repeat, 304, If_None_Match=etag)
            slug = Zone.objects.filter(published=True).values_list("slug", flat=True).first()
            page = f"/zones/{slug}/?{SHOW_ALL}"
            etag = client.get(page)["ETag"]
            row("zone page: 304", page, args.repeat, 304, If_None_Match=etag)

        print()
        for fmt in ("csv", "xlsx"):
            peak, size = peak_memory(client, f"/zones/export.{fmt}?{SHOW_ALL}")
            print(
                f"export .{fmt} of all zones: {size / 2**20:.1f} MiB sent, "
                f"peak Python memory {peak:.1f} MiB"
            )


if __name__ == "__main__":
    main()
