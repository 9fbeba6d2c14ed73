"""What keeping each zone's allotted acres in the database costs the writes, and what it
saves the reads.

    .venv/bin/python bench/allotment.py [--zones 10000] [--repeat 50] [--fresh]

Works in a database of its own (``<DATABASE_URL's database>_bench_allotment``, kept; built
with ``generate_synthetic`` when missing or when ``--zones`` differs). Times, with the
triggers on the firms table and with them skipped for the connection (``pgtrigger.ignore``),
in the same run:

- one firm's status changed and saved through the ORM, committed (the editor's save);
- 1,000 new firms over 100 zones in one ``bulk_create``, then deleted in one statement
  (an import);

and the free-land sum of every zone read from the allotments against the same sum
computed from the firms, as the finder did before. Figures go in docs/performance.md.
"""

from __future__ import annotations

import logging
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

common.setup_django()

import pgtrigger  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from zones.vocabulary import FirmStatus  # noqa: E402

TRIGGERS = [f"investors.Firm:zone_allotment_{op}" for op in ("insert", "update", "delete")]
FROM_FIRMS = """
SELECT z.id, z.area_acres - coalesce(f.acres, 0) FROM zones_zone z LEFT JOIN (
  SELECT zone_id, sum(allotted_acres) AS acres FROM investors_firm
  WHERE status IN ('allotted', 'under_construction', 'operating') GROUP BY zone_id) f
ON f.zone_id = z.id
"""
FROM_ALLOTMENTS = """
SELECT z.id, z.area_acres - coalesce(a.allotted_acres, 0)
FROM zones_zone z LEFT JOIN zones_zoneallotment a ON a.zone_id = z.id
"""


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = common.country_arguments(__doc__, repeat=50)
    args = parser.parse_args()
    logging.disable(logging.INFO)  # each save's readiness task, run eagerly, logs a line

    common.use_bench_database("bench_allotment", fresh=args.fresh)
    from investors.models import Firm
    from zones.models import Zone, ZoneAllotment

    origin = common.ensure_country(
        zones=args.zones,
        seed=args.seed,
        complete=Zone.objects.exclude(readiness_score=None).exists,
    )
    print(f"Synthetic country: {Zone.objects.count():,} zones, {Firm.objects.count():,} firms "
          f"({origin}); median of {args.repeat} runs.\n")  # fmt: skip

    firm = Firm.objects.filter(status=FirmStatus.OPERATING).order_by("pk").first()
    zone_ids = list(Zone.objects.order_by("pk").values_list("pk", flat=True)[:100])

    def save_one():
        firm.status = (
            FirmStatus.UNDER_CONSTRUCTION
            if firm.status == FirmStatus.OPERATING
            else FirmStatus.OPERATING
        )
        with transaction.atomic():
            firm.save(update_fields=["status"])

    def import_and_remove():
        with transaction.atomic():
            Firm.objects.bulk_create(
                Firm(zone_id=zone_ids[n % 100], name=f"bench firm {n}", origin_country="CN",
                     ownership="foreign", status="allotted", allotted_acres=n % 7)
                for n in range(1000)
            )  # fmt: skip
        with transaction.atomic():
            Firm.objects.filter(name__startswith="bench firm ").delete()

    def query(sql):
        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql)
                cursor.fetchall()

        return run

    before = dict(ZoneAllotment.objects.values_list("zone_id", "allotted_acres"))
    print(f"{'':48} {'triggers on':>12} {'skipped':>10}")
    for label, action, repeat in (
        ("save one firm (ORM, committed)", save_one, args.repeat),
        ("1,000 firms bulk_create + delete", import_and_remove, max(3, args.repeat // 10)),
    ):
        on = median_ms(action, repeat)
        with pgtrigger.ignore(*TRIGGERS):
            off = median_ms(action, repeat)
        print(f"{label:48} {on:9.1f} ms {off:7.1f} ms")
    # The skipped runs left the allotments as they were; put the firms back the same way.
    firm.status = FirmStatus.OPERATING
    firm.save(update_fields=["status"])
    assert dict(ZoneAllotment.objects.values_list("zone_id", "allotted_acres")) == before

    print(f"\n{'free land of every zone':48} {'from firms':>12} {'stored':>10}")
    old = median_ms(query(FROM_FIRMS), max(3, args.repeat // 10))
    new = median_ms(query(FROM_ALLOTMENTS), max(3, args.repeat // 10))
    print(f"{'read':48} {old:9.1f} ms {new:7.1f} ms")


if __name__ == "__main__":
    main()
