"""The database refuses what the rules refuse: a provincial event without its province, a
federal one with a province, an unknown effect or level, a decision before its application,
a decided application without a date and a pending one with one; and history is kept."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from policy.models import Application, PolicyEvent
from tests.factories import ApplicationFactory, PolicyEventFactory, ProvinceFactory, ZoneFactory

pytestmark = pytest.mark.django_db


def _refused(update, model, pk, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        model.objects.filter(pk=pk).update(**update)


@pytest.mark.parametrize(
    ("update", "constraint"),
    [
        ({"level": "provincial"}, "policy_event_province_for_provincial"),
        ({"effect": "tax_holiday"}, "policy_event_effect_valid"),
        ({"level": "national"}, "policy_event_level_valid"),
    ],
)
def test_the_database_refuses_a_bad_policy_event(update, constraint):
    event = PolicyEventFactory()
    _refused(update, PolicyEvent, event.pk, constraint)


def test_a_federal_event_names_no_province():
    event = PolicyEventFactory(level="provincial", province=ProvinceFactory(code="PK-SD"))
    _refused({"level": "federal"}, PolicyEvent, event.pk, "policy_event_province_for_provincial")


@pytest.mark.parametrize(
    "update",
    [
        {"decision": "approved"},  # no decision date
        {"decision": "approved", "decided_on": datetime.date(2024, 1, 9)},  # before applying
        {"decided_on": datetime.date(2024, 2, 1)},  # pending with a date
        {"decision": "withdrawn"},
    ],
)
def test_the_database_refuses_a_decision_out_of_order(update):
    application = ApplicationFactory(applied_on=datetime.date(2024, 1, 10))
    _refused(update, Application, application.pk, "application_decision_dates")


def test_a_decision_on_the_day_of_application_is_allowed():
    ApplicationFactory(
        applied_on=datetime.date(2024, 1, 10),
        decided_on=datetime.date(2024, 1, 10),
        decision="approved",
    )


def test_unknown_kind_and_duplicate_reference_are_refused():
    application = ApplicationFactory(reference="A-1")
    _refused({"kind": "visa"}, Application, application.pk, "application_kind_valid")
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(zone=application.zone, reference="A-1")


def test_history_keeps_each_version_and_the_named_zones():
    zone = ZoneFactory()
    event = PolicyEventFactory(title="Before")
    event.title = "After"
    event.save()
    event.zones.set([zone])
    assert list(event.history.order_by("history_date").values_list("title", flat=True))[:2] == [
        "Before",
        "After",
    ]
    latest = event.history.latest()
    assert [z.zone_id for z in latest.zones.all()] == [zone.pk]
