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
from tests.factories import FirmFactory, MilestoneFactory, UtilityFactory, ZoneFactory

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
        MilestoneFactory(zone=zone, status="done")
        FirmFactory(zone=zone)
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
