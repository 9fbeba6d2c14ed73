"""The one scope rule: an assignment gives scope while its user is active and in the group
of its role."""

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Assignment
from accounts.roles import (
    assignments_in_force,
    can_edit_zone,
    can_review_zone,
    editable_zones_q,
    reviewable_zones_q,
)
from tests.factories import ZoneFactory, make_user
from zones.models import Zone

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request reads it: roles and scope not yet cached."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def zones():
    return ZoneFactory(province__code="PK-PB"), ZoneFactory(province__code="PK-SD")


def test_an_editor_edits_the_zones_of_their_assignments_only(zones):
    punjab, sindh = zones
    editor = make_user("editor", provinces=["PK-PB"])

    assert can_edit_zone(editor, punjab)
    assert not can_edit_zone(editor, sindh)
    assert list(Zone.objects.filter(editable_zones_q(editor))) == [punjab]
    assert [(a["user_id"], a["role"]) for a in assignments_in_force()] == [(editor.pk, "editor")]


def test_an_assignment_left_behind_by_leaving_the_group_gives_no_scope(zones):
    punjab, _sindh = zones
    editor = make_user("editor", zones=[punjab])
    editor.groups.clear()
    editor = fresh(editor)

    assert not can_edit_zone(editor, punjab)
    assert not Zone.objects.filter(editable_zones_q(editor)).exists()
    assert assignments_in_force() == []


def test_an_inactive_user_keeps_no_scope(zones):
    punjab, _sindh = zones
    make_user("reviewer", zones=[punjab], is_active=False)

    assert assignments_in_force() == []


def test_an_assignment_counts_in_its_own_role_only(zones):
    punjab, _sindh = zones
    editor = make_user("editor")
    Assignment.objects.create(user=editor, role="reviewer", zone=punjab)
    editor = fresh(editor)

    assert not can_review_zone(editor, punjab)
    assert not can_edit_zone(editor, punjab)
    assert not Zone.objects.filter(reviewable_zones_q(editor)).exists()
    assert assignments_in_force() == []


def test_an_administrator_edits_and_reviews_everything_without_assignments(zones):
    punjab, sindh = zones
    administrator = make_user("administrator")

    assert can_edit_zone(administrator, punjab) and can_review_zone(administrator, sindh)
    assert Zone.objects.filter(editable_zones_q(administrator)).count() == 2
