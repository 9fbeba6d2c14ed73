"""Load test: gunicorn on the real stack with 10,000 synthetic zones; 50 concurrent users
(visitors browsing dashboards, the finder and the API, and editors saving updates) for 60 s
with locust, against 127.0.0.1 only, after --warmup seconds of the same load whose figures
are not counted (the updates saved during it are checked all the same). Prints requests per
second, p50/p95/p99 latency and errors per endpoint, then counts the editors' updates in the
database: none may be lost.

    .venv/bin/python scripts/load/run.py [--database-url postgres://.../sez_load]
        [--users 50] [--seconds 60] [--warmup 15] [--zones 10000] [--workers 3]
        [--cache redis|memory] [--broker-url redis://…/8 --cache-url redis://…/9]
        [--dashboards-shown]

Without --database-url it creates a throwaway PostgreSQL cluster and generates the zones
there (about three minutes). A given database is used as it is, after a check that it holds
only synthetic zones, and is migrated; if it has fewer zones than --zones, they are generated.
Without --broker-url it starts a Redis of its own (port 56379) for the broker and, with
--cache redis, the cache (its database 1); with --broker-url (and --cache-url) it uses those
Redis databases instead, e.g. the two a shared machine gave you. Figures are recorded in
docs/reliability.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.faults.stack import VENV_BIN, Stack
from scripts.load import cpu_share

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
PASSWORD = "load-script-Passw0rd!"  # noqa: S105 - accounts in a throwaway database
EDITORS = 5

PREPARE = """
import json
from django.contrib.auth.models import User
from zones.models import Milestone, Zone
editors = []
milestones = list(Milestone.objects.exclude(status="cancelled").order_by("zone_id", "pk")
    .distinct("zone_id").values_list("pk", flat=True)[:EDITORS * 6])
for n in range(EDITORS):
    user, _ = User.objects.get_or_create(username=f"load-editor-{n}", defaults={
        "is_staff": True, "is_superuser": True, "email": f"load-editor-{n}@example.org"})
    user.set_password(PASSWORD)
    user.save()
    editors.append({"username": user.username, "milestones": milestones[n::EDITORS]})
slugs = list(Zone.objects.filter(published=True).order_by("?")
    .values_list("slug", flat=True)[:2000])
print(json.dumps({"editors": editors, "slugs": slugs, "zones": Zone.objects.count(),
    "password": PASSWORD}))
"""

COUNT = """
import json
from workspace.models import ChangeRequest
from zones.models import Milestone
rows = ChangeRequest.objects.filter(submitted_by__username__startswith="load-editor-",
    comment__startswith="load test update RUN ")
final = {str(m.pk): m.status for m in Milestone.objects.filter(pk__in=IDS)}
print(json.dumps({"change_requests": rows.count(),
    "applied": rows.filter(status="approved").count(),
    "comments": sorted(rows.values_list("comment", flat=True)), "final": final}))
"""


def shell(stack: Stack, code: str) -> dict:
    out = stack.manage("shell", "-c", code, timeout=900)
    return json.loads(out.strip().splitlines()[-1])


def stamp(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def table(stats_csv: Path) -> list[dict]:
    with stats_csv.open() as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the stack on the way out
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--warmup", type=int, default=15, help="seconds of load before the figures count"
    )
    parser.add_argument("--zones", type=int, default=10_000)
    parser.add_argument(
        "--workers", type=int, default=3, help="gunicorn workers (3 measured best on 2 cores)"
    )
    parser.add_argument(
        "--cache",
        choices=["redis", "memory"],
        default="redis",
        help="the dashboards' cache: shared in Redis (as in production) or per process",
    )
    parser.add_argument(
        "--dashboards-shown",
        action="store_true",
        help="visitors ask the dashboards with illustrative=include too (the other pages always)",
    )
    parser.add_argument("--broker-url", help="a Redis database to use as the broker")
    parser.add_argument("--cache-url", help="a Redis database to use as the cache")
    args = parser.parse_args()
    if not 0 < args.seconds <= 600 or not 0 <= args.warmup <= 120 or not 0 < args.users <= 200:
        parser.error("keep the run bounded: at most 600 s, a 120 s warm-up and 200 users")

    with Stack(database_url=args.database_url, broker_url=args.broker_url) as stack:
        if args.cache == "redis":
            own_cache = f"redis://127.0.0.1:{stack.redis_port}/1"
            stack.extra_env["CACHE_URL"] = args.cache_url or own_cache
        stack.start_postgres()
        stack.start_redis()
        stamp("migrating and collecting static files")
        stack.prepare_django()
        existing = shell(stack, "import json; from zones.models import Zone; "
                                "print(json.dumps(Zone.objects.count()))")  # fmt: skip
        if existing < args.zones:
            stamp(f"generating {args.zones} synthetic zones")
            stack.manage("generate_synthetic", "--zones", str(args.zones), "--seed", "1")
            stack.manage("recompute_readiness", "--sync")
        # The dashboards read the aggregate tables, and a generated country is written past
        # the signals that keep them: count it, as the nightly rebuild would.
        stack.manage("rebuild_aggregates")
        # Fresh statistics for the planner, as autovacuum keeps them on a server (it is off on
        # some machines, and a bulk load leaves tables it never saw: the sector filter then
        # planned as if the zones' sectors table were empty).
        stack.manage("shell", "-c", "from django.db import connection\n"
                                    "connection.cursor().execute('ANALYZE')")  # fmt: skip
        data = shell(
            stack,
            PREPARE.replace("EDITORS", str(EDITORS)).replace("PASSWORD", repr(PASSWORD)),
        )
        data_file = stack.workdir / "load-data.json"
        data_file.write_text(json.dumps(data))
        accepted_file = Path(f"{data_file}.accepted.jsonl")
        warmup_file = Path(f"{data_file}.warmup.json")
        stack.start_web(workers=args.workers)
        stack.start_worker(concurrency=1)
        stack.start_beat()

        run = time.strftime("%Y%m%dT%H%M%S")
        stamp(
            f"{data['zones']} zones; locust: {args.users} users for {args.seconds} s "
            f"after a {args.warmup} s warm-up"
        )
        prefix = stack.workdir / "locust"
        # The machine's CPU over the counted seconds only (the warm-up's are not counted).
        snapshots = []
        timers = [threading.Timer(delay, lambda: snapshots.append(cpu_share.snapshot()))
                  for delay in (args.warmup, args.warmup + args.seconds)]  # fmt: skip
        # And how fast the machine itself was: before the load, and during the counted seconds.
        quiet_ms = cpu_share.quiet_probe_ms()
        probe = cpu_share.SpeedProbe()
        timers += [threading.Timer(args.warmup, probe.start),
                   threading.Timer(args.warmup + args.seconds, probe.stop)]  # fmt: skip
        for timer in timers:
            timer.start()
        subprocess.run(
            [str(VENV_BIN / "locust"), "-f", str(LOCUSTFILE), "--headless",
             "-u", str(args.users), "-r", str(max(1, args.users // 5)),
             "-t", f"{args.warmup + args.seconds}s", "--host", stack.base_url, "--csv", str(prefix),
             "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
            env={**stack.env, "LOAD_DATA": str(data_file), "LOAD_RUN": run,
                 "LOAD_WARMUP": str(args.warmup),
                 "LOAD_DASHBOARDS_SHOWN": "1" if args.dashboards_shown else "0"},
            timeout=args.warmup + args.seconds + 180,
        )  # fmt: skip
        for timer in timers:
            timer.cancel()
        speed = cpu_share.speed_report(quiet_ms, probe.stop())
        time.sleep(5)  # let the last recompute tasks finish

        rows = table(Path(f"{prefix}_stats.csv"))
        lines = accepted_file.read_text().splitlines() if accepted_file.exists() else []
        accepted = [json.loads(line) for line in lines]
        warm = json.loads(warmup_file.read_text()) if warmup_file.exists() else None
        ids = sorted({a["milestone"] for a in accepted})
        counted = shell(stack, COUNT.replace("IDS", repr(ids)).replace("RUN", run))
        last = {}
        for update in accepted:
            last[str(update["milestone"])] = update["status"]

    print(f"\n{'endpoint':42} {'requests':>8} {'errors':>6} {'rps':>6} "
          f"{'p50':>6} {'p95':>6} {'p99':>6} (ms)")  # fmt: skip
    for row in rows:
        print(
            f"{(row['Type'] + ' ' + row['Name'])[:42]:42} {row['Request Count']:>8} "
            f"{row['Failure Count']:>6} {float(row['Requests/s']):6.1f} {row['50%']:>6} "
            f"{row['95%']:>6} {row['99%']:>6}"
        )
    if len(snapshots) == 2:
        served = sum(int(row["Request Count"]) for row in rows if row["Name"] == "Aggregated")
        print(cpu_share.report(cpu_share.between(*snapshots), served))
    if speed:
        print(speed)
    if warm:
        print(f"\nwarm-up (not in the table): {warm['requests']} requests, "
              f"{warm['failures']} failed")  # fmt: skip
    # An update the server saved while locust was stopping, its answer never read, is in the
    # database but not among the accepted: one more, not one lost.
    saved = counted["comments"]
    missing = [a["comment"] for a in accepted if a["comment"] not in saved]
    print(
        f"\nupdates accepted by the server: {len(accepted)}; change requests in the database: "
        f"{counted['change_requests']} (applied {counted['applied']}; "
        f"{len(saved) - len(accepted) + len(missing)} saved as locust stopped, answer unread); "
        f"every accepted update found: {not missing}; "
        f"each milestone holds its last accepted status: {counted['final'] == last}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
