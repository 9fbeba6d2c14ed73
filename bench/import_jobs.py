"""Spreadsheet imports in the workspace: how long checking and applying take, row by row.

Usage (from the project root; see docs/performance.md for the figures measured):

    DATABASE_URL=postgres://... .venv/bin/python bench/import_jobs.py [--rows 500 2000 10000]

It creates a scratch database next to DATABASE_URL's (``<name>_bench_imports``, dropped at
the end unless ``--keep``) with 50 zones, then for each size uploads a ``milestones.csv`` of
that many new rows through the workspace services and prints:

- reading the file (CSV parsing), checking it (the importer's dry run) and applying it
  (validation again, then the writes, in one transaction), in seconds and rows per second;
- the same apply with progress written on the second connection, as the worker does, to
  show what progress reporting costs;
- the queries per row of a check and of an apply.

Readiness recomputes queued by the imported rows run eagerly in-process, at commit: they are
part of the apply figure, as they are part of what an import costs the database.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

ZONES = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[500, 2000, 10000])
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    with common.scratch_database("bench_imports", keep=args.keep) as bench_url:
        os.environ.update(
            DATABASE_URL=bench_url,
            DJANGO_SETTINGS_MODULE="config.settings.local",
            DJANGO_DEBUG="false",
        )
        run(args)


def milestones_csv(rows: int, *, prefix: str) -> bytes:
    lines = ["zone,code,title,responsible,status,baseline_date,planned_date"]
    lines += [
        f"bench-{i % ZONES},{prefix}-{i:06d},Milestone {i},provincial,not_started,"
        f"2024-01-01,2025-06-30"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


class QueryCounter:
    """Counts the queries run on a connection (an execute wrapper; no query log limit)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def run(args) -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from config.celery import app
    from workspace.imports.reading import read_upload
    from workspace.imports.steps import import_job_check, import_job_run
    from workspace.models import ImportJob, ImportJobStatus
    from zones.models import Zone

    app.conf.task_always_eager = True
    call_command("migrate", verbosity=0)
    Zone.objects.bulk_create(
        Zone(slug=f"bench-{i}", name=f"Bench zone {i}", province_id="PK-PB", status="proposed")
        for i in range(ZONES)
    )
    owner = User.objects.create_superuser("bench", "bench@example.org", "x")

    def timed(step, job, **kwargs) -> tuple[float, int]:
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            started = time.perf_counter()
            status = step(job_id=job.pk, **kwargs)
            seconds = time.perf_counter() - started
        assert status in ("previewed", "applied"), (status, job.errors)
        return seconds, counter.count

    print(f"Scratch database: {connection.settings_dict['NAME']}; {ZONES} zones")
    print(
        f"{'rows':>7} {'read s':>7} {'check s':>8} {'rows/s':>7} {'apply s':>8} {'rows/s':>7}"
        f" {'apply+progress s':>17} {'q/row check':>12} {'q/row apply':>12}"
    )
    for size in args.rows:
        figures = {}
        for prefix, track in (("a", False), ("b", True)):
            data = milestones_csv(size, prefix=f"{prefix}{size}")
            started = time.perf_counter()
            rows = sum(
                len(sheet.rows) for sheet in read_upload(filename="milestones.csv", data=data)
            )
            figures["read"] = time.perf_counter() - started
            job = ImportJob.objects.create(
                owner=owner, filename="milestones.csv", data=data, size=len(data), rows_total=rows
            )
            figures["check"], check_queries = timed(import_job_check, job, track_progress=False)
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.QUEUED)
            seconds, apply_queries = timed(import_job_run, job, track_progress=track)
            figures["apply+progress" if track else "apply"] = seconds
            if not track:
                figures["check_queries"] = check_queries / size
                figures["apply_queries"] = apply_queries / size
        print(
            f"{size:>7} {figures['read']:>7.2f} {figures['check']:>8.2f}"
            f" {size / figures['check']:>7.0f} {figures['apply']:>8.2f}"
            f" {size / figures['apply']:>7.0f} {figures['apply+progress']:>17.2f}"
            f" {figures['check_queries']:>12.1f} {figures['apply_queries']:>12.1f}"
        )


if __name__ == "__main__":
    main()
