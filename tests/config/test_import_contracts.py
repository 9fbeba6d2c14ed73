"""Our two import-linter contract types catch what they promise to (config/import_contracts.py),
and the project's own contracts hold (the same run `make test` makes)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

CONFIG = """
[tool.importlinter]
root_packages = ["toyapp"]
include_external_packages = true
contract_types = [
    "forbidden_submodules: config.import_contracts.ForbiddenSubmodulesContract",
    "no_private_imports: config.import_contracts.NoPrivateImportsContract",
]

[[tool.importlinter.contracts]]
name = "pure"
type = "forbidden_submodules"
source_modules = ["toyapp.rules"]
forbidden = ["django.db"]
allowed = ["django.db.models.enums"]

[[tool.importlinter.contracts]]
name = "private"
type = "no_private_imports"
modules = ["toyapp"]
"""


def _lint(tmp_path: Path, files: dict[str, str]) -> subprocess.CompletedProcess:
    package = tmp_path / "toyapp"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name, source in files.items():
        (package / name).write_text(textwrap.dedent(source))
    config = tmp_path / "contracts.toml"
    config.write_text(CONFIG)
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{BASE_DIR}"}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_pure_module_reaching_django_db_through_a_helper_is_caught(tmp_path):
    result = _lint(
        tmp_path,
        {
            "rules.py": "from toyapp import helpers\n"
            "from django.db.models.enums import TextChoices\n",
            "helpers.py": "from django.db.models import Q\n",
        },
    )

    assert result.returncode != 0
    assert "toyapp.rules (through toyapp.helpers) imports django.db.models" in result.stdout


def test_enums_alone_keep_a_module_pure(tmp_path):
    result = _lint(tmp_path, {"rules.py": "from django.db.models.enums import TextChoices\n"})

    assert result.returncode == 0, result.stdout


def test_a_private_name_imported_from_another_module_is_caught(tmp_path):
    result = _lint(
        tmp_path,
        {
            "rules.py": "x = 1\n",
            "charts.py": "def _figure():\n    pass\n",
            "views.py": "from .charts import (\n    public,\n    _figure,\n)\n",
        },
    )

    assert result.returncode != 0
    assert "toyapp.views:1 imports private _figure from toyapp.charts" in result.stdout


def test_the_projects_contracts_hold():
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stdout
