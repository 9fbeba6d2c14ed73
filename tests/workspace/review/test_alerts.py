import datetime

import pytest
from django.core import mail

from accounts.roles import can_edit_zone, can_review_zone
from tests.factories import MilestoneFactory, ZoneFactory, make_user
from workspace.review.tasks import send_overdue_digests
from zones.vocabulary import MilestoneStatus

pytestmark = pytest.mark.django_db


def test_each_responsible_person_gets_one_digest_of_their_overdue_milestones():
    punjab = ZoneFactory(name="Allama Iqbal", province__code="PK-PB")
    sindh = ZoneFactory(name="Dhabeji", province__code="PK-SD")
    MilestoneFactory(zone=punjab, title="Gas at zero point", planned_date=datetime.date(2024, 1, 1))
    MilestoneFactory(
        zone=sindh, title="Power at zero point", planned_date=datetime.date(2024, 2, 1)
    )
    MilestoneFactory(zone=sindh, title="Done already", status=MilestoneStatus.DONE,
                     planned_date=datetime.date(2023, 1, 1))  # fmt: skip
    MilestoneFactory(zone=sindh, title="Future", planned_date=datetime.date(2099, 1, 1))
    editor = make_user("editor", provinces=["PK-PB"])
    reviewer = make_user("reviewer", provinces=["PK-SD"])
    make_user("official")  # reads everything, responsible for nothing: no e-mail

    sent = send_overdue_digests.delay().get()

    assert sent == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {editor.email, reviewer.email}
    assert "Gas at zero point" in by_recipient[editor.email].body
    assert "Power at zero point" not in by_recipient[editor.email].body
    sindh_body = by_recipient[reviewer.email].body
    assert "Power at zero point" in sindh_body
    assert "Done already" not in sindh_body
    assert "Future" not in sindh_body
    assert by_recipient[reviewer.email].subject == "1 overdue milestone in your zones"


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_someone_taken_out_of_their_roles_group_gets_no_more_digests(role):
    zone = ZoneFactory(name="Allama Iqbal", province__code="PK-PB")
    MilestoneFactory(zone=zone, title="Gas at zero point", planned_date=datetime.date(2024, 1, 1))
    staying = make_user(role, provinces=["PK-PB"])
    leaving = make_user(role, zones=[zone])
    leaving.groups.clear()  # the assignment is forgotten, not removed

    sent = send_overdue_digests.delay().get()

    assert sent == 1
    assert [message.to for message in mail.outbox] == [[staying.email]]
    fresh = type(leaving).objects.get(pk=leaving.pk)  # the permission checks agree
    assert not (can_edit_zone(fresh, zone) or can_review_zone(fresh, zone))


def test_an_inactive_or_address_less_person_gets_no_digest():
    zone = ZoneFactory(province__code="PK-PB")
    MilestoneFactory(zone=zone, planned_date=datetime.date(2024, 1, 1))
    make_user("editor", zones=[zone], is_active=False)
    make_user("editor", zones=[zone], email="")

    assert send_overdue_digests.delay().get() == 0
    assert mail.outbox == []
