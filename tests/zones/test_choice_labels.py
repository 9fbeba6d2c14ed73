"""A record's choice labels (``get_<field>_display``) come from a table kept per field: still
in the language of the moment, and a value that is not a choice is shown as it is."""

from __future__ import annotations

from django.utils import translation

from investors.models import Firm
from zones.models import Milestone
from zones.vocabulary import FirmStatus, MilestoneStatus


def test_labels_follow_the_active_language():
    milestone = Milestone(status=MilestoneStatus.DONE)

    english = milestone.get_status_display()
    with translation.override("ur"):
        urdu = milestone.get_status_display()
        expected_urdu = str(MilestoneStatus.DONE.label)
    again = milestone.get_status_display()

    assert english == again == str(MilestoneStatus.DONE.label) != urdu
    assert urdu == expected_urdu


def test_a_value_that_is_not_a_choice_is_shown_as_it_is():
    assert Firm(status="withdrawn-in-1999").get_status_display() == "withdrawn-in-1999"
    assert Firm(status=FirmStatus.OPERATING).get_status_display() == str(FirmStatus.OPERATING.label)
