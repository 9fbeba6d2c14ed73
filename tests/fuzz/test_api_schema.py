"""Schemathesis against our own OpenAPI document: generated requests (valid and invalid
parameters) to every operation never give a server error, and every response, errors
included, matches the schema: status code, content type and body.

The suite runs ``FUZZ_API_EXAMPLES`` cases per operation (default 120, a few hundred in all);
``make fuzz`` runs many more.

Two checks are left out, both about whether a request should have been accepted, not about
what came back: the parameters' schemas come from django-filter and are looser than its
validation (``sector`` is any string in the schema, a known sector slug to the filter, so a
schema-valid ``sector=`` earns a documented 400), and Schemathesis takes ``cpec_priority=true``
in a query string for a string where a boolean is declared.
"""

from __future__ import annotations

import datetime
import os
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from readiness.services import readiness_recompute
from tests.factories import (
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    TargetFactory,
    UtilityFactory,
    ZoneFactory,
)

EXAMPLES = int(os.environ.get("FUZZ_API_EXAMPLES", "120"))


@pytest.fixture
def keep_the_test_connection():
    """Like Django's test client: a request's end must not close the test's connection (the
    WSGI handler would, and the test's transaction with it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def zones(db, keep_the_test_connection):
    for slug, province, published in [
        ("rashakai", "PK-KP", True),
        ("dhabeji", "PK-SD", True),
        ("hidden", "PK-PB", False),
    ]:
        zone = ZoneFactory(
            slug=slug,
            province__code=province,
            published=published,
            sectors=["textiles"],
            area_acres=Decimal("1000"),
        )
        UtilityFactory(zone=zone, kind="electricity", status="connected")
        done = MilestoneFactory(zone=zone, status="done", actual_date=datetime.date(2023, 3, 1))
        FirmFactory(zone=zone)
        # Empty and optional values, where a response is most likely to break its schema: a
        # quantity target names no milestone, blank texts, records with nothing optional.
        TargetFactory(zone=zone, metric="jobs", announced_by="")
        TargetFactory(
            zone=zone,
            metric="completion_date",
            value=None,
            target_date=datetime.date(2024, 1, 1),
            milestone_code=done.code,
        )
        MilestoneFactory(zone=zone, baseline_date=None, planned_date=None)
        UtilityFactory(zone=zone, kind="gas", status="not_started", provider="")
        DisputeFactory(zone=zone, affected_acres=None, opened_on=None, parties="")
        FirmFactory(
            zone=zone,
            sector=None,
            allotted_acres=None,
            allotted_on=None,
            jobs_planned=None,
            jobs_actual=None,
            status="interested",
        )
    ZoneFactory(slug="bare", area_acres=None, latitude=None, longitude=None, sectors=[])
    readiness_recompute(zone_ids=None)


# Loading the document needs no database: drf-spectacular builds it from the code.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.mark.usefixtures("zones")
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_never_errors_and_always_matches_its_schema(case):
    response = case.call()

    case.validate_response(
        response, excluded_checks=[positive_data_acceptance, negative_data_rejection]
    )


@pytest.mark.usefixtures("zones")
@pytest.mark.parametrize("slug", ["rashakai", "dhabeji", "bare"])
def test_every_recorded_zone_matches_the_schema(slug):
    """Random slugs rarely name a zone: read each recorded one, optional values and all."""
    case = schema["/api/zones/{slug}/"]["GET"].Case(path_parameters={"slug": slug})
    response = case.call()

    assert response.status_code == 200
    case.validate_response(
        response, excluded_checks=[positive_data_acceptance, negative_data_rejection]
    )


@pytest.mark.usefixtures("zones")
@pytest.mark.parametrize("query", [{}, {"province": "PK-KP"}, {"sort": "-readiness"}])
def test_the_zone_list_matches_the_schema(query):
    case = schema["/api/zones/"]["GET"].Case(query=query)
    response = case.call()

    assert response.status_code == 200
    case.validate_response(
        response, excluded_checks=[positive_data_acceptance, negative_data_rejection]
    )
