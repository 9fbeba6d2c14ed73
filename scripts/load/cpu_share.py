"""Where the machine's CPU went during a load run: each process's CPU seconds, summed by what
it is (the gunicorn workers, PostgreSQL, the Celery worker, Redis, the load generator), and
the whole machine's idle time. The load generator shares the cores with the server
here, so a run's requests a second mean little without this.

Processes that end between the two snapshots are not counted; none of the stack's do.
"""

from __future__ import annotations

import time

import psutil

PARTS = ("gunicorn", "postgres", "celery worker", "celery beat", "redis", "locust")


def part_of(process: psutil.Process) -> str:
    try:
        name = process.name()
        line = " ".join(process.cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return "other"
    if name.startswith("postgres") or "postgres:" in line:
        return "postgres"
    if "redis-server" in name or "redis-server" in line:
        return "redis"
    for part in ("gunicorn", "locust"):
        if part in line:
            return part
    if "celery" in line:
        return "celery beat" if " beat" in line else "celery worker"
    return "other"


def snapshot() -> dict:
    """CPU seconds so far by process id (with its part), and the machine's counters."""
    processes = {}
    for process in psutil.process_iter():
        try:
            times = process.cpu_times()
            processes[process.pid] = (part_of(process), times.user + times.system)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    machine = psutil.cpu_times()
    idle = machine.idle + getattr(machine, "iowait", 0.0)
    return {"at": time.monotonic(), "processes": processes, "idle": idle}


def between(first: dict, second: dict) -> dict[str, float]:
    """CPU seconds each part used from ``first`` to ``second``; ``idle`` and ``wall`` too."""
    used = dict.fromkeys((*PARTS, "other"), 0.0)
    for pid, (part, seconds) in second["processes"].items():
        before = first["processes"].get(pid)
        started = 0.0 if before is None or before[0] != part else before[1]
        used[part] += max(0.0, seconds - started)
    used["idle"] = second["idle"] - first["idle"]
    used["wall"] = second["at"] - first["at"]
    used["cores"] = psutil.cpu_count()
    return used


def report(used: dict[str, float], requests: int) -> str:
    """A table: each part's CPU seconds, its share of the machine and its milliseconds per
    request served."""
    capacity = used["wall"] * used["cores"]
    lines = [f"\nCPU over the measured {used['wall']:.0f} s on {used['cores']} cores "
             f"({capacity:.0f} core-seconds), {requests} requests:",
             f"{'part':16} {'CPU s':>7} {'share':>6} {'ms/request':>10}"]  # fmt: skip
    for part in (*PARTS, "other"):
        seconds = used[part]
        per_request = 1000 * seconds / requests if requests else 0.0
        lines.append(f"{part:16} {seconds:7.1f} {seconds / capacity:6.0%} {per_request:10.1f}")
    lines.append(f"{'idle':16} {used['idle']:7.1f} {used['idle'] / capacity:6.0%}")
    return "\n".join(lines)
