"""The zone page explains the score: components, weights, the records behind each, the
profile version and time, what changed, and the history."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from readiness import rules, services
from readiness.explanation import readiness_panel, rule_texts
from tests.factories import (
    DisputeFactory,
    FirmFactory,
    MilestoneFactory,
    UtilityFactory,
    ZoneFactory,
)
from zones import selectors
from zones.models import Milestone
from zones.vocabulary import DisputeStatus

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def zone():
    zone = ZoneFactory(area_acres=D("1000"))
    UtilityFactory(
        zone=zone,
        kind="electricity",
        status="at_zero_point",
        required_capacity=D("40"),
        available_capacity=D("30"),
        unit="MW",
    )
    MilestoneFactory(zone=zone, title="Development agreement signed", status="done")
    MilestoneFactory(zone=zone, title="Groundbreaking", status="in_progress")
    MilestoneFactory(zone=zone, title="Rail spur", status="cancelled")
    DisputeFactory(zone=zone, reference="WP-118/2019", affected_acres=D("100"))
    DisputeFactory(zone=zone, reference="CS-7/2015", status=DisputeStatus.RESOLVED)
    FirmFactory(zone=zone, name="Indus Looms", allotted_acres=D("25"))
    FirmFactory(zone=zone, name="Karakoram Foods", status="interested", allotted_acres=None)
    services.readiness_recompute(zone_ids=[zone.pk])
    Milestone.objects.filter(title="Groundbreaking").update(status="done")
    services.readiness_recompute(zone_ids=[zone.pk])
    zone.refresh_from_db()
    return zone


def test_the_zone_page_explains_the_score(client, zone):
    response = client.get(zone.get_absolute_url())

    page = response.content.decode()
    latest, first = zone.readiness_snapshots.order_by("-computed_at")
    assert response.status_code == 200
    assert f"<strong>{latest.score}</strong> / 100" in page
    assert "scoring profile version 1" in page
    for value in (latest.utilities, latest.land, latest.milestones, latest.occupancy):
        assert f'<td class="num">{value}</td>' in page
    for weight in ("0.35", "0.15", "0.3", "0.2"):
        assert f'<td class="num">{weight}</td>' in page
    for record in (
        "WP-118/2019", "CS-7/2015", "Development agreement signed", "Rail spur",
        "Indus Looms", "Karakoram Foods", "30 of 40 MW available",
    ):  # fmt: skip
        assert record in page
    assert "Milestones: 0.5000 → 1.0000" in page
    assert "Weight of done milestones: 1 → 2" in page
    assert f'<td class="num">{first.score}</td>' in page  # the history keeps the first score


def test_a_zone_never_scored_says_so_and_still_lists_its_records(client):
    zone = ZoneFactory()
    MilestoneFactory(zone=zone, title="Notified")

    page = client.get(zone.get_absolute_url()).content.decode()

    assert "This zone has not been scored yet." in page
    assert "Notified" in page
    assert "No score history yet." in page


def panel_of(zone):
    """The panel as the zone page builds it, with the milestones the page lists."""
    page_zone = selectors.zone_for_page(slug=zone.slug, user=None)
    milestones = selectors.zone_milestones(page_zone, include_illustrative=False, limit=25)
    return page_zone, milestones


def test_the_explanation_reads_the_history_and_the_largest_holdings_in_two_queries(
    zone, django_assert_num_queries
):
    page_zone, milestones = panel_of(zone)

    with django_assert_num_queries(2):
        panel = readiness_panel(page_zone, milestones=milestones)

    assert [line.score for line in panel.history] == list(
        zone.readiness_snapshots.order_by("-computed_at").values_list("score", flat=True)
    )
    utilities = next(c for c in panel.components if c.name == "utilities")
    assert [record.amount for record in utilities.records] == [
        "0.6000",
        "0.0000",
        "0.0000",
        "0.0000",
    ]


def test_the_page_needs_no_more_queries_for_more_records_and_history(client, zone):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(zone.get_absolute_url()).status_code == 200
        return len(captured)

    before = queries()
    for number in range(5):
        FirmFactory(zone=zone, allotted_acres=D(number + 1))
        MilestoneFactory(zone=zone)
        DisputeFactory(zone=zone)
        services.readiness_recompute(zone_ids=[zone.pk])

    assert zone.readiness_snapshots.count() == 7
    assert queries() == before


def test_a_zone_with_many_firms_lists_the_largest_holdings_and_counts_the_rest(client):
    zone = ZoneFactory(area_acres=D("5000"))
    for number in range(1, 31):
        FirmFactory(zone=zone, name=f"Firm {number:02}", allotted_acres=D(number))
    FirmFactory(zone=zone, name="Only Interested", status="interested", allotted_acres=D("99"))

    page_zone, milestones = panel_of(zone)
    panel = readiness_panel(page_zone, milestones=milestones)
    page = client.get(zone.get_absolute_url() + "?firms=all").content.decode()

    occupancy = next(c for c in panel.components if c.name == "occupancy")
    assert [line.label for line in occupancy.records][:3] == ["Firm 30", "Firm 29", "Firm 28"]
    assert [line.label for line in occupancy.records][-1] == "Firm 06"
    assert len(occupancy.records) == 25
    assert occupancy.more_records == 6
    assert "And 6 more records, listed in the tables below." in page
    assert page.count("Only Interested") == 1  # in the firm table, not among the 25 lines


def test_the_rules_in_words_are_written_from_the_rules_own_constants(monkeypatch):
    texts = rule_texts()
    assert texts["utilities"].startswith("Mean over electricity, gas, water and road: ")
    assert "not started 0, planned 0.1, under construction 0.4" in texts["utilities"]
    assert "1 − acres in open, in court or in mediation disputes" in texts["land"]
    assert "Resolved and dismissed disputes do not count." in texts["land"]
    assert "not cancelled; 0 when there are none." in texts["milestones"]
    assert "allotted, under construction or operating firms" in texts["occupancy"]

    monkeypatch.setitem(rules.UTILITY_STATUS_VALUES, "planned", D("0.2"))
    monkeypatch.setattr(rules, "UNCOUNTED_MILESTONE_STATUSES", ("cancelled", "blocked"))

    changed = rule_texts()
    assert "planned 0.2" in changed["utilities"]
    assert "weight of all milestones not cancelled or blocked;" in changed["milestones"]
