import datetime

import pytest
from django.core import mail

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
