"""The committed plotly.js bundle (``static/plotly/plotly.min.js``, built by
``scripts/plotly-bundle/build.sh``) is the file its manifest describes, holds every trace type
our figure builders make, and is the plotly.js the installed ``plotly`` package writes figures
for. The pages load nothing else: a trace type missing from it would leave a chart empty.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import plotly
import plotly.graph_objects as go
import pytest
from plotly.basedatatypes import BaseTraceType

BASE_DIR = Path(__file__).resolve().parents[2]
BUNDLE = BASE_DIR / "static" / "plotly" / "plotly.min.js"
MANIFEST = BASE_DIR / "static" / "plotly" / "manifest.json"
#: Folders at the top of the repository that hold no application code.
NOT_APPS = {"tests", "bench", "scripts", "locale", "static", "templates", "node_modules"}
#: ``{"type": "bar", …}``, the way a builder writes a trace (``dashboards.figures.figure``'s
#: ``data``), and ``go.Bar(`` and ``figure.add_bar(``, plotly's own. A layout's ``"type"``
#: (an axis's "category", a shape's "line") names no trace type and is passed over.
TRACE_CALL = re.compile(
    r"\bgo\.([A-Z][A-Za-z]*)\(|\.add_([a-z]+)\(|[\"']type[\"']:\s*[\"']([a-z0-9]+)[\"']"
)


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def application_modules() -> list[Path]:
    """Every Python module of the project's own packages (no tests, benches or migrations)."""
    packages = [
        folder
        for folder in BASE_DIR.iterdir()
        if (folder / "__init__.py").is_file() and folder.name not in NOT_APPS
    ]
    return [
        path
        for package in packages
        for path in package.rglob("*.py")
        if "migrations" not in path.parts
    ]


def trace_types_built() -> dict[str, set[str]]:
    """``{trace type: modules}`` for every trace a figure builder can make, from its source."""
    trace_classes = {
        name: cls
        for name in dir(go)
        if isinstance(cls := getattr(go, name), type) and issubclass(cls, BaseTraceType)
    }
    trace_names = {cls().type for cls in trace_classes.values()}
    found: dict[str, set[str]] = {}
    for path in application_modules():
        source = path.read_text(encoding="utf-8")
        for class_name, method, written in TRACE_CALL.findall(source):
            if class_name in trace_classes:
                trace = trace_classes[class_name]().type
            elif (method or written) in trace_names:
                trace = method or written
            else:
                continue
            found.setdefault(trace, set()).add(str(path.relative_to(BASE_DIR)))
    return found


def test_the_committed_bundle_is_the_one_its_manifest_describes(manifest):
    data = BUNDLE.read_bytes()

    assert manifest["file"] == "static/plotly/plotly.min.js"
    assert len(data) == manifest["bytes"], "rebuild: scripts/plotly-bundle/build.sh"
    assert hashlib.sha256(data).hexdigest() == manifest["sha256"], (
        "static/plotly/plotly.min.js does not match static/plotly/manifest.json: rebuild it with "
        "scripts/plotly-bundle/build.sh rather than editing it"
    )
    assert data.startswith(f"/**\n* plotly.js v{manifest['plotly.js']}, partial bundle".encode())


def test_every_trace_type_the_chart_builders_make_is_in_the_bundle(manifest):
    built = trace_types_built()

    # The scan sees the builders: the national dashboard alone draws bars, a map and a funnel.
    assert {"bar", "choropleth", "scattergeo", "funnel"} <= set(built), built
    missing = {trace: sorted(modules) for trace, modules in built.items()}
    for trace in manifest["traces"]:
        missing.pop(trace, None)
    assert not missing, (
        f"trace types drawn but not in the plotly.js bundle: {missing}; add them to TRACES in "
        "scripts/plotly-bundle/build.mjs and rebuild"
    )


def test_the_bundle_is_the_plotly_js_the_installed_plotly_writes_figures_for(manifest):
    bundled = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(
        encoding="utf-8", errors="replace"
    )[:300]
    version = re.search(r"plotly\.js v([\w.+-]+)", bundled)

    assert version, "the installed plotly package names no plotly.js version"
    assert manifest["plotly.js"] == version.group(1), (
        f"plotly {plotly.__version__} writes figures for plotly.js {version.group(1)}; the bundle "
        f"is {manifest['plotly.js']}: set it in scripts/plotly-bundle/package.json and rebuild"
    )
