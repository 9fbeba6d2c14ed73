"""Benchmark: the national dashboard, a province page and a zone page on a synthetic country,
and the bytes a visitor downloads.

    .venv/bin/python bench/dashboards.py [--zones 10000] [--seed 1] [--repeat 15] [--fresh]

Server time is the median over ``--repeat`` requests through Django's test client (routing,
middleware, view, queries, figures, template; no network), printed next to a trivial view
in the same run: the framework's floor. The synthetic country lives in its own database
(``<your database>_bench_dashboards``), kept between runs; ``--fresh`` rebuilds it with
``manage.py generate_synthetic`` and ``recompute_readiness --sync`` (a small bench-only
generator stands in where those commands are missing), plus three older readiness snapshots
per zone so that the history chart has a history.

Transfer sizes come from a real ``collectstatic`` with the production storage (hashed,
compressed) served by WhiteNoise, as a browser asking for Brotli would get them.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import include, path  # noqa: E402

HISTORY_DAYS = (90, 60, 30)
BROWSER_ENCODINGS = "gzip, deflate, br"
ASSET_PATTERNS = [
    re.compile(r'<link rel="stylesheet" href="([^"]+)"'),
    re.compile(r'<script src="([^"]+)"'),
    re.compile(r'data-base-map="([^"]+)"'),
    re.compile(r'"geojson":"([^"]+)"'),
]


def floor(request):
    return HttpResponse("ok")


def bench_urls() -> str:
    module = types.ModuleType("bench_dashboards_urls")
    module.urlpatterns = [path("bench/floor/", floor), path("", include("config.urls"))]
    sys.modules[module.__name__] = module
    return module.__name__


def use_bench_database(*, fresh: bool) -> None:
    default = settings.DATABASES["default"]
    default.setdefault("TEST", {})["NAME"] = f"{default['NAME']}_bench_dashboards"
    # keepdb=False with autoclobber drops and recreates the bench database, and only it.
    connection.creation.create_test_db(
        verbosity=0, autoclobber=True, keepdb=not fresh, serialize=False
    )


def ensure_country(*, zones: int, seed: int) -> str:
    from zones.models import ReadinessSnapshot, Zone

    if (
        Zone.objects.filter(is_synthetic=True).count() == zones
        and ReadinessSnapshot.objects.filter(inputs_digest__startswith="bench-").exists()
    ):
        return "reused"
    started = time.monotonic()
    commands = get_commands()
    with open(os.devnull, "w") as quiet:
        if "generate_synthetic" in commands:
            call_command("generate_synthetic", zones=zones, seed=seed, replace=True, stdout=quiet)
            source = "generate_synthetic"
        else:
            bench_only_country(zones=zones, seed=seed)
            source = "the bench-only generator"
        if "recompute_readiness" in commands:
            call_command("recompute_readiness", sync=True, stdout=quiet)
        else:
            bench_only_scores(seed=seed)
    bench_history(seed=seed)
    return f"built by {source} in {time.monotonic() - started:.0f} s"


def bench_only_country(*, zones: int, seed: int) -> None:
    """Stand-in for ``generate_synthetic``: zones with utilities, disputes, milestones, firms."""
    from investors.models import Firm
    from zones.models import LandDispute, Milestone, Province, UtilityConnection, Zone

    rng = random.Random(seed)
    provinces = list(Province.objects.values_list("code", flat=True))
    Zone.objects.filter(is_synthetic=True).delete()
    made = Zone.objects.bulk_create(
        Zone(
            name=f"Synthetic Zone {n:05d}",
            slug=f"synthetic-{n:05d}",
            province_id=rng.choice(provinces),
            district=f"District {rng.randint(1, 120)}",
            latitude=Decimal(f"{rng.uniform(24.5, 36.5):.4f}"),
            longitude=Decimal(f"{rng.uniform(62.0, 76.5):.4f}"),
            area_acres=Decimal(rng.randint(50, 5000)),
            status=rng.choice(Zone.Status.values),
            is_synthetic=True,
        )
        for n in range(zones)
    )
    today = datetime.date.today()
    UtilityConnection.objects.bulk_create(
        UtilityConnection(zone=z, kind=k, status=rng.choice(UtilityConnection.Status.values))
        for z in made
        for k in UtilityConnection.CORE_KINDS
    )
    LandDispute.objects.bulk_create(
        LandDispute(zone=z, reference=f"d{i}", affected_acres=Decimal(rng.randint(1, 300)))
        for z in made
        for i in range(rng.randint(0, 2))
    )
    Milestone.objects.bulk_create(
        Milestone(
            zone=z,
            code=f"m{i}",
            title=f"Milestone {i}",
            responsible=rng.choice(Milestone.Responsible.values),
            status=rng.choice(Milestone.Status.values),
            baseline_date=today - datetime.timedelta(days=rng.randint(300, 3000)),
            planned_date=today - datetime.timedelta(days=rng.randint(-500, 1500)),
        )
        for z in made
        for i in range(rng.randint(3, 10))
    )
    Firm.objects.bulk_create(
        Firm(
            zone=z,
            name=f"Firm {i}",
            origin_country=rng.choice(["PK", "CN", "TR", "AE"]),
            ownership=rng.choice(Firm.Ownership.values),
            status=rng.choice(Firm.Status.values),
            allotted_acres=Decimal(rng.randint(1, 40)),
            allotted_on=today - datetime.timedelta(days=rng.randint(0, 1500)),
            jobs_actual=rng.randint(0, 900),
        )
        for z in made
        for i in range(rng.randint(0, 12))
    )


def bench_only_scores(*, seed: int) -> None:
    from zones.models import Zone

    rng = random.Random(seed)
    zones = list(Zone.objects.only("pk"))
    for zone in zones:
        zone.readiness_score = Decimal(rng.randint(0, 1000)) / 10
    Zone.objects.bulk_update(zones, ["readiness_score"], batch_size=2000)


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


def _get(client: Client, url: str, **headers):
    response = client.get(url, headers=headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def timed(client: Client, url: str, repeat: int, *, cold: bool) -> tuple[float, int, int, int]:
    """(median ms, queries, status, HTML bytes) after two warm-ups; ``cold`` empties the
    dashboards' cache before each request, so every figure is computed again."""
    from django.core.cache import cache

    def once():
        if cold:
            cache.clear()
        started = time.perf_counter()
        result = _get(client, url, accept_encoding=BROWSER_ENCODINGS)
        return time.perf_counter() - started, result

    for _ in range(2):
        once()
    samples = [once()[0] for _ in range(repeat)]
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response, body = _get(client, url, accept_encoding=BROWSER_ENCODINGS)
    return statistics.median(samples) * 1000, len(queries), response.status_code, len(body)


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
            client = Client()
            response, sent = _get(client, url, accept_encoding=BROWSER_ENCODINGS)
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
                response, body = _get(client, asset, accept_encoding=BROWSER_ENCODINGS)
                if response.status_code != 200:
                    raise SystemExit(f"{asset}: HTTP {response.status_code}")
                cache = response.headers.get("Cache-Control", "")
                first += len(body)
                rows.append(
                    (asset, len(body), response.headers.get("Content-Encoding", "-"), cache)
                )
    print(f"\nTransfer for {url} (collectstatic with hashed, compressed files: {collected:.0f} s)")
    print(f"  {'file':60} {'bytes':>9}  encoding  cache-control")
    page = f"(the page: {len(html):,} bytes before compression)"
    print(f"  {page:60} {len(sent):>9,}  {encoding}")
    for asset, size, encoding, cache in rows:
        print(f"  {asset:60} {size:>9,}  {encoding:8}  {cache}")
    revalidated = [asset for asset, _size, _encoding, cache in rows if "immutable" not in cache]
    print(f"  first visit: {first:,} bytes ({first / 1024:,.0f} KiB)")
    print(
        f"  repeat visit: {len(sent):,} bytes: the page again; "
        f"{len(rows) - len(revalidated)} of {len(rows)} assets are cached as immutable "
        f"(content-hashed names), {len(revalidated)} revalidated (304, no body)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--zones", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--fresh", action="store_true", help="rebuild the synthetic country")
    args = parser.parse_args()

    use_bench_database(fresh=args.fresh)
    origin = ensure_country(zones=args.zones, seed=args.seed)
    from zones.models import Province, ReadinessSnapshot, Zone

    biggest = (
        Province.objects.filter(zones__isnull=False)
        .annotate(n=django.db.models.Count("zones"))
        .order_by("-n")
        .first()
    )
    zone = Zone.objects.filter(province=biggest).order_by("-readiness_score", "pk").first()
    print(
        f"Synthetic country: {Zone.objects.count():,} zones, "
        f"{ReadinessSnapshot.objects.count():,} readiness snapshots ({origin})."
    )

    pages = [
        ("trivial view (floor)", "/bench/floor/"),
        ("national dashboard /", "/"),
        ("national, textiles only", "/?sector=textiles"),
        (f"province {biggest.code} ({biggest.n:,} zones)", biggest.get_absolute_url()),
        ("zone page", zone.get_absolute_url()),
    ]
    with override_settings(ROOT_URLCONF=bench_urls(), ALLOWED_HOSTS=["testserver"]):
        client = Client()
        for cold, heading in (
            (True, "computed afresh (dashboards' cache emptied before each request)"),
            (False, "from the dashboards' cache (a repeat view within its lifetime)"),
        ):
            results = [(label, *timed(client, url, args.repeat, cold=cold)) for label, url in pages]
            floor_ms = results[0][1]
            print(f"\nMedian server time over {args.repeat} requests, {heading}:")
            print(f"  {'page':36} {'ms':>8} {'x floor':>8} {'queries':>8} {'HTML bytes':>11}")
            for label, ms, queries, status, size in results:
                if status != 200:
                    raise SystemExit(f"{label}: HTTP {status}")
                print(f"  {label:36} {ms:8.1f} {ms / floor_ms:8.1f} {queries:8} {size:11,}")
        transfer("/")


if __name__ == "__main__":
    main()
