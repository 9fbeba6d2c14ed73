import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def _check(env_overrides: dict[str, str | None], *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for key, value in env_overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _check({"DJANGO_SECRET_KEY": None, "DJANGO_ALLOWED_HOSTS": "sez.example.org"})

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = _check(
        {
            "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x7Qp2" * 10,
            "DJANGO_ALLOWED_HOSTS": "sez.example.org",
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )

    assert result.returncode == 0, result.stdout + result.stderr
