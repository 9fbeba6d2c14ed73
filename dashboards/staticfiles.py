"""Serve plotly.js from the installed plotly package, so the bundle is never committed and
its version always matches the Python library that builds the figures."""

from __future__ import annotations

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"
PLOTLY_BUNDLE = "plotly.min.js"
PREFIX = "plotly"


class PlotlyFinder(BaseFinder):
    """Finds ``plotly/plotly.min.js`` (and only that file) in plotly's ``package_data``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=PLOTLY_DIR)
        self.storage.prefix = PREFIX

    def check(self, **kwargs):
        from django.core.checks import Error

        if not (PLOTLY_DIR / PLOTLY_BUNDLE).is_file():
            return [
                Error(f"plotly.js not found at {PLOTLY_DIR / PLOTLY_BUNDLE}", id="dashboards.E001")
            ]
        return []

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        if path == f"{PREFIX}/{PLOTLY_BUNDLE}":
            match = str(PLOTLY_DIR / PLOTLY_BUNDLE)
            return [match] if find_all else match
        return [] if find_all else None

    def list(self, ignore_patterns):
        yield PLOTLY_BUNDLE, self.storage
