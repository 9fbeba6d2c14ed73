"""Benchmark: the national dashboard, a province page and a zone page on a synthetic country,
and the bytes a visitor downloads.

    .venv/bin/python bench/dashboards.py [--zones 10000] [--seed 1] [--repeat 15] [--fresh]

Server time is the median over ``--repeat`` requests through Django's test client (routing,
middleware, view, queries, figures, template; no network), printed next to a trivial view
in the same run: the framework's floor. The synthetic country lives in its own database
(``<your database>_bench_dashboards``), kept between runs; ``--fresh`` rebuilds it with
``manage.py generate_synthetic`` and ``recompute_readiness --sync``, plus three older
readiness snapshots per zone so that the history chart has a history.

Transfer sizes come from a real ``collectstatic`` with the production storage (hashed,
compressed) served by WhiteNoise, as a browser asking for Brotli would get them.
"""

from __future__ import annotations

import datetime
import gzip
import json
import random
import re
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

common.setup_django()

import django  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

HISTORY_DAYS = (90, 60, 30)
BROWSER_ENCODINGS = "gzip, deflate, br"
ASSET_PATTERNS = [
    re.compile(r'<link rel="stylesheet"[^>]* href="([^"]+)"'),  # plotly's carry an id first
    re.compile(r'<script src="([^"]+)"'),
    re.compile(r'data-plotly="([^"]+)"'),  # loaded by charts.js when the first chart is near
    re.compile(r'<link rel="preload" href="([^"]+)"'),  # the Urdu font, on Urdu pages
    re.compile(r'data-base-map="([^"]+)"'),
    re.compile(r'"geojson":"([^"]+)"'),
]


def bench_history(*, seed: int) -> None:
    """Three older snapshots per scored zone, so that readiness over time has a history."""
    from zones.models import ReadinessSnapshot, Zone

    rng = random.Random(seed)
    now = datetime.datetime.now(datetime.UTC)
    ReadinessSnapshot.objects.filter(inputs_digest__startswith="bench-").delete()
    weights = {"utilities": "0.35", "land": "0.15", "milestones": "0.30", "occupancy": "0.20"}
    scored = Zone.objects.exclude(readiness_score=None).values_list("pk", "readiness_score")
    ReadinessSnapshot.objects.bulk_create(
        (
            ReadinessSnapshot(
                zone_id=pk,
                score=max(Decimal(0), score - Decimal(rng.randint(0, 20 * step))),
                utilities=Decimal("0.5"),
                land=Decimal("1"),
                milestones=Decimal("0.5"),
                occupancy=Decimal("0.1"),
                weights=weights,
                profile_version=1,
                computed_at=now - datetime.timedelta(days=days),
                inputs_digest=f"bench-{days}",
            )
            for pk, score in scored.iterator()
            for step, days in enumerate(HISTORY_DAYS, start=1)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE zones_readinesssnapshot")


def transfer(url: str) -> None:
    """Bytes of a first and a repeat visit to ``url`` with the production static storage."""
    with tempfile.TemporaryDirectory() as root:
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        }
        started = time.monotonic()
        with override_settings(STATIC_ROOT=root, STORAGES=storages):
            call_command("collectstatic", interactive=False, verbosity=0)
        collected = time.monotonic() - started
        with override_settings(
            STATIC_ROOT=root,
            STORAGES=storages,
            WHITENOISE_USE_FINDERS=False,
            WHITENOISE_AUTOREFRESH=False,
            DEBUG=False,
        ):
            # A page cached by the timings above links the unhashed static names.
            cache.clear()
            client = Client()
            response, sent = common.get(client, url, accept_encoding=BROWSER_ENCODINGS)
            encoding = response.headers.get("Content-Encoding", "-")
            html = gzip.decompress(sent) if encoding == "gzip" else sent
            assets = sorted(
                {
                    json.loads(f'"{match}"')  # figure JSON escapes "/" as \\u002f
                    for pattern in ASSET_PATTERNS
                    for match in pattern.findall(html.decode())
                }
            )
            rows, first = [], len(sent)
            for asset in assets:
                response, body = common.get(client, asset, accept_encoding=BROWSER_ENCODINGS)
                if response.status_code != 200:
                    raise SystemExit(f"{asset}: HTTP {response.status_code}")
                cache_control = response.headers.get("Cache-Control", "")
                first += len(body)
                rows.append(
                    (asset, len(body), response.headers.get("Content-Encoding", "-"), cache_control)
                )
    print(f"\nTransfer for {url} (collectstatic with hashed, compressed files: {collected:.0f} s)")
    print(f"  {'file':60} {'bytes':>9}  encoding  cache-control")
    page = f"(the page: {len(html):,} bytes before compression)"
    print(f"  {page:60} {len(sent):>9,}  {encoding}")
    for asset, size, encoding, cache_control in rows:
        print(f"  {asset:60} {size:>9,}  {encoding:8}  {cache_control}")
    revalidated = [asset for asset, _size, _encoding, control in rows if "immutable" not in control]
    print(f"  first visit: {first:,} bytes ({first / 1024:,.0f} KiB)")
    print(
        f"  repeat visit: {len(sent):,} bytes: the page again; "
        f"{len(rows) - len(revalidated)} of {len(rows)} assets are cached as immutable "
        f"(content-hashed names), {len(revalidated)} revalidated (304, no body)"
    )


def main() -> None:
    parser = common.country_arguments(__doc__, repeat=15)
    args = parser.parse_args()

    common.use_bench_database("bench_dashboards", fresh=args.fresh)
    from zones.models import Province, ReadinessSnapshot, Zone

    origin = common.ensure_country(
        zones=args.zones,
        seed=args.seed,
        complete=ReadinessSnapshot.objects.filter(inputs_digest__startswith="bench-").exists,
        then=lambda: bench_history(seed=args.seed),
    )

    biggest = (
        Province.objects.filter(zones__isnull=False)
        .annotate(n=django.db.models.Count("zones"))
        .order_by("-n")
        .first()
    )
    zone = Zone.objects.filter(province=biggest).order_by("-readiness_score", "pk").first()
    from investors.models import AnnualReturn, Firm

    aggregated = common.ensure_aggregates()
    print(
        f"Synthetic country: {Zone.objects.count():,} zones, {Firm.objects.count():,} firms, "
        f"{ReadinessSnapshot.objects.count():,} readiness snapshots, "
        f"{AnnualReturn.objects.count():,} annual returns ({origin}; {aggregated})."
    )

    # Every synthetic record is illustrative: by default the figures count none of them, so
    # the pages are timed with them included as well (what a real country would cost).
    province_url = biggest.get_absolute_url()
    pages = [
        ("trivial view (floor)", "/bench/floor/"),
        ("national dashboard /", "/"),
        ("national, illustrative included", "/?illustrative=include"),
        ("national, textiles only", "/?sector=textiles"),
        ("national, textiles, illustrative incl.", "/?sector=textiles&illustrative=include"),
        (f"province {biggest.code} ({biggest.n:,} zones)", province_url),
        (f"province {biggest.code}, illustrative incl.", f"{province_url}?illustrative=include"),
        ("zone page", zone.get_absolute_url()),
    ]
    with override_settings(ROOT_URLCONF=common.bench_urlconf(), ALLOWED_HOSTS=["testserver"]):
        client = Client()
        headers = {"accept_encoding": BROWSER_ENCODINGS}
        for cold, heading in (
            (True, "computed afresh (dashboards' cache emptied before each request)"),
            (False, "from the dashboards' cache (a repeat view within its lifetime)"),
        ):
            before = cache.clear if cold else None
            results = [
                (label, *common.timed(client, url, args.repeat, before=before, **headers))
                for label, url in pages
            ]
            floor_ms = results[0][1]
            scan_ms = common.count_scan_ms(args.repeat)
            print(f"\nMedian server time over {args.repeat} requests, {heading}:")
            print(f"  one count(*) over the firms table: {scan_ms:.1f} ms (the peer)")
            print(
                f"  {'page':40} {'ms':>8} {'x floor':>8} {'x count':>8} {'queries':>8} "
                f"{'HTML bytes':>11}"
            )
            for label, ms, queries, status, size in results:
                if status != 200:
                    raise SystemExit(f"{label}: HTTP {status}")
                print(
                    f"  {label:40} {ms:8.1f} {ms / floor_ms:8.1f} {ms / scan_ms:8.2f} "
                    f"{queries:8} {size:11,}"
                )
        returns_sections(zone, biggest, repeat=args.repeat)
        transfer("/")


def returns_sections(zone, province, *, repeat: int) -> None:
    """The annual returns' reads and charts alone, illustrative returns included (every
    synthetic return is illustrative): the zone page's section and the dashboards' charts."""
    import statistics

    from django.test.utils import CaptureQueriesContext

    from dashboards.returns_dashboard import build_returns
    from dashboards.zone_returns import render_zone_returns
    from zones.models import Province, Zone

    provinces = list(Province.objects.all())
    cases = [
        ("zone page's returns section",
         lambda: render_zone_returns(zone, include_illustrative=True)),
        ("national returns charts", lambda: build_returns(
            Zone.objects.all(), provinces=provinces, province=None, rows_url="/zones/",
            include_illustrative=True)),
        (f"province {province.code} returns charts", lambda: build_returns(
            Zone.objects.filter(province=province), provinces=provinces, province=province,
            rows_url="/zones/", include_illustrative=True)),
    ]  # fmt: skip
    print(f"\nAnnual returns alone, illustrative included (median of {repeat}):")
    print(f"  {'what':40} {'ms':>8} {'queries':>8}")
    for label, run in cases:
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                run()
                times.append((time.perf_counter() - started) * 1000)
        print(f"  {label:40} {statistics.median(times):8.1f} {len(queries):8}")


if __name__ == "__main__":
    main()
