"""IDOR probes: an editor for Punjab guesses Sindh's record ids through every form and
endpoint that takes an id or a slug. Each probe must be refused and leave the data as it was.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import signing

from investors.models import Firm
from tests.factories import (
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    UtilityFactory,
    ZoneFactory,
    make_user,
)
from workspace.imports.services import import_job_create
from workspace.models import ChangeRequest, ChangeRequestStatus, ImportJob, ImportJobStatus
from workspace.review.editable import EDITABLE
from workspace.review.forms import BASE_SALT
from zones.models import LandDispute, Milestone, UtilityConnection

pytestmark = pytest.mark.django_db
MODELS = {
    "milestone": Milestone,
    "utility": UtilityConnection,
    "dispute": LandDispute,
    "firm": Firm,
}


def _records(zone):
    return {
        "milestone": MilestoneFactory(
            zone=zone, status="in_progress", planned_date=datetime.date(2024, 1, 1)
        ),
        "utility": UtilityFactory(zone=zone, kind="electricity", status="planned"),
        "dispute": DisputeFactory(zone=zone, status="open"),
        "firm": FirmFactory(zone=zone, status="allotted"),
    }


@pytest.fixture
def world():
    punjab = ZoneFactory(slug="allama-iqbal", province__code="PK-PB")
    sindh = ZoneFactory(slug="dhabeji", province__code="PK-SD")
    hidden = ZoneFactory(slug="hidden-sindh", province__code="PK-SD", published=False)
    editor = make_user("editor", provinces=["PK-PB"])
    sindh_editor = make_user("editor", provinces=["PK-SD"])
    mine, theirs = _records(punjab), _records(sindh)
    hidden_records = _records(hidden)
    theirs_request = ChangeRequest.objects.create(
        zone=sindh,
        kind="milestone",
        record_id=theirs["milestone"].pk,
        base=EDITABLE["milestone"].values(theirs["milestone"]),
        proposed={"status": "done", "planned_date": "2024-01-01", "actual_date": "2024-01-05"},
        comment="Done.",
        submitted_by=sindh_editor,
    )
    theirs_job = import_job_create(
        owner=sindh_editor,
        filename="milestones.csv",
        data=b"zone,code,title,responsible,status\ndhabeji,roads,Roads built,developer,done\n",
        language="en",
    )
    return {
        "editor": editor,
        "mine": mine,
        "theirs": theirs,
        "hidden": hidden,
        "hidden_records": hidden_records,
        "theirs_request": theirs_request,
        "theirs_job": theirs_job,
    }


def _snapshot():
    return {
        kind: sorted(model.objects.values_list(*("pk", *EDITABLE[kind].fields)))
        for kind, model in MODELS.items()
    }


def test_every_record_id_of_every_kind_opens_only_for_the_editors_own_province(client, world):
    client.force_login(world["editor"])
    own = {kind: record.pk for kind, record in world["mine"].items()}

    for kind, model in MODELS.items():
        highest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        for pk in range(1, highest + 3):
            status = client.get(f"/workspace/edit/{kind}/{pk}/").status_code
            if pk == own[kind]:
                assert status == 200, (kind, pk)
            elif model.objects.filter(pk=pk).exists():
                assert status == 403, (kind, pk, status)
            else:
                assert status == 404, (kind, pk, status)


@pytest.mark.parametrize("kind", list(MODELS))
def test_posting_an_update_to_another_provinces_record_is_refused(client, world, kind):
    client.force_login(world["editor"])
    record = world["theirs"][kind]
    editable = EDITABLE[kind]
    base = signing.dumps(editable.values(record), salt=BASE_SALT)  # a correctly signed base
    proposed = dict.fromkeys(editable.fields, "") | {"status": "cancelled"}
    before = _snapshot()

    response = client.post(
        f"/workspace/edit/{kind}/{record.pk}/", {**proposed, "comment": "Guessing", "base": base}
    )

    assert response.status_code == 403
    assert not ChangeRequest.objects.filter(submitted_by=world["editor"]).exists()
    assert _snapshot() == before


def test_a_kind_that_is_not_editable_is_not_found(client, world):
    client.force_login(world["editor"])
    zone_pk = world["hidden"].pk

    for kind in ("zone", "user", "changerequest", "importjob", "target"):
        assert client.get(f"/workspace/edit/{kind}/{zone_pk}/").status_code == 404


def test_another_provinces_update_cannot_be_read_approved_or_returned(client, world):
    client.force_login(world["editor"])
    change = world["theirs_request"]

    assert client.get(f"/workspace/updates/{change.pk}/").status_code == 403
    assert client.post(f"/workspace/updates/{change.pk}/approve/").status_code == 403
    assert client.post(f"/workspace/updates/{change.pk}/return/", {"note": "No"}).status_code == 403
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.PENDING
    assert change.reviewed_by is None


def test_a_reviewer_of_another_province_cannot_decide_either(client, world):
    client.force_login(make_user("reviewer", provinces=["PK-PB"]))
    change = world["theirs_request"]

    assert client.post(f"/workspace/updates/{change.pk}/approve/").status_code == 403
    change.refresh_from_db()
    assert change.status == ChangeRequestStatus.PENDING
    world["theirs"]["milestone"].refresh_from_db()
    assert world["theirs"]["milestone"].status == "in_progress"


def test_another_editors_import_is_invisible_and_cannot_be_applied(client, world):
    client.force_login(world["editor"])
    job = world["theirs_job"]
    highest = ImportJob.objects.order_by("-pk").values_list("pk", flat=True).first()

    for pk in range(1, highest + 3):
        assert client.get(f"/workspace/imports/{pk}/").status_code == 404
        assert client.get(f"/workspace/imports/{pk}/status/").status_code == 404
        assert client.post(f"/workspace/imports/{pk}/apply/").status_code == 404
        assert client.post(f"/workspace/imports/{pk}/retry/").status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJobStatus.PREVIEWED
    assert not Milestone.objects.filter(code="roads").exists()


def test_an_upload_naming_another_provinces_zone_is_refused_whole(client, world):
    client.force_login(world["editor"])
    data = (
        b"zone,code,title,responsible,status\n"
        b"allama-iqbal,fence,Fence built,developer,done\n"
        b"dhabeji,roads,Roads built,developer,done\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/workspace/imports/", {"file": SimpleUploadedFile("milestones.csv", data)}
    )

    job = ImportJob.objects.get(owner=world["editor"])
    assert response.status_code == 302
    assert job.status == ImportJobStatus.FAILED
    assert any("dhabeji" in error for error in job.errors)
    assert not Milestone.objects.filter(code__in=["fence", "roads"]).exists()


def test_another_provinces_unpublished_zone_stays_hidden_everywhere(client, world):
    client.force_login(world["editor"])
    slug = world["hidden"].slug

    assert client.get(f"/zones/{slug}/").status_code == 404
    assert client.get(f"/api/zones/{slug}/").status_code == 404
    assert slug not in client.get("/api/zones/", {"q": slug}).content.decode()
    assert slug.encode() not in client.get("/zones/", {"q": "hidden"}).content
    assert slug.encode() not in client.get("/zones/export.csv").getvalue()
    compare = client.get("/zones/compare/", {"zone": [slug, "dhabeji"]})
    assert world["hidden"].name.encode() not in compare.content


def test_an_editor_cannot_reach_records_through_the_admin(client, world):
    client.force_login(world["editor"])
    milestone = world["theirs"]["milestone"]

    response = client.get(f"/admin/zones/milestone/{milestone.pk}/change/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
