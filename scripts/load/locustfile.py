"""Locust users for scripts/load/run.py: visitors browsing the dashboards, the finder and the
API, and editors submitting updates at the same time. Targets 127.0.0.1 only.

``LOAD_WARMUP`` (seconds, default 0) resets the statistics once that long has passed since
the start, so that the figures describe a server that has been up (its workers started,
their imports done, the dashboards rendered once), not its first seconds. The warm-up's
requests and failures are written to ``LOAD_DATA``.warmup.json for the runner to print.

``LOAD_DATA`` names a JSON file written by the runner: zone slugs, and for each editor an
account and the milestones only that editor edits (so two editors never race on one record).
Each editor appends every update the server accepted to ``LOAD_DATA``.accepted.jsonl, which
the runner compares with the database afterwards.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path
from urllib.parse import urlparse

import gevent
from locust import HttpUser, between, events, task

DATA = json.loads(Path(os.environ["LOAD_DATA"]).read_text())
ACCEPTED = Path(os.environ["LOAD_DATA"] + ".accepted.jsonl")
SECTORS = ["textiles", "food-processing", "steel", "it", "pharmaceuticals"]
PROVINCES = ["PK-PB", "PK-SD", "PK-KP", "PK-BA"]
BASE_FIELD = re.compile(r'name="base" value="([^"]+)"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SELECTED_STATUS = re.compile(
    r'<select name="status"[^>]*>.*?<option value="([^"]+)" selected', re.S
)
RUN = os.environ.get("LOAD_RUN", "run")
WARMUP = float(os.environ.get("LOAD_WARMUP", "0"))


@events.test_start.add_listener
def _forget_the_warmup(environment, **kwargs):
    if WARMUP > 0:
        gevent.spawn_later(WARMUP, _end_warmup, environment)


def _end_warmup(environment) -> None:
    """Keep what the warm-up did (its failures count as much as the run's), then reset."""
    total = environment.stats.total
    Path(os.environ["LOAD_DATA"] + ".warmup.json").write_text(
        json.dumps({"requests": total.num_requests, "failures": total.num_failures})
    )
    environment.stats.reset_all()


def _local_only(host: str) -> None:
    if urlparse(host).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"load generators may only target this machine, not {host}")


#: Every synthetic record is flagged illustrative, and illustrative records are left out by
#: default (issue 22): without this the finder and the API list nothing (pages 2 and 3 of the
#: finder are then 400s) and every figure is empty, which is not the load of a real country.
SHOWN = {"illustrative": "include"}
#: The dashboards too only with ``LOAD_DASHBOARDS_SHOWN=1``: counting every synthetic record,
#: a national dashboard's rebuild took 6.5 s of PostgreSQL (a province's 3.4 s, delivery's 4.2 s)
#: on 2026-12-07, until the dashboards read the aggregate tables.
DASHBOARDS_SHOWN = SHOWN if os.environ.get("LOAD_DASHBOARDS_SHOWN") == "1" else {}


class Visitor(HttpUser):
    """An investor or official: dashboards, the finder with filters, zone pages, the API, as
    they are with the records counted (``SHOWN``)."""

    weight = 9
    wait_time = between(0.5, 1.5)

    def on_start(self):
        _local_only(self.host)

    @task(3)
    def national(self):
        self.client.get("/", params=DASHBOARDS_SHOWN, name="/ (national dashboard)")

    @task(2)
    def province(self):
        self.client.get(
            f"/provinces/{random.choice(PROVINCES)}/",
            params=DASHBOARDS_SHOWN,
            name="/provinces/[code]/",
        )

    @task(1)
    def delivery(self):
        self.client.get("/delivery/", params=DASHBOARDS_SHOWN, name="/delivery/")

    @task(4)
    def finder(self):
        params = {"sector": random.choice(SECTORS), "province": random.choice(PROVINCES), **SHOWN}
        if random.random() < 0.5:
            params["sort"] = "-readiness"
        if random.random() < 0.3:
            params["page"] = str(random.randint(1, 3))
        self.client.get("/zones/", params=params, name="/zones/?filters")

    @task(4)
    def zone(self):
        slug = random.choice(DATA["slugs"])
        self.client.get(f"/zones/{slug}/", params=SHOWN, name="/zones/[slug]/")

    @task(3)
    def api_list(self):
        params = {
            "province": random.choice(PROVINCES),
            "readiness_min": random.randint(0, 60),
            **SHOWN,
        }
        self.client.get("/api/zones/", params=params, name="/api/zones/?filters")

    @task(2)
    def api_detail(self):
        slug = random.choice(DATA["slugs"])
        self.client.get(f"/api/zones/{slug}/", params=SHOWN, name="/api/zones/[slug]/")


class Editor(HttpUser):
    """A zone administrator saving milestone updates through the workspace form."""

    weight = 1
    wait_time = between(1, 3)
    next_account = 0

    def on_start(self):
        _local_only(self.host)
        account = DATA["editors"][Editor.next_account % len(DATA["editors"])]
        Editor.next_account += 1
        self.username = account["username"]
        self.milestones = account["milestones"]
        self.turn = 0
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        self._plain_cookies()
        response = self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": DATA["password"],
                "csrfmiddlewaretoken": CSRF_FIELD.search(page.text).group(1),
            },
            name="/accounts/login/ (POST)",
            allow_redirects=False,
        )
        self._plain_cookies()
        if response.status_code != 302:
            raise SystemExit(f"{self.username} could not sign in: {response.status_code}")

    def _plain_cookies(self):
        # Production cookies are Secure; there is no TLS proxy in front of gunicorn here.
        for cookie in self.client.cookies:
            cookie.secure = False

    @task
    def save_update(self):
        milestone = self.milestones[self.turn % len(self.milestones)]
        self.turn += 1
        url = f"/workspace/edit/milestone/{milestone}/"
        form = self.client.get(url, name="/workspace/edit/[kind]/[id]/", allow_redirects=False)
        self._plain_cookies()
        found, token = BASE_FIELD.search(form.text), CSRF_FIELD.search(form.text)
        if not (found and token):
            return
        current = SELECTED_STATUS.search(form.text)
        choices = [s for s in ("in_progress", "blocked", "done") if not current or s != current[1]]
        status = random.choice(choices)  # a real change: "this changes nothing" is refused
        comment = f"load test update {RUN} {self.username} #{self.turn}"
        with self.client.post(
            url,
            data={
                "status": status,
                "planned_date": "2025-06-30",
                "actual_date": "2025-06-01" if status == "done" else "",
                "comment": comment,
                "base": found.group(1),
                "csrfmiddlewaretoken": token.group(1),
            },
            name="/workspace/edit/[kind]/[id]/ (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            self._plain_cookies()
            if response.status_code == 302:
                response.success()
                with ACCEPTED.open("a") as log:
                    log.write(
                        json.dumps({"milestone": milestone, "status": status, "comment": comment})
                        + "\n"
                    )
            else:
                response.failure(f"update not accepted: {response.status_code}")
