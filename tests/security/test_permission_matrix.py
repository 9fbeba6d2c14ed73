"""Every URL, requested as every role, answers as the matrix says.

A URL added to the project without a row here fails ``test_every_url_is_in_the_matrix``.
Each cell runs on a fresh world, so a POST that changes data cannot spoil the next cell.
Statuses: 200 shown, 302 redirected (anonymous to sign-in, or after a successful POST),
403 refused, 404 hidden (the record does not exist for that user), 405 method refused.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import MilestoneFactory, ZoneFactory, make_user
from workspace.evidence.services import evidence_attach
from workspace.imports.services import import_job_apply, import_job_create
from workspace.models import ChangeRequest


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, "PNG")
    return buffer.getvalue()


ROLES = ("anonymous", "official", "editor", "other_editor", "reviewer", "administrator")


@dataclass
class World:
    zone: object
    hidden_zone: object
    milestone: object
    change_request: object
    import_job: object
    users: dict
    batch: object = None
    evidence: object = None
    public_evidence: object = None


@pytest.fixture
def world(db):
    zone = ZoneFactory(slug="allama-iqbal", province__code="PK-PB")
    hidden = ZoneFactory(slug="unpublished-pb", province__code="PK-PB", published=False)
    ZoneFactory(slug="dhabeji", province__code="PK-SD")
    milestone = MilestoneFactory(
        zone=zone, status="in_progress", planned_date=datetime.date(2024, 1, 1)
    )
    users = {
        "anonymous": None,
        "official": make_user("official"),
        "editor": make_user("editor", provinces=["PK-PB"]),
        "other_editor": make_user("editor", provinces=["PK-SD"]),
        "reviewer": make_user("reviewer", provinces=["PK-PB"]),
        "administrator": make_user("administrator"),
    }
    change_request = ChangeRequest.objects.create(
        zone=zone,
        kind="milestone",
        record_id=milestone.pk,
        base={"status": "in_progress", "planned_date": "2024-01-01", "actual_date": None},
        proposed={"status": "done", "planned_date": "2024-01-01", "actual_date": "2024-01-05"},
        comment="Done.",
        submitted_by=users["editor"],
    )
    import_job = import_job_create(
        owner=users["editor"],
        filename="milestones.csv",
        data=b"zone,code,title,responsible,status\n"
        b"allama-iqbal,first_firm,First firm operating,developer,not_started\n",
        language="en",
    )
    batch = import_job_create(
        owner=users["editor"],
        filename="milestones.csv",
        data=b"zone,code,title,responsible,status\n"
        b"allama-iqbal,second_firm,Second firm operating,developer,not_started\n",
        language="en",
    )
    batch = import_job_apply(job=batch, user=users["editor"])  # a batch waiting for review
    evidence_kwargs = {
        "data": _png(),
        "title": "Photo",
        "kind": "site_photo",
        "dated": "2024-01-05",
    }
    evidence = evidence_attach(
        change_request=change_request, user=users["editor"], **evidence_kwargs
    )
    approved = ChangeRequest.objects.create(
        zone=zone, kind="milestone", record_id=milestone.pk, base={}, proposed={},
        comment="Done.", submitted_by=users["editor"], status="approved",
        reviewed_by=users["reviewer"], reviewed_at=datetime.datetime.now(datetime.UTC),
    )  # fmt: skip
    public_evidence = evidence_attach(
        change_request=approved, user=users["administrator"], **evidence_kwargs
    )
    return World(
        zone, hidden, milestone, change_request, import_job, users, batch, evidence,
        public_evidence,
    )  # fmt: skip


# name: (method, args from the world, {role: expected status})
def _all(status):
    return dict.fromkeys(ROLES, status)


SIGNED_IN = {**_all(200), "anonymous": 302}

MATRIX = {
    "healthz": ("get", lambda w: [], _all(200)),
    "login": ("get", lambda w: [], _all(200)),
    "logout": ("post", lambda w: [], _all(302)),
    "set_language": ("post", lambda w: [], _all(302)),
    "password_change": ("get", lambda w: [], SIGNED_IN),
    "password_change_done": ("get", lambda w: [], SIGNED_IN),
    "dashboards:national": ("get", lambda w: [], _all(200)),
    "dashboards:province": ("get", lambda w: ["PK-PB"], _all(200)),
    "dashboards:delivery": ("get", lambda w: [], _all(200)),
    "policy:national": ("get", lambda w: [], _all(200)),
    "zones:finder": ("get", lambda w: [], _all(200)),
    "zones:export-csv": ("get", lambda w: [], _all(200)),
    "zones:export-xlsx": ("get", lambda w: [], _all(200)),
    "zones:compare": ("get", lambda w: [], _all(200)),
    "zones:detail": ("get", lambda w: [w.zone.slug], _all(200)),
    "zones:detail[unpublished]": (
        "get",
        lambda w: [w.hidden_zone.slug],
        {**_all(200), "anonymous": 404, "other_editor": 404},
    ),
    "api-schema": ("get", lambda w: [], _all(200)),
    "api-docs": ("get", lambda w: [], _all(200)),
    "api:api-root": ("get", lambda w: [], _all(200)),
    "api:zone-list": ("get", lambda w: [], _all(200)),
    "api:zone-list[post]": ("post", lambda w: [], _all(405)),
    "api:zone-detail": ("get", lambda w: [w.zone.slug], _all(200)),
    "api:policy-events": ("get", lambda w: [], _all(200)),
    "api:policy-events[post]": ("post", lambda w: [], _all(405)),
    "api:zone-detail[unpublished]": (
        "get",
        lambda w: [w.hidden_zone.slug],
        {**_all(200), "anonymous": 404, "other_editor": 404},
    ),
    "workspace:home": ("get", lambda w: [], SIGNED_IN),
    "workspace:edit": (
        "get",
        lambda w: ["milestone", w.milestone.pk],
        {**_all(403), "anonymous": 302, "editor": 200, "administrator": 200},
    ),
    "workspace:review": (
        "get",
        lambda w: [w.change_request.pk],
        {**_all(403), "anonymous": 302, "editor": 200, "reviewer": 200, "administrator": 200},
    ),
    "workspace:approve": (
        "post",
        lambda w: [w.change_request.pk],
        {**_all(403), "anonymous": 302, "reviewer": 302, "administrator": 302},
    ),
    "workspace:return": (
        "post",
        lambda w: [w.change_request.pk],
        {**_all(403), "anonymous": 302, "reviewer": 302, "administrator": 302},
    ),
    "workspace:import_upload": (
        "get",
        lambda w: [],
        {**_all(200), "anonymous": 302, "official": 403, "reviewer": 403},
    ),
    "workspace:import_template": (
        "get",
        lambda w: [],
        {**_all(200), "anonymous": 302, "official": 403, "reviewer": 403},
    ),
    "workspace:import_job": (
        "get",
        lambda w: [w.import_job.pk],
        {
            "anonymous": 302,
            "official": 403,
            "editor": 200,
            "other_editor": 404,
            "reviewer": 403,
            "administrator": 200,
        },
    ),
    "workspace:import_status": (
        "get",
        lambda w: [w.import_job.pk],
        {
            "anonymous": 302,
            "official": 403,
            "editor": 200,
            "other_editor": 404,
            "reviewer": 403,
            "administrator": 200,
        },
    ),
    "workspace:import_apply": (
        "post",
        lambda w: [w.import_job.pk],
        {
            "anonymous": 302,
            "official": 403,
            "editor": 302,
            "other_editor": 404,
            "reviewer": 403,
            "administrator": 403,
        },
    ),
    "workspace:import_retry": (
        "post",
        lambda w: [w.import_job.pk],
        {
            "anonymous": 302,
            "official": 403,
            "editor": 302,
            "other_editor": 404,
            "reviewer": 403,
            "administrator": 403,
        },
    ),
    "workspace:import_review": (
        "get",
        lambda w: [w.batch.pk],
        {
            "anonymous": 302,
            "official": 404,
            "editor": 200,
            "other_editor": 404,
            "reviewer": 200,
            "administrator": 200,
        },
    ),
    "workspace:import_approve": (
        "post",
        lambda w: [w.batch.pk],
        {
            "anonymous": 302,
            "official": 404,
            "editor": 403,  # the editor's own batch needs a second person
            "other_editor": 404,
            "reviewer": 302,
            "administrator": 302,
        },
    ),
    "workspace:import_return": (
        "post",
        lambda w: [w.batch.pk],
        {
            "anonymous": 302,
            "official": 404,
            "editor": 403,
            "other_editor": 404,
            "reviewer": 302,
            "administrator": 302,
        },
    ),
    "workspace:evidence_attach": (
        "post",
        lambda w: [w.change_request.pk],
        {**_all(403), "anonymous": 302, "editor": 302, "administrator": 302},
    ),
    "workspace:evidence_download": (
        "get",
        lambda w: [w.evidence.pk],
        {**_all(404), "editor": 200, "reviewer": 200, "administrator": 200},
    ),
    "workspace:evidence_download[public]": ("get", lambda w: [w.public_evidence.pk], _all(200)),
    "admin:index": (
        "get",
        lambda w: [],
        {**_all(302), "administrator": 200},
    ),
    # Follow and reuse: public to everyone, published zones only, whoever asks.
    "follow:changes": ("get", lambda w: [], _all(200)),
    "follow:feed-changes": ("get", lambda w: [], _all(200)),
    "follow:feed-zone": ("get", lambda w: [w.zone.slug], _all(200)),
    "follow:feed-zone[unpublished]": ("get", lambda w: [w.hidden_zone.slug], _all(404)),
    "follow:feed-province": ("get", lambda w: ["PK-PB"], _all(200)),
    "follow:data": ("get", lambda w: [], _all(200)),
    "follow:data-download": ("get", lambda w: ["2000-01-01"], _all(404)),
    "follow:alert-subscribe": ("post", lambda w: [], _all(400)),
    "follow:alert-confirm": ("get", lambda w: ["not-a-token"], _all(400)),
    "follow:alert-unsubscribe": ("post", lambda w: ["not-a-token"], _all(400)),
    "follow:saved-searches": ("get", lambda w: [], SIGNED_IN),
    "follow:saved-search-delete": ("post", lambda w: [999999], {**_all(404), "anonymous": 302}),
}

POST_DATA = {
    "workspace:return": {"note": "Please attach the source."},
    "workspace:import_return": {"note": "Please attach the source."},
    "follow:alert-subscribe": {"email": "not-an-address", "frequency": "daily"},
}


def _url_names(patterns=None, namespace=None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            full = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            if full == "admin":
                yield "admin:index"
                continue
            yield from _url_names(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_url_is_in_the_matrix():
    missing = set(_url_names()) - {name.split("[")[0] for name in MATRIX}
    assert not missing, f"add these URLs to the permission matrix: {sorted(missing)}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(MATRIX))
def test_permission_matrix(client, world, name, role):
    method, args, expected = MATRIX[name]
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = reverse(name.split("[")[0], args=args(world))

    response = getattr(client, method)(url, POST_DATA.get(name, {}))

    assert response.status_code == expected[role], (
        f"{role} {method.upper()} {url}: {response.status_code}, expected {expected[role]}"
    )
