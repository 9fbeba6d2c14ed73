"""Benchmark: what the plots cost (DOMAIN.md, version 2) on a synthetic country: the zone API
detail and the finder with ``plot_min``, each against the same without plots, in one run.

    .venv/bin/python bench/plots.py [--zones 10000] [--seed 1] [--repeat 25] [--fresh]

``generate_synthetic`` gives every zone about 20 plots (200,000 at 10,000 zones), 0-6
utility requests and 24 months of outage reports. Every request is timed in two states, in
one transaction that is rolled back (the kept database is never changed):

* **with plots**: the country as generated;
* **without plots**: the same country after ``TRUNCATE`` of the plots, requests and outages
  (in a savepoint, rolled back).

The two are interleaved in ``--rounds`` rounds (the first state alternating), so that the
load of other processes on the machine falls on both alike; each figure is the median of
``--repeat`` requests, printed with its quartiles.

The finder with ``plot_min`` is also set beside the same finder query without it, with the
plots there. The goal (issue 16) is within 1.5x. Server time is the median over ``--repeat``
requests through Django's test client (routing, middleware, view, queries, serializer or
template; no network). The dashboards count illustrative records here (``illustrative=
include``): every synthetic record is illustrative, so the default page would count none.
The dashboards' four plot figures (allocation, idle plots, the utility clock, outage hours)
are also timed alone, as the national page reads them from the aggregate tables, beside one
``count(*)`` over the firms table: issue 17's goal is each within 1x. The aggregate tables are
rebuilt before timing (the synthetic country is written past the signals that keep them).
The country lives in ``<your database>_bench_plots``, kept between runs; ``--fresh``
rebuilds it; its tables are vacuumed and analysed before timing. A quick check with a small
``--zones`` rebuilds that database at that size: the next full run rebuilds it again.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

common.setup_django()

import django  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

GOAL = 1.5
WITH, WITHOUT = "with plots", "without plots"
STATES = (WITH, WITHOUT)
PLOT_TABLES = ("zones_plot", "zones_utilityrequest", "zones_outagereport")
#: The aggregate tables the dashboards' plot charts read: emptied with the plots.
PLOT_TALLIES = (
    "aggregates_plottally",
    "aggregates_unbuiltplottally",
    "aggregates_requesttally",
    "aggregates_connectiondaystally",
    "aggregates_outagetally",
    "aggregates_provinceplottally",
    "aggregates_provinceunbuiltplottally",
    "aggregates_provinceconnectiondaystally",
)
#: Issue 17: each dashboard figure within this many times one count(*) over the firms table.
FIGURE_GOAL = 1.0


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


def _ms(client, url: str) -> float:
    started = time.perf_counter()
    response, _body = common.get(client, url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return (time.perf_counter() - started) * 1000


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        common.get(client, url)
    return len(queries)


def _truncate() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(PLOT_TABLES + PLOT_TALLIES)}")


def plot_figure_reads() -> dict[str, object]:
    """The dashboards' four plot figures as the national page (and a province page, for idle
    plots by zone) reads them, illustrative records included, and the goal's yardstick."""
    from dashboards import plot_selectors
    from zones.models import Province, Zone

    zones, provinces = Zone.objects.all(), list(Province.objects.all())
    province = Zone.objects.filter(province=provinces[0])
    counted = {"include_illustrative": True}

    def count_firms():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM investors_firm")
            return cursor.fetchone()

    return {
        "count(*) over the firms table (the yardstick)": count_firms,
        "allocation by province": lambda: plot_selectors.allocation_by_province(
            zones, provinces, **counted
        ),
        "idle plots by province": lambda: plot_selectors.idle_plots(
            zones, by="province", provinces=provinces, **counted
        ),
        f"idle plots by zone ({provinces[0].code})": lambda: plot_selectors.idle_plots(
            province, by="zone", **counted
        ),
        "utility clock by provider": lambda: plot_selectors.clock_by_provider(zones, **counted),
        "outage hours by zone": lambda: plot_selectors.outages_by_zone(zones, **counted),
    }


def time_plot_figures(repeat: int) -> dict[str, float]:
    """Each read's median milliseconds over ``repeat`` runs, after one warm-up."""
    times = {}
    for label, read in plot_figure_reads().items():
        read()
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            read()
            samples.append((time.perf_counter() - started) * 1000)
        times[label] = statistics.median(samples)
    return times


def time_both(client, rows, *, rounds: int, per_round: int) -> dict[str, dict[str, Result]]:
    """Every row timed with and without plots, interleaved: each round times all rows in one
    state then in the other (the first state alternating), so that the load other processes
    put on the machine falls on both alike. Without plots is a savepoint in which the plot
    tables are truncated, rolled back at the end of the round; the whole run is one
    transaction, rolled back, so the kept database is never changed."""
    samples = {state: {label: [] for label, _url in rows} for state in STATES}
    queries = {}
    try:
        with transaction.atomic():
            for round_ in range(rounds):
                order = STATES if round_ % 2 == 0 else STATES[::-1]
                for state in order:
                    savepoint = transaction.savepoint()
                    if state == WITHOUT:
                        _truncate()
                    for label, url in rows:
                        if round_ == 0:  # warm up; count the queries once
                            _ms(client, url)
                            queries[(state, label)] = _queries(client, url)
                        samples[state][label] += [_ms(client, url) for _ in range(per_round)]
                    transaction.savepoint_rollback(savepoint)
            raise _Rollback
    except _Rollback:
        pass
    return {
        state: {
            label: Result(
                statistics.median(values),
                *statistics.quantiles(values, n=4)[::2],
                queries[(state, label)],
            )
            for label, values in by_label.items()
        }
        for state, by_label in samples.items()
    }


class Result(NamedTuple):
    ms: float
    q1: float
    q3: float
    queries: int


class _Rollback(Exception):
    pass


def main() -> None:
    parser = common.country_arguments(__doc__, repeat=25)
    parser.add_argument("--plot-min", default="20", help="the finder's plot_min in acres")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds")
    args = parser.parse_args()

    common.use_bench_database("bench_plots", fresh=args.fresh)
    from zones.models import OutageReport, Plot, UtilityRequest, Zone

    origin = common.ensure_country(zones=args.zones, seed=args.seed, complete=Plot.objects.exists)
    rebuilt = common.ensure_aggregates()
    # A table just loaded by COPY has no visibility map until autovacuum has passed, so no
    # index-only scan (plot_min's partial index): vacuum first, as a live database would be.
    with connection.cursor() as cursor:
        for table in ("zones_zone", "investors_firm", *PLOT_TABLES, *PLOT_TALLIES):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(
        f"Synthetic country: {Zone.objects.count():,} zones, {Plot.objects.count():,} plots, "
        f"{UtilityRequest.objects.count():,} utility requests, "
        f"{OutageReport.objects.count():,} outage reports ({origin})."
    )
    print(f"{rebuilt}.")
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

    offered = Plot.objects.offered().filter(acres__gte=args.plot_min)
    print(
        f"plot_min={args.plot_min}: {offered.values('zone_id').distinct().count():,} zones have "
        f"an available plot of at least {args.plot_min} acres."
    )
    per_round = max(1, args.repeat // args.rounds)
    print(
        f"{args.rounds} rounds of {per_round} requests per URL and state, interleaved; "
        f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )

    with override_settings(ROOT_URLCONF=common.bench_urlconf(), DEBUG=False):
        client = Client(HTTP_HOST="localhost")
        floor = common.timed(client, "/bench/floor/", args.repeat * 4).ms
        results = time_both(client, rows, rounds=args.rounds, per_round=per_round)
        figures = time_plot_figures(max(args.repeat, 5) * 5)
    with_plots, without = results[WITH], results[WITHOUT]

    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"floor (trivial view): {floor:.2f} ms")
    print(
        f"\n{'request':48} {'with plots: median (q1-q3) ms':>30} {'q':>3} "
        f"{'without: median (q1-q3) ms':>27} {'q':>3} {'ratio':>6}"
    )
    for label, _url in rows:
        a, b = with_plots[label], without[label]
        print(
            f"{label:48} {a.ms:10.1f} ({a.q1:7.1f}-{a.q3:7.1f}) {a.queries:3d} "
            f"{b.ms:8.1f} ({b.q1:7.1f}-{b.q3:7.1f}) {b.queries:3d} {a.ms / b.ms:6.2f}"
        )
    print("\n(Without plots, plot_min finds no zone: those rows only show the empty answer.)")
    print("\nThe finder with plot_min beside the same query without it (plots there):")
    for plain, filtered in (
        ("finder: no filters", f"finder: plot_min={args.plot_min}"),
        ("finder: sector + province", f"finder: sector + province + plot_min={args.plot_min}"),
        ("API list: no filters", f"API list: plot_min={args.plot_min}"),
    ):
        ratio = with_plots[filtered].ms / with_plots[plain].ms
        verdict = "within" if ratio <= GOAL else "OVER"
        print(f"  {filtered:48} {ratio:5.2f}x ({verdict} the {GOAL}x goal)")
    print("\nThe zone API detail with plots beside the same without plots:")
    for label, _url in rows:
        if label.startswith("API zone detail"):
            ratio = with_plots[label].ms / without[label].ms
            verdict = "within" if ratio <= GOAL else "OVER"
            print(f"  {label:48} {ratio:5.2f}x ({verdict} the {GOAL}x goal)")

    yardstick, *reads = figures.items()
    print(f"\nThe dashboards' plot figures, each read alone (median ms), against {yardstick[0]}:")
    print(f"  {yardstick[0]:48} {yardstick[1]:8.1f}")
    for label, ms in reads:
        ratio = ms / yardstick[1]
        verdict = "within" if ratio <= FIGURE_GOAL else "OVER"
        print(f"  {label:48} {ms:8.1f} {ratio:5.2f}x ({verdict} the {FIGURE_GOAL}x goal)")


if __name__ == "__main__":
    main()
