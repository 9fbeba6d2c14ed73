"""Reported totals are corrected through review, like the other records, and every version
is kept: in the record's history, on the zone page's timeline and in the public change log."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site as admin_site
from django.urls import reverse

from tests.factories import ZoneFactory, make_user
from tests.html import text_of
from workspace.models import ChangeRequest, ChangeRequestStatus
from zones.models import ReportedTotal

pytestmark = pytest.mark.django_db

SOURCE = "https://dailytimes.com.pk/757124/"


@pytest.fixture
def total():
    zone = ZoneFactory(
        name="Allama Iqbal Industrial City",
        slug="aiic",
        province__code="PK-PB",
        area_acres=Decimal("3217"),
        published=True,
    )
    return ReportedTotal.objects.create(
        zone=zone,
        metric="allotted_acres",
        value=Decimal("751"),
        as_of=datetime.date(2021, 7, 1),
        reported_by="CPEC Authority",
        source_url=SOURCE,
    )


def _submit(client, total, **changes):
    url = reverse("workspace:edit", args=["reported_total", total.pk])
    form = client.get(url).context["form"]
    data = {
        "value": "751",
        "as_of": "2021-07-01",
        "reported_by": "CPEC Authority",
        "source_url": SOURCE,
        "notes": "",
        "base": form.initial["base"],
        "comment": "The developer's 2022 figure.",
        **changes,
    }
    return client.post(url, data)


def test_an_editor_corrects_a_reported_total_and_it_applies_once_reviewed(client, total):
    editor = make_user("editor", provinces=["PK-PB"], username="editor")
    reviewer = make_user("reviewer", provinces=["PK-PB"], username="reviewer")
    client.force_login(editor)
    assert "Update Allotted acres as of" in client.get(reverse("workspace:home")).content.decode()

    response = _submit(client, total, value="800", notes="Rounded in the source.")

    assert response.status_code == 302
    total.refresh_from_db()
    assert total.value == Decimal("751")  # nothing changes before review
    client.force_login(reviewer)
    change_request = ChangeRequest.objects.get(kind="reported_total")
    client.post(reverse("workspace:approve", args=[change_request.pk]))

    total.refresh_from_db()
    change_request.refresh_from_db()
    assert change_request.status == ChangeRequestStatus.APPROVED
    assert total.value == Decimal("800")
    assert [h.value for h in total.history.order_by("history_date")] == [
        Decimal("751"),
        Decimal("800"),
    ]
    page = text_of(client.get("/zones/aiic/"))
    assert "Free land 2417 acres (area minus the allotment reported" in page  # 3217 − 800
    changes = text_of(client.get("/changes/"))
    assert "751.00" in changes and "800.00" in changes


def test_a_refused_correction_is_explained_and_saves_nothing(client, total):
    client.force_login(make_user("editor", provinces=["PK-PB"], username="editor"))

    response = _submit(client, total, value="-5")

    assert response.status_code == 200
    assert "cannot be negative" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_the_admin_edits_reported_totals_and_keeps_their_history(client, total):
    admin = make_user("administrator", username="admin", is_superuser=True)
    assert ReportedTotal in admin_site._registry
    client.force_login(admin)
    url = reverse("admin:zones_reportedtotal_change", args=[total.pk])

    response = client.post(
        url,
        {
            "zone": total.zone_id,
            "metric": "allotted_acres",
            "value": "760",
            "as_of": "2021-07-01",
            "reported_by": "CPEC Authority",
            "source_url": SOURCE,
            "notes": "",
        },
    )

    assert response.status_code == 302
    assert total.history.count() == 2
    assert (
        client.get(reverse("admin:zones_reportedtotal_history", args=[total.pk])).status_code == 200
    )
