"""Back up a database, restore it into a new one, and check the restore gives back the same
scores: every zone's stored readiness score, every readiness snapshot (score, components,
inputs digest, time), and a recompute on the restored copy that writes no new snapshot and
changes no score (its inputs came back intact). Prints the figures; exits 1 on a difference.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sez_load \\
        .venv/bin/python scripts/backup/verify.py

The restored copy (``<name>_restore_check``) is dropped afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

BASE_DIR = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SETTINGS = "config.settings.test"  # no secret key needed; runs the recompute in-process

ZONES = "SELECT slug, readiness_score, readiness_computed_at FROM zones_zone ORDER BY slug"
SNAPSHOTS = (
    "SELECT z.slug, s.score, s.utilities, s.land, s.milestones, s.occupancy, s.inputs_digest, "
    "s.profile_version, s.computed_at FROM zones_readinesssnapshot s "
    "JOIN zones_zone z ON z.id = s.zone_id ORDER BY z.slug, s.computed_at, s.inputs_digest"
)


def rows(url: str, sql: str) -> list[tuple]:
    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the restored copy")
    args = parser.parse_args()
    source = os.environ["DATABASE_URL"]
    target = f"{source}_restore_check"
    server = source.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(
        ["psql", server, "-qc", f'DROP DATABASE IF EXISTS "{target.rsplit("/", 1)[1]}"'],
        check=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "sez.dump"
        started = time.monotonic()
        subprocess.run([HERE / "backup.sh", archive], check=True, env={**os.environ})
        dumped = time.monotonic() - started
        started = time.monotonic()
        subprocess.run([HERE / "restore.sh", archive, target], check=True)
        restored = time.monotonic() - started
        size = archive.stat().st_size

    zones_before, zones_after = rows(source, ZONES), rows(target, ZONES)
    snaps_before, snaps_after = rows(source, SNAPSHOTS), rows(target, SNAPSHOTS)
    recompute = subprocess.run(
        [sys.executable, "manage.py", "recompute_readiness", "--sync"],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "DATABASE_URL": target,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
        },
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    zones_recomputed = rows(target, ZONES)
    snaps_recomputed = rows(target, SNAPSHOTS)

    print(
        f"archive: {size / 1024 / 1024:.1f} MiB; "
        f"pg_dump {dumped:.1f} s; pg_restore {restored:.1f} s"
    )
    print(f"zones: {len(zones_before)} before, {len(zones_after)} restored")
    print(f"snapshots: {len(snaps_before)} before, {len(snaps_after)} restored")
    print(f"recompute on the restored copy: {recompute.splitlines()[-1]}")
    checks = {
        "scores identical": zones_before == zones_after,
        "snapshots identical": snaps_before == snaps_after,
        "recompute wrote no snapshot": snaps_recomputed == snaps_after,
        "recompute changed no score": [z[:2] for z in zones_recomputed]
        == [z[:2] for z in zones_after],
    }
    for name, ok in checks.items():
        print(f"{'OK  ' if ok else 'FAIL'} {name}")
    if not args.keep:
        subprocess.run(
            ["psql", server, "-qc", f'DROP DATABASE "{target.rsplit("/", 1)[1]}"'], check=True
        )
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
