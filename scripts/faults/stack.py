"""The real stack on this machine, for the fault, load and backup scripts: a throwaway
PostgreSQL cluster and Redis of their own (other ports, temp dirs), gunicorn, a Celery worker
and beat. Nothing shared is started, stopped or restarted. Everything listens on 127.0.0.1.

Used as a context manager; every process it started is stopped on the way out.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil

BASE_DIR = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"


def wait_until(predicate: Callable[[], object], *, timeout: float, what: str, every=0.2):
    """Poll ``predicate`` until truthy (returned), or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise TimeoutError(f"{what}: not within {timeout:.0f} s")


class Stack:
    """Start with :meth:`start_postgres`, :meth:`start_redis`, then the Django processes."""

    def __init__(
        self, *, pg_port=55432, redis_port=56379, web_port=58000, database_url=None, broker_url=None
    ):
        self.workdir = Path(tempfile.mkdtemp(prefix="sez-stack-"))
        self.pg_port, self.redis_port, self.web_port = pg_port, redis_port, web_port
        self.pg_dir = self.workdir / "pg"  # owned by the postgres user when we are root
        self.pg_data = self.pg_dir / "data"
        self.own_postgres = database_url is None
        self.database_url = database_url or f"postgres://postgres@{HOST}:{pg_port}/sez"
        # A given broker (a Redis database of the machine's, e.g. one a helper was given) is
        # used as it is: no Redis of our own is started then.
        self.own_redis = broker_url is None
        self.broker_url = broker_url or f"redis://{HOST}:{redis_port}/0"
        self.processes: dict[str, subprocess.Popen] = {}
        self.extra_env: dict[str, str] = {}

    # --- environment ------------------------------------------------------------------------
    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "fault-and-load-scripts-only-" + "k3y" * 12,
            "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_RESULT_BACKEND": self.broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": "sez",
            "DJANGO_LOG_LEVEL": "WARNING",
            **self.extra_env,
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        return env

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.web_port}"

    def log(self, name: str) -> Path:
        return self.workdir / f"{name}.log"

    def _spawn(self, name: str, args: list[str], **kwargs) -> subprocess.Popen:
        handle = self.log(name).open("ab")
        process = subprocess.Popen(
            args, cwd=BASE_DIR, env=self.env, stdout=handle, stderr=subprocess.STDOUT, **kwargs
        )
        self.processes[name] = process
        return process

    def manage(self, *args: str, timeout: float = 1800) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    # --- PostgreSQL -------------------------------------------------------------------------
    def start_postgres(self) -> None:
        if not self.own_postgres:
            return
        if not self.pg_data.exists():
            self.pg_dir.mkdir()
            if os.geteuid() == 0:  # PostgreSQL refuses to run as root
                self.workdir.chmod(0o755)
                shutil.chown(self.pg_dir, "postgres", "postgres")
            subprocess.run(
                [*self._as_postgres(), PG_BIN / "initdb", "-D", self.pg_data, "-U", "postgres",
                 "--auth=trust", "-E", "UTF8", "--no-sync"],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip
        self.pg_ctl("start")
        wait_until(self.postgres_ready, timeout=30, what="PostgreSQL ready")
        subprocess.run(
            ["psql", "-h", HOST, "-p", str(self.pg_port), "-U", "postgres", "-qc",
             "CREATE DATABASE sez"],
            capture_output=True, timeout=30,
        )  # fmt: skip

    @staticmethod
    def _as_postgres() -> list[str]:
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.pg_port} -k {self.pg_dir} -c listen_addresses={HOST} -c fsync=off"
        subprocess.run(
            [*self._as_postgres(), PG_BIN / "pg_ctl", action, "-D", self.pg_data, "-w", "-t",
             "60", "-o", options, "-l", self.pg_dir / "postgres.log", *extra],
            check=True, capture_output=True, timeout=90,
        )  # fmt: skip

    def postgres_ready(self) -> bool:
        result = subprocess.run(
            ["pg_isready", "-h", HOST, "-p", str(self.pg_port), "-q"], timeout=10
        )
        return result.returncode == 0

    # --- Redis ------------------------------------------------------------------------------
    def start_redis(self) -> None:
        if not self.own_redis:
            return
        self._spawn(
            "redis",
            ["redis-server", "--bind", HOST, "--port", str(self.redis_port), "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
        )  # fmt: skip
        wait_until(self.redis_ready, timeout=20, what="Redis ready")

    def stop_redis(self) -> None:
        self.stop("redis")

    def redis_ready(self) -> bool:
        result = subprocess.run(
            ["redis-cli", "-h", HOST, "-p", str(self.redis_port), "ping"],
            capture_output=True, text=True, timeout=10,
        )  # fmt: skip
        return result.stdout.strip() == "PONG"

    # --- Django processes -------------------------------------------------------------------
    def prepare_django(self) -> None:
        """Migrate, and collect static files (production storage, into ``staticfiles/``)."""
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput", "-v0")

    def start_web(self, *, workers: int = 4, threads: int = 1) -> None:
        self._spawn(
            "gunicorn",
            [str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind", f"{HOST}:{self.web_port}",
             "--workers", str(workers), "--threads", str(threads), "--timeout", "60",
             "--graceful-timeout", "10", "--access-logfile", "-"],
        )  # fmt: skip
        wait_until(self._web_answers, timeout=60, what="gunicorn answering")

    def _web_answers(self) -> bool:
        import urllib.request

        try:
            with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=5) as response:  # noqa: S310
                return response.status in (200, 503)
        except urllib.error.HTTPError as exc:
            return exc.code == 503
        except OSError:
            return False

    def web_pids(self) -> list[int]:
        parent = psutil.Process(self.processes["gunicorn"].pid)
        return sorted([parent.pid, *(child.pid for child in parent.children())])

    def start_worker(self, *, concurrency: int = 2, name: str = "worker") -> None:
        self._spawn(
            name,
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel", "INFO",
             "--concurrency", str(concurrency), "--without-gossip", "--without-mingle",
             "-n", f"{name}@%h"],
        )  # fmt: skip

    def start_beat(self) -> None:
        self._spawn(
            "beat",
            [sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
             "--schedule", str(self.workdir / "celerybeat-schedule")],
        )  # fmt: skip

    def kill(self, name: str) -> None:
        """SIGKILL a process and its children at once, as a crash or the OOM killer would."""
        process = self.processes.pop(name, None)
        if process is None:
            return
        parent = psutil.Process(process.pid)
        for proc in [*parent.children(recursive=True), parent]:
            proc.kill()
        process.wait(timeout=10)

    def stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    # --- context manager --------------------------------------------------------------------
    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc) -> None:
        for name in [n for n in self.processes if n != "redis"]:
            self.stop(name)
        self.stop("redis")
        if self.own_postgres and self.pg_data.exists():
            with contextlib.suppress(subprocess.SubprocessError):
                self.pg_ctl("stop", "-m", "fast")
        if os.environ.get("KEEP_STACK_DIR") != "1":
            shutil.rmtree(self.workdir, ignore_errors=True)
        else:
            print(f"logs kept in {self.workdir}")
