"""Shared fixtures: an isolated test database per run, and a real Celery worker process;
and the hypothesis profiles."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import settings as hypothesis_settings

BASE_DIR = Path(__file__).resolve().parent.parent

# Hypothesis profiles. "ci" (the default: `make test`, .ci/run) draws the same examples on
# every run: derandomized (seeded from each test function), with no example database to
# replay earlier failures from, so a run's result depends on the code alone. "fuzz"
# (`make fuzz`) explores at random, longer, and keeps the example database (.hypothesis/)
# so that a failure it finds is replayed first next time; pin such a failure in the test as
# an @example. Tests that set their own budget or deadline keep them (their FUZZ_* budgets
# are raised by `make fuzz`); the deadline is hypothesis's default, as before the profiles.
# Choose with HYPOTHESIS_PROFILE=fuzz or pytest's --hypothesis-profile=fuzz.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, max_examples=100)
hypothesis_settings.register_profile("fuzz", derandomize=False, max_examples=1000)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config):
    """Compile the translation catalogues before any page is rendered in Urdu or Chinese."""
    from config.catalogues import compile_catalogues
    from dashboards import figures

    # Pages skip Plotly's checks of a figure's layout; the tests keep them, so a misspelt
    # property fails here (dashboards.figures.VALIDATE_LAYOUT).
    figures.VALIDATE_LAYOUT = True

    compile_catalogues()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """``TEST_DB_SUFFIX`` lets two test runs share one PostgreSQL server without colliding."""
    from django.conf import settings

    suffix = os.environ.get("TEST_DB_SUFFIX")
    if suffix:
        default = settings.DATABASES["default"]
        default.setdefault("TEST", {})["NAME"] = f"test_{default['NAME']}_{suffix}"


def _database_url(db: dict) -> str:
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db.get("HOST") or "", safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{db['NAME']}"


class WorkerProcess:
    """A real ``celery worker`` in its own process, on the test database and its own queue."""

    def __init__(self, queue: str, env: dict[str, str]):
        self.queue = queue
        self.env = env
        self.process: subprocess.Popen | None = None
        self.log_path = BASE_DIR / ".data" / f"worker-{queue}.log"

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--queues",
                self.queue,
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{self.queue}@%h",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        """SIGKILL the whole worker (parent and pool child), as a crash or OOM would."""
        import psutil

        if self.process is None:
            return
        parent = psutil.Process(self.process.pid)
        for proc in [*parent.children(recursive=True), parent]:
            proc.kill()
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """Start a real worker process; tasks sent during the test go to it through the broker."""
    from config.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(settings.DATABASES["default"]),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    worker = WorkerProcess(queue, env)
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    worker.start()
    try:
        yield worker
    finally:
        worker.stop()
        app.conf.task_always_eager, app.conf.task_default_queue = previous


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.1):
    """Poll until ``predicate()`` is truthy; return its value or fail with a clear message."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request leaves its language active in the thread (LocaleMiddleware activates it and
    nothing deactivates it), so a test after a /zh-hans/ request would build Chinese text and
    reverse URLs to /zh-hans/…: every test ends back in the default language."""
    yield
    from django.utils import translation

    translation.deactivate()
