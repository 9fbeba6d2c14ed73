"""Where the machine's CPU went during a load run: each process's CPU seconds, summed by what
it is (the gunicorn workers, PostgreSQL, the Celery worker, Redis, the load generator), and
the whole machine's idle time. The load generator shares the cores with the server
here, so a run's requests a second mean little without this.

Processes that end between the two snapshots are not counted; none of the stack's do.
"""

from __future__ import annotations

import statistics
import threading
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


def probe_ms(iterations: int = 200_000) -> float:
    """The CPU milliseconds this thread takes for a fixed piece of pure Python: the same work
    whatever the code under test, so it shows how fast the machine itself is at the time."""
    started = time.thread_time()
    total = 0
    for n in range(iterations):
        total += n * n
    return (time.thread_time() - started) * 1000


class SpeedProbe:
    """``probe_ms`` once a second on a thread of its own (about 1 % of a core), between
    ``start()`` and ``stop()``. On a virtual machine, CPU time the host takes back is often
    not reported as stolen but counted to whatever ran: the same request then "costs" more.
    The probe's median over a run, against its median on the quiet machine before the run,
    says how much of a run's CPU per request is the machine's speed and not the code."""

    def __init__(self, every: float = 1.0):
        self.every = every
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.samples.append(probe_ms())

    def start(self) -> SpeedProbe:
        self._thread.start()
        return self

    def stop(self) -> list[float]:
        """Stops the probe (if it runs) and returns its samples."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        return self.samples


def quiet_probe_ms(repeat: int = 15) -> float:
    """The probe's median on the machine as it is now (before the load starts)."""
    return statistics.median(probe_ms() for _ in range(repeat))


def speed_report(quiet_ms: float, samples: list[float]) -> str:
    """One line: the probe's median during the counted seconds against the quiet machine."""
    if not samples:
        return ""
    during = statistics.median(samples)
    return (
        f"machine speed probe (a fixed loop, CPU ms): {quiet_ms:.1f} before the load, "
        f"median {during:.1f} during it (x{during / quiet_ms:.2f}; "
        f"{min(samples):.1f}-{max(samples):.1f}, {len(samples)} samples)"
    )
