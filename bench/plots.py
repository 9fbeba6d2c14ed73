"""Benchmark: what the plots cost (DOMAIN.md, version 2) on a synthetic country: the zone API
detail and the finder with ``plot_min``, each against the same without plots, in one run.

    .venv/bin/python bench/plots.py [--zones 10000] [--seed 1] [--repeat 25] [--fresh]

``generate_synthetic`` gives every zone about 20 plots (200,000 at 10,000 zones), 0-6
utility requests and 24 months of outage reports. Every request is timed twice, each time
inside a transaction that is rolled back:

* **with plots**: the country as generated;
* **without plots**: the same country after ``TRUNCATE`` of the plots, requests and outages
  (undone by the rollback, so the kept database is never changed).

The finder with ``plot_min`` is also set beside the same finder query without it, with the
plots there. The goal (issue 16) is within 1.5x. Server time is the median over ``--repeat``
requests through Django's test client (routing, middleware, view, queries, serializer or
template; no network). The dashboards count illustrative records here (``illustrative=
include``): every synthetic record is illustrative, so the default page would count none.
The country lives in ``<your database>_bench_plots``, kept between runs; ``--fresh``
rebuilds it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

common.setup_django()

import django  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

GOAL = 1.5
PLOT_TABLES = ("zones_plot", "zones_utilityrequest", "zones_outagereport")


def cases(zone_slugs: list[str], plot_min: str) -> list[tuple[str, str]]:
    rows = [
        (f"API zone detail #{i + 1}", f"/api/zones/{slug}/") for i, slug in enumerate(zone_slugs)
    ]
    rows += [
        ("finder: no filters", "/zones/"),
        (f"finder: plot_min={plot_min}", f"/zones/?plot_min={plot_min}"),
        ("finder: sector + province", "/zones/?sector=textiles&province=PK-PB"),
        (
            f"finder: sector + province + plot_min={plot_min}",
            f"/zones/?sector=textiles&province=PK-PB&plot_min={plot_min}",
        ),
        ("API list: no filters", "/api/zones/"),
        (f"API list: plot_min={plot_min}", f"/api/zones/?plot_min={plot_min}"),
        ("national dashboard (illustrative included)", "/?illustrative=include"),
    ]
    return rows


def time_all(client, rows, repeat: int, *, truncate: bool) -> dict[str, common.Timing]:
    """Each row's timing inside one transaction, rolled back (after TRUNCATE when asked)."""
    results = {}
    try:
        with transaction.atomic():
            if truncate:
                with connection.cursor() as cursor:
                    cursor.execute(f"TRUNCATE {', '.join(PLOT_TABLES)}")
            for label, url in rows:
                timing = common.timed(client, url, repeat)
                assert timing.status == 200, f"{url} answered {timing.status}"
                results[label] = timing
            raise _Rollback
    except _Rollback:
        pass
    return results


class _Rollback(Exception):
    pass


def main() -> None:
    parser = common.country_arguments(__doc__, repeat=25)
    parser.add_argument("--plot-min", default="20", help="the finder's plot_min in acres")
    args = parser.parse_args()

    common.use_bench_database("bench_plots", fresh=args.fresh)
    from zones.models import OutageReport, Plot, UtilityRequest, Zone

    origin = common.ensure_country(zones=args.zones, seed=args.seed, complete=Plot.objects.exists)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(PLOT_TABLES)}")
    print(
        f"Synthetic country: {Zone.objects.count():,} zones, {Plot.objects.count():,} plots, "
        f"{UtilityRequest.objects.count():,} utility requests, "
        f"{OutageReport.objects.count():,} outage reports ({origin})."
    )
    print(f"PostgreSQL {connection.pg_version}, Django {django.get_version()}, {args.repeat} runs")
    # Three zones: the one with the most plots, the most requests, the most outage reports.
    busiest = []
    for model in (Plot, UtilityRequest, OutageReport):
        row = (
            model.objects.values("zone__slug")
            .annotate(n=django.db.models.Count("id"))
            .order_by("-n", "zone__slug")
            .first()
        )
        if row and row["zone__slug"] not in busiest:
            busiest.append(row["zone__slug"])
    rows = cases(busiest, args.plot_min)

    with override_settings(ROOT_URLCONF=common.bench_urlconf(), DEBUG=False):
        client = Client(HTTP_HOST="localhost")
        floor = common.timed(client, "/bench/floor/", args.repeat * 4).ms
        with_plots = time_all(client, rows, args.repeat, truncate=False)
        without = time_all(client, rows, args.repeat, truncate=True)

    print(f"\nfloor (trivial view): {floor:.2f} ms")
    print(
        f"\n{'request':52} {'with plots ms':>13} {'queries':>7} {'without ms':>10} "
        f"{'queries':>7} {'ratio':>6}"
    )
    for label, _url in rows:
        a, b = with_plots[label], without[label]
        print(
            f"{label:52} {a.ms:13.1f} {a.queries:7d} {b.ms:10.1f} {b.queries:7d} {a.ms / b.ms:6.2f}"
        )
    print("\nThe finder with plot_min beside the same finder without it (plots there):")
    for plain, filtered in (
        ("finder: no filters", f"finder: plot_min={args.plot_min}"),
        ("finder: sector + province", f"finder: sector + province + plot_min={args.plot_min}"),
        ("API list: no filters", f"API list: plot_min={args.plot_min}"),
    ):
        ratio = with_plots[filtered].ms / with_plots[plain].ms
        verdict = "within" if ratio <= GOAL else "OVER"
        print(f"  {filtered:52} {ratio:5.2f}x ({verdict} the {GOAL}x goal)")
    print("\nThe zone API detail with plots beside the same without plots:")
    for label, _url in rows:
        if label.startswith("API zone detail"):
            ratio = with_plots[label].ms / without[label].ms
            verdict = "within" if ratio <= GOAL else "OVER"
            print(f"  {label:52} {ratio:5.2f}x ({verdict} the {GOAL}x goal)")


if __name__ == "__main__":
    main()
