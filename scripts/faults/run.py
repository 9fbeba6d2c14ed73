"""Fault scenarios against the real stack (gunicorn, Celery worker and beat, PostgreSQL,
Redis), each printing its figures. Everything runs on a throwaway PostgreSQL cluster and a
Redis of its own (scripts/faults/stack.py); nothing shared is touched. Each scenario is
bounded in time and stops by itself.

    .venv/bin/python scripts/faults/run.py [worker-kill] [redis-down] [postgres-restart]

With no argument, all three run. Figures are recorded in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts.faults.stack import Stack, wait_until

PASSWORD = "fault-script-Passw0rd!"  # noqa: S105 - a throwaway database's user

# Run inside the stack's Django (manage.py shell): facts about the data, as one JSON line.
VERIFY = """
import json
from django.db import connection
from readiness.inputs import readiness_inputs, scoring_weights_active
from readiness.rules import compute_readiness
from zones.models import Zone, ReadinessSnapshot
weights = scoring_weights_active()
inputs = readiness_inputs(zone_ids=None)
wrong = [
    z.pk for z in Zone.objects.only("pk", "readiness_score")
    if z.readiness_score != compute_readiness(inputs[z.pk], weights).score
]
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT count(*) FROM (SELECT zone_id, inputs_digest FROM zones_readinesssnapshot "
        "GROUP BY zone_id, inputs_digest HAVING count(*) > 1) AS d"
    )
    duplicated = cursor.fetchone()[0]
print(json.dumps({
    "zones": Zone.objects.count(),
    "scored": Zone.objects.exclude(readiness_score=None).count(),
    "stale": Zone.objects.filter(readiness_stale=True).count(),
    "wrong_scores": len(wrong),
    "snapshots": ReadinessSnapshot.objects.count(),
    "duplicated_snapshots": duplicated,
}))
"""

USERS = """
from django.contrib.auth.models import User
for name in ("fault-admin",):
    user, _ = User.objects.get_or_create(username=name, defaults={"is_staff": True,
        "is_superuser": True, "email": name + "@example.org"})
    user.set_password(PASSWORD)
    user.save()
""".replace("PASSWORD", repr(PASSWORD))


def shell(stack: Stack, code: str) -> dict:
    out = stack.manage("shell", "-c", code, timeout=600)
    return json.loads(out.strip().splitlines()[-1])


def stamp(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class PlainHTTPSession(requests.Session):
    """Production cookies are ``Secure``; here there is no TLS proxy in front of gunicorn, so
    the client sends them over plain HTTP to 127.0.0.1 anyway."""

    def request(self, *args, **kwargs):
        response = super().request(*args, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


def sign_in(stack: Stack, username: str) -> requests.Session:
    session = PlainHTTPSession()
    login = f"{stack.base_url}/accounts/login/"
    session.get(login, timeout=30)
    response = session.post(
        login,
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": login},
        timeout=30,
        allow_redirects=False,
    )
    assert response.status_code == 302, f"sign-in failed: {response.status_code}"
    return session


def healthz(stack: Stack) -> tuple[int, dict]:
    response = requests.get(f"{stack.base_url}/healthz", timeout=15)
    return response.status_code, response.json()


# --- 1. Killing the Celery worker in the middle of recomputes and imports ---------------------

RESET_SCORES = """
from zones.models import ReadinessSnapshot, Zone
ReadinessSnapshot.objects.all().delete()
Zone.objects.update(readiness_score=None, readiness_computed_at=None, readiness_stale=True)
print("{}")
"""

IMPORT_JOB = """
import json
from django.contrib.auth.models import User
from workspace.imports import services
from zones.models import Zone
owner = User.objects.get(username="fault-admin")
slugs = list(Zone.objects.order_by("pk").values_list("slug", flat=True)[:%(zones)d])
lines = ["zone,code,title,responsible,status,planned_date"]
for slug in slugs:
    for n in range(%(per_zone)d):
        lines.append(f"{slug},fault-{n},Fault milestone {n},developer,done,2024-01-0{1 + n %% 9}")
job = services.import_job_create(owner=owner, filename="milestones.csv",
    data=("\\n".join(lines) + "\\n").encode(), language="en")
print(json.dumps({"job": job.pk, "rows": len(lines) - 1}))
"""
JOB_STATE = """
import json
from workspace.models import ImportJob
from zones.models import Milestone
job = ImportJob.objects.without_data().get(pk=%(job)d)
print(json.dumps({"status": job.status, "done": job.progress_done, "total": job.progress_total,
    "fault_milestones": Milestone.objects.filter(code__startswith="fault-").count()}))
"""
APPLY = """
import json
from django.contrib.auth.models import User
from workspace.imports import services
from workspace.models import ImportJob
job = ImportJob.objects.without_data().get(pk=%(job)d)
job = services.import_job_apply(job=job, user=User.objects.get(username="fault-admin"))
print(json.dumps({"status": job.status}))
"""


def worker_kill(zones: int = 3000) -> dict:
    figures: dict = {"zones": zones}
    with Stack() as stack:
        stack.extra_env.update(
            CELERY_VISIBILITY_TIMEOUT="15",  # redeliver an unacknowledged task after 15 s
            IMPORT_SYNC_MAX_ROWS="100",
            READINESS_SWEEP_SECONDS="3600",  # only the killed tasks' redelivery may catch up
        )
        stack.start_postgres()
        stack.start_redis()
        stack.prepare_django()
        stack.manage("generate_synthetic", "--zones", str(zones), "--seed", "8")
        shell(stack, USERS + "\nprint('{}')")
        worker = "worker"
        stack.start_worker(concurrency=1, name=worker)

        # A full recompute, killed while it runs (again, sooner, if it finished first).
        for attempt, delay in enumerate((0.3, 0.1, 0.02), start=1):
            shell(stack, RESET_SCORES)
            stamp(f"queueing a full readiness recompute (attempt {attempt})")
            stack.manage("recompute_readiness")
            wait_until(
                lambda name=worker: "zones.recompute_readiness" in stack.log(name).read_text(),
                timeout=60,
                what="worker picked up the recompute",
                every=0.02,
            )
            time.sleep(delay)
            stack.kill(worker)
            killed_at = time.monotonic()
            before = shell(stack, VERIFY)
            stamp(f"worker killed {delay} s into the recompute: {before}")
            if before["scored"] < zones:
                break
            worker = f"worker-retry{attempt}"
            stack.start_worker(concurrency=1, name=worker)
        figures["recompute_after_kill"] = before

        # An import job applied by a task, killed while it writes.
        job = shell(stack, IMPORT_JOB % {"zones": 600, "per_zone": 5})
        figures["import_rows"] = job["rows"]
        stack.start_worker(concurrency=1, name="worker2")
        wait_until(
            lambda: shell(stack, JOB_STATE % job)["status"] == "previewed",
            timeout=240,
            what="import checked",
            every=1,
        )
        shell(stack, APPLY % job)
        wait_until(
            lambda: shell(stack, JOB_STATE % job)["status"] == "running",
            timeout=120,
            what="import running",
            every=0.2,
        )
        time.sleep(1.0)
        stack.kill("worker2")
        job_killed_at = time.monotonic()
        state = shell(stack, JOB_STATE % job)
        stamp(f"worker killed mid-import: {state}")
        figures["import_after_kill"] = state

        stack.start_worker(concurrency=1, name="worker3")
        done = wait_until(
            lambda: (s := shell(stack, VERIFY))["scored"] == zones and s["stale"] == 0 and s,
            timeout=300,
            what="recompute redelivered and finished",
            every=2,
        )
        figures["recompute_recovered_s"] = round(time.monotonic() - killed_at, 1)
        final_job = wait_until(
            lambda: (s := shell(stack, JOB_STATE % job))["status"] == "applied" and s,
            timeout=300,
            what="import redelivered and applied",
            every=2,
        )
        figures["import_recovered_s"] = round(time.monotonic() - job_killed_at, 1)
        figures["after_restart"] = shell(stack, VERIFY)
        figures["import_after_restart"] = final_job
        stamp(f"after restart: {figures['after_restart']} {final_job}")
        assert done["wrong_scores"] == 0 and figures["after_restart"]["duplicated_snapshots"] == 0
        assert final_job["fault_milestones"] == job["rows"]
    return figures


# --- 2. Redis down while editors save updates -------------------------------------------------

MILESTONES = """
import json
from zones.models import Milestone
rows = list(Milestone.objects.exclude(status__in=["done", "cancelled"]).order_by("zone_id")
    .distinct("zone_id").values_list("pk", "zone_id")[:%(n)d])
print(json.dumps(rows))
"""
STALE = """
import json
from zones.models import Zone
ids = %(ids)s
print(json.dumps({"stale": Zone.objects.filter(pk__in=ids, readiness_stale=True).count()}))
"""


def save_update(session: requests.Session, stack: Stack, milestone_id: int) -> tuple[int, float]:
    url = f"{stack.base_url}/workspace/edit/milestone/{milestone_id}/"
    form = session.get(url, timeout=30).text
    base = form.split('name="base" value="', 1)[1].split('"', 1)[0]
    started = time.monotonic()
    response = session.post(
        url,
        data={
            "status": "done",
            "actual_date": "2025-01-15",
            "planned_date": "2025-01-15",
            "comment": "Completed (fault script).",
            "base": base,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": url},
        timeout=60,
        allow_redirects=False,
    )
    return response.status_code, time.monotonic() - started


def redis_down(stack: Stack, updates: int = 20) -> dict:
    figures: dict = {"updates": updates}
    session = sign_in(stack, "fault-admin")
    rows = shell(stack, MILESTONES % {"n": updates})
    zone_ids = [zone for _pk, zone in rows]
    stamp("stopping Redis")
    stack.stop_redis()
    figures["healthz_while_down"] = healthz(stack)
    results = [save_update(session, stack, pk) for pk, _zone in rows]
    figures["save_statuses"] = dict(Counter(status for status, _ in results))
    figures["save_seconds_max"] = round(max(seconds for _, seconds in results), 2)
    figures["stale_while_down"] = shell(stack, STALE % {"ids": zone_ids})["stale"]
    stamp(f"saves with Redis down: {figures['save_statuses']}, stale {figures['stale_while_down']}")
    stack.start_redis()
    back = time.monotonic()
    wait_until(
        lambda: shell(stack, STALE % {"ids": zone_ids})["stale"] == 0,
        timeout=180,
        what="stale zones rescored after Redis returned",
        every=1,
    )
    figures["caught_up_s"] = round(time.monotonic() - back, 1)
    figures["healthz_after"] = healthz(stack)[0]
    figures["scores_after"] = shell(stack, VERIFY)
    stamp(f"caught up {figures['caught_up_s']} s after Redis returned: {figures['scores_after']}")
    assert figures["save_statuses"] == {302: updates}
    assert figures["scores_after"]["wrong_scores"] == 0
    return figures


# --- 3. PostgreSQL restarted under traffic ----------------------------------------------------

PATHS = ["/", "/zones/", "/zones/?sector=textiles", "/api/zones/", "/delivery/", "/healthz"]


def postgres_restart(stack: Stack, seconds: float = 20, threads: int = 6) -> dict:
    pids_before = stack.web_pids()
    outcomes: list[tuple[float, str, int, str]] = []
    stop = threading.Event()
    lock = threading.Lock()
    started = time.monotonic()

    def browse(offset: int) -> None:
        session = requests.Session()
        n = offset
        while not stop.is_set() and time.monotonic() - started < seconds + 30:
            path = PATHS[n % len(PATHS)]
            n += 1
            try:
                response = session.get(stack.base_url + path, timeout=30)
                body = response.text
                kind = (
                    "traceback"
                    if "Traceback" in body
                    else "friendly"
                    if "temporarily unavailable" in body or '"unavailable"' in body
                    else "page"
                )
                status = response.status_code
            except requests.RequestException as exc:
                status, kind = 0, type(exc).__name__
            with lock:
                outcomes.append((time.monotonic() - started, path, status, kind))

    workers = [threading.Thread(target=browse, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    time.sleep(seconds / 4)
    stamp("restarting PostgreSQL (pg_ctl restart -m fast)")
    restart_at = time.monotonic() - started
    stack.pg_ctl("restart", "-m", "fast")
    restarted_at = time.monotonic() - started
    time.sleep(seconds * 3 / 4)
    stop.set()
    for worker in workers:
        worker.join(timeout=60)

    failures = [o for o in outcomes if o[2] != 200]
    last_failure = max((o[0] for o in failures), default=restart_at)
    figures = {
        "requests": len(outcomes),
        "statuses": dict(Counter(o[2] for o in outcomes)),
        "failure_kinds": dict(Counter(o[3] for o in failures)),
        "restart_took_s": round(restarted_at - restart_at, 2),
        "failing_window_s": round(last_failure - restart_at, 2) if failures else 0.0,
        "ok_after_restart": sum(1 for o in outcomes if o[0] > last_failure and o[2] == 200),
        "web_processes_unchanged": stack.web_pids() == pids_before,
    }
    stamp(f"PostgreSQL restart under traffic: {figures}")
    assert "traceback" not in figures["failure_kinds"]
    assert set(figures["statuses"]) <= {200, 503}
    assert figures["web_processes_unchanged"]
    return figures


def web_stack(zones: int = 300) -> Stack:
    stack = Stack()
    stack.extra_env.update(READINESS_SWEEP_SECONDS="5")
    stack.start_postgres()
    stack.start_redis()
    stack.prepare_django()
    stack.manage("generate_synthetic", "--zones", str(zones), "--seed", "9")
    stack.manage("recompute_readiness", "--sync")
    shell(stack, USERS + "\nprint('{}')")
    stack.start_web(workers=3)
    stack.start_worker(concurrency=2)
    stack.start_beat()
    return stack


SCENARIOS = ("worker-kill", "redis-down", "postgres-restart")


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the stack on the way out
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "scenarios",
        nargs="*",
        choices=[*SCENARIOS, []],
        help="scenarios to run (default: all)",
    )
    args = parser.parse_args()
    args.scenarios = args.scenarios or list(SCENARIOS)
    results = {}
    if "worker-kill" in args.scenarios:
        results["worker-kill"] = worker_kill()
    if {"redis-down", "postgres-restart"} & set(args.scenarios):
        with web_stack() as stack:
            if "redis-down" in args.scenarios:
                results["redis-down"] = redis_down(stack)
            if "postgres-restart" in args.scenarios:
                results["postgres-restart"] = postgres_restart(stack)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
