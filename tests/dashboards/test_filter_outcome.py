"""What the filters did, said the same way on the dashboards and /policy/: refused filters with
a way back, or the filters every figure follows."""

from __future__ import annotations

import pytest

from tests.html import text_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "way_back"),
    [("/", "Show the dashboard without filters"), ("/policy/", "Show the page without filters")],
)
def test_a_refused_filter_is_named_with_a_way_back(client, url, way_back):
    response = client.get(url, {"readiness_min": "lots"})

    text = text_of(response)
    assert response.status_code == 400
    assert "Some filters could not be applied" in text
    assert way_back in text


@pytest.mark.parametrize(
    ("url", "statement"),
    [
        ("/", "Every figure on this page counts only zones matching:"),
        ("/policy/", "Events and figures on this page concern only zones matching:"),
    ],
)
def test_the_filters_applied_are_listed(client, url, statement):
    text = text_of(client.get(url, {"readiness_min": "20"}))

    assert statement in text
    assert "Readiness at least: 20" in text
