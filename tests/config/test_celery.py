import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from config.celery import health_check

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.worker
def test_health_task_round_trips_through_a_real_worker(celery_worker_process):
    token = uuid.uuid4().hex

    result = health_check.delay(token)

    try:
        assert result.get(timeout=60) == f"ok:{token}"
    except Exception:
        print(celery_worker_process.log())
        raise


def _settings_module_of_a_bare_process(code: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_a_worker_started_without_settings_runs_the_production_settings_as_wsgi_does():
    celery = _settings_module_of_a_bare_process(
        "import os, config.celery; print(os.environ['DJANGO_SETTINGS_MODULE'])"
    )

    assert celery == "config.settings.production"
    assert (
        'setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")'
        in (BASE_DIR / "config" / "wsgi.py").read_text()
    )


def test_a_bare_production_worker_refuses_to_start_without_a_secret_key():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY"}
    }
    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "config", "inspect", "ping", "--timeout", "1"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stdout + result.stderr
