"""CPU per request of the pages the load test asks for most, and where it goes.

    .venv/bin/python scripts/load/cpu_profile.py --database-url postgres://.../sez_load
        [--cache-url redis://127.0.0.1:6379/9] [--repeat 30] [--top 25] [--only zone]
        [--no-profile]

Runs in one process with the production settings, through Django's test client (routing,
middleware, view, queries, rendering; no network), against the load test's database (the
10,000 synthetic zones of ``scripts/load/run.py``). For each endpoint it prints the median
CPU time of one request in this process and in its PostgreSQL backend (read from
``/proc``, so the server must run on this machine), and cProfile's heaviest functions.

Two cases per endpoint: **changed**, the records changed since the last request (the data
version is bumped before each one, as the editors' saves do under load), so nothing named by
it is reused; and **unchanged**, the same requests again with no write between them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PROVINCES = ["PK-PB", "PK-SD", "PK-KP", "PK-BA"]
SECTORS = ["textiles", "food-processing", "steel", "it", "pharmaceuticals"]


def backend_cpu(pid: int) -> float:
    """Seconds of CPU the PostgreSQL backend ``pid`` has used (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def urls(kind: str, slugs: list[str], count: int) -> list[str]:
    """``count`` requests like the load test's (every synthetic record is illustrative)."""
    rng = random.Random(1)
    shown = "illustrative=include"
    if kind == "zone":
        return [f"/zones/{rng.choice(slugs)}/?{shown}" for _ in range(count)]
    if kind == "finder":
        return [
            f"/zones/?sector={rng.choice(SECTORS)}&province={rng.choice(PROVINCES)}&{shown}"
            + ("&sort=-readiness" if rng.random() < 0.5 else "")
            for _ in range(count)
        ]
    if kind == "api-list":
        return [
            f"/api/zones/?province={rng.choice(PROVINCES)}&readiness_min={rng.randint(0, 60)}"
            f"&{shown}"
            for _ in range(count)
        ]
    return [f"/api/zones/{rng.choice(slugs)}/?{shown}" for _ in range(count)]


def measure(client, targets: list[str], *, bump, pid: int, top: int, profile: bool = True) -> str:
    profiler = cProfile.Profile() if profile else None
    own, database = [], []
    for url in targets:
        if bump:
            bump()
        cpu, pg = time.process_time(), backend_cpu(pid)
        if profiler:
            profiler.enable()
        response = client.get(url)
        if profiler:
            profiler.disable()
        own.append((time.process_time() - cpu) * 1000)
        database.append((backend_cpu(pid) - pg) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
    stream = io.StringIO()
    if profiler:
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(top)
    return (
        f"python {statistics.median(own):.1f} ms, postgres {statistics.median(database):.1f} ms "
        f"(medians of {len(targets)})\n" + stream.getvalue()
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cache-url", default="locmemcache://")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--only", choices=["zone", "finder", "api-list", "api-detail"])
    parser.add_argument(
        "--no-profile",
        action="store_true",
        help="time the requests without cProfile (about half the CPU), and print no profile",
    )
    args = parser.parse_args()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="profile-script-only-" + "k3y" * 12,
        DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=args.database_url,
        CACHE_URL=args.cache_url,
        DJANGO_LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from dashboards.cache import data_changed
    from zones.models import Milestone, Zone

    slugs = list(Zone.objects.filter(published=True).order_by("pk").values_list("slug", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    client = Client()

    def another_zone_saved():
        """What an editor's save elsewhere does to the caches (a record of no listed zone)."""
        data_changed(None, instance=Milestone(zone_id=0))

    client.get("/")  # imports, URL resolver, first connection
    kinds = [args.only] if args.only else ["zone", "finder", "api-list", "api-detail"]
    for kind in kinds:
        targets = urls(kind, slugs[:200], args.repeat)
        for case, bump in (("changed", another_zone_saved), ("unchanged", None)):
            print(f"=== {kind}, {case}: ", end="")
            print(
                measure(
                    client, targets, bump=bump, pid=pid, top=args.top, profile=not args.no_profile
                )
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
