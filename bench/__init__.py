"""Benchmarks: scripts run from the project root (``make bench``); see docs/performance.md."""
