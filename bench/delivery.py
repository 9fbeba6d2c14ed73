"""Benchmark: "announced vs delivered" on a synthetic country, and the query count of each page.

    .venv/bin/python bench/delivery.py [--zones 10000] [--seed 1] [--repeat 15] [--fresh]

The country lives in its own database (``<your database>_bench_delivery``), kept between
runs; ``--fresh`` rebuilds it with ``manage.py generate_synthetic`` and then gives every
zone announced targets: one to four statements of jobs and investment (restated over the
years), a firms-operating target for a third of the zones, and completion dates for two of
its milestones. Server time is the median over ``--repeat`` requests through Django's test
client (routing, middleware, view, queries, figures, template; no network), next to a
trivial view in the same run: the framework's floor. The dashboards' cache is off.
"""

from __future__ import annotations

import datetime
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

common.setup_django()

from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

BENCH_SOURCE = "https://example.org/bench-target"
#: Every synthetic record is flagged illustrative, and illustrative records are left out by
#: default (issue 22): without this every page would be empty.
SHOW_ALL = "illustrative=include"


def add_targets(*, seed: int) -> None:
    from zones.models import Milestone, Target, Zone

    rng = random.Random(seed)
    Target.objects.filter(source_url=BENCH_SOURCE).delete()
    codes: dict[int, list[str]] = {}
    for zone_id, code in Milestone.objects.values_list("zone_id", "code").iterator():
        codes.setdefault(zone_id, []).append(code)
    rows = []
    start = datetime.date(2014, 1, 1)
    for zone_id in Zone.objects.values_list("pk", flat=True).iterator():
        days = sorted(rng.sample(range(0, 4000), 4))
        for metric, low, high in (("jobs", 1e3, 3e5), ("investment_usd", 1e8, 5e9)):
            for day in days[: rng.randint(1, 4)]:
                rows.append(
                    Target(
                        zone_id=zone_id,
                        metric=metric,
                        announced_on=start + datetime.timedelta(days=day),
                        value=Decimal(int(rng.uniform(low, high))),
                        announced_by="Bench announcer",
                        source_url=BENCH_SOURCE,
                    )
                )
        if rng.random() < 0.33:
            rows.append(
                Target(
                    zone_id=zone_id,
                    metric="firms_operating",
                    announced_on=start + datetime.timedelta(days=days[0]),
                    value=Decimal(rng.randint(20, 600)),
                    source_url=BENCH_SOURCE,
                )
            )
        for code in rng.sample(codes.get(zone_id, []), k=min(2, len(codes.get(zone_id, [])))):
            announced = start + datetime.timedelta(days=rng.randint(0, 3000))
            rows.append(
                Target(
                    zone_id=zone_id,
                    metric="completion_date",
                    announced_on=announced,
                    target_date=announced + datetime.timedelta(days=rng.randint(180, 1500)),
                    milestone_code=code,
                    source_url=BENCH_SOURCE,
                )
            )
    Target.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)


def firm_count_ms(repeat: int) -> float:
    """The yardstick of issue 17: the median time of one ``count(*)`` over the firms."""
    from django.db import connection

    samples = []
    with connection.cursor() as cursor:
        for _ in range(repeat + 1):
            started = time.perf_counter()
            cursor.execute("SELECT count(*) FROM investors_firm")
            cursor.fetchone()
            samples.append(time.perf_counter() - started)
    return statistics.median(samples[1:]) * 1000


def main() -> None:
    parser = common.country_arguments(__doc__, repeat=15)
    options = parser.parse_args()

    from investors.models import Firm
    from zones.models import Milestone, Target, Zone

    common.use_bench_database("bench_delivery", fresh=options.fresh)
    how = common.ensure_country(
        zones=options.zones,
        seed=options.seed,
        complete=Target.objects.filter(source_url=BENCH_SOURCE).exists,
        score=False,
        then=lambda: add_targets(seed=options.seed),
    )
    print(common.ensure_aggregates())
    slug = Zone.objects.filter(is_synthetic=True).order_by("pk").values_list("slug", flat=True)[0]
    print(
        f"country ({how}): {Zone.objects.count():,} zones, {Target.objects.count():,} target "
        f"statements, {Milestone.objects.count():,} milestones, {Firm.objects.count():,} firms"
    )
    urls = [
        ("trivial view (the floor)", "/bench/floor/"),
        ("/delivery/ (every zone)", "/delivery/"),
        ("/delivery/?province=PK-PB", "/delivery/?province=PK-PB"),
        ("/delivery/, two filters", "/delivery/?sector=textiles&status=operational"),
        ("a zone page (its section included)", f"/zones/{slug}/"),
        ("finder, sort=-delivery", "/zones/?sort=-delivery"),
        ("API list, sort=-delivery", "/api/zones/?sort=-delivery"),
        ("API detail (with delivery)", f"/api/zones/{slug}/"),
    ]  # fmt: skip
    client = Client()
    with override_settings(
        ROOT_URLCONF=common.bench_urlconf(),
        DASHBOARDS_CACHE_SECONDS=0,
        ALLOWED_HOSTS=["testserver"],
    ):
        print(f"{'request':<48} {'median ms':>10} {'queries':>8} {'bytes':>10}")
        yardstick = firm_count_ms(options.repeat)
        print(f"{'one count(*) over the firms (the yardstick)':<48} {yardstick:>10.1f}")
        for label, url in urls:
            url = f"{url}{'&' if '?' in url else '?'}{SHOW_ALL}"
            median, queries, status, size = common.timed(client, url, options.repeat)
            assert status == 200, (url, status)
            print(f"{label:<48} {median:>10.1f} {queries:>8} {size:>10,}")
        # What a visitor sees by default: real records only (none here, every zone is
        # synthetic), so every figure's reads find nothing and the page is its own cost.
        median, queries, status, size = common.timed(client, "/delivery/", options.repeat)
        assert status == 200, status
        label = "/delivery/, real records only (the default)"
        print(f"{label:<48} {median:>10.1f} {queries:>8} {size:>10,}")


if __name__ == "__main__":
    main()
