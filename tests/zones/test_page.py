"""The zone page's builder: every section comes from ZonePage, by who may see it, and the
template only formats (it queries nothing)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from readiness.services import readiness_recompute
from tests.factories import (
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    TargetFactory,
    UtilityFactory,
    ZoneFactory,
    make_user,
)
from workspace.models import ChangeRequest
from zones import selectors
from zones.page import build_zone_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    zone = ZoneFactory(
        slug="rashakai", province__code="PK-KP", area_acres=Decimal("1000"), internal_notes="Hush."
    )
    UtilityFactory(zone=zone, kind="electricity", status="connected")
    DisputeFactory(zone=zone, reference="WP-118/2019", parties="Khan v. SEZ company")
    milestone = MilestoneFactory(zone=zone, title="Groundbreaking", status="in_progress")
    FirmFactory(zone=zone, name="Indus Looms", export_markets=["AE"])
    TargetFactory(zone=zone)
    readiness_recompute(zone_ids=[zone.pk])
    editor = make_user("editor", provinces=["PK-KP"], username="editor-ayesha")
    ChangeRequest.objects.create(
        zone=zone,
        kind="milestone",
        record_id=milestone.pk,
        base={"status": "in_progress"},
        proposed={"status": "done"},
        comment="Ceremony held.",
        submitted_by=editor,
    )
    return zone


def page_for(zone, user):
    return build_zone_page(zone=selectors.zone_for_page(slug=zone.slug, user=user), user=user)


def test_a_zones_editor_sees_its_history_and_pending_updates_but_no_internal_fields(zone):
    editor = make_user("editor", provinces=["PK-KP"])
    elsewhere = make_user("editor", provinces=["PK-SD"])

    own = page_for(zone, editor)
    public = page_for(zone, AnonymousUser())
    other = page_for(zone, elsewhere)

    assert own.internal is False  # notes and dispute parties are the officials' only
    assert [item.comment for item in own.pending_updates] == ["Ceremony held."]
    assert ("created", "zone") in [(e.action, e.record_type) for e in own.history]
    for page in (public, other):
        assert (page.internal, page.pending_updates, page.history) == (False, None, None)
        assert not page.shows_pending_updates and not page.shows_history


def test_the_page_is_built_with_every_query_and_its_template_makes_none(zone):
    official = make_user("official")
    page = page_for(zone, official)
    request = RequestFactory().get(zone.get_absolute_url())
    request.user = official

    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("zones/detail.html", {"page": page}, request=request)

    assert [query["sql"] for query in queries] == []
    assert page.internal and page.readiness.score == page.readiness_panel.latest.score
    for shown in (
        "Hush.", "Khan v. SEZ company", "Ceremony held.", "Change history",
        'id="figure-zone-readiness-history"', 'id="figure-zone-delivery"',
        f"<strong>{page.readiness.score}</strong> / 100",
    ):  # fmt: skip
        assert shown in html
