"""The layout stays navigable: no application module grows past 600 lines
(docs/architecture.md: split by meaning when one does)."""

from __future__ import annotations

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
APPS = (
    "accounts",
    "config",
    "dashboards",
    "delivery",
    "follow",
    "investors",
    "policy",
    "readiness",
    "workspace",
    "zones",
)
MAX_LINES = 600


def test_no_application_module_is_over_600_lines():
    too_long = {
        str(path.relative_to(BASE_DIR)): lines
        for app in APPS
        for path in (BASE_DIR / app).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }

    assert too_long == {}
