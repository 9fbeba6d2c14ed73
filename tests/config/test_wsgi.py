"""The web workers' application: what a worker has loaded is kept out of the cyclic garbage
collector's sight (``config.wsgi``), so that no request pays for walking it."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# In a process of its own: importing config.wsgi freezes, for ever, the process that does,
# and this one runs the whole suite.
WORKER = """
import gc, json, os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
import config.wsgi as wsgi
seen = {"loaded": gc.get_freeze_count(),
        "served": isinstance(wsgi.application, wsgi.FrozenAfterWarmUp)}
app = wsgi.FrozenAfterWarmUp(lambda environ, start_response: [b"ok"])
for _ in range(wsgi.WARM_UP_REQUESTS):
    app({}, None)
seen["before"] = gc.get_freeze_count()
lazily_loaded = [[n] for n in range(5000)]  # what the first requests import and keep
app({}, None)
seen["after"] = gc.get_freeze_count()
allocated_later = [[n] for n in range(5000)]
for _ in range(wsgi.WARM_UP_REQUESTS):
    app({}, None)
seen["later"] = gc.get_freeze_count()
print(json.dumps(seen))
"""


def worker() -> dict:
    out = subprocess.run(
        [sys.executable, "-c", WORKER], cwd=ROOT, env=os.environ, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_worker_freezes_what_it_loaded_at_start_and_after_its_warm_up():
    seen = worker()

    assert seen["served"], "gunicorn serves the freezing wrapper"
    assert seen["loaded"] > 50_000, "Django and every view frozen once loaded"
    assert seen["before"] == seen["loaded"], "nothing more frozen during the warm-up"
    assert seen["after"] >= seen["before"] + 5000, "what the warm-up loaded frozen after it"
    assert seen["later"] == seen["after"], "and only once: later requests' objects collected"
