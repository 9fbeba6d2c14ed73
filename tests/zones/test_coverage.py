"""Coverage on derived figures: how many records each figure rests on ("from 3 firm
records", "2 of 9 milestones dated"), on the pages, in their tables and in the API; and the
free land's basis (the records' allotment or a larger reported one) stated wherever free
land is."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.cache import cache

from tests.factories import (
    FirmFactory,
    MilestoneFactory,
    PlotFactory,
    TargetFactory,
    ZoneFactory,
)
from tests.html import text_of
from zones.models import ReportedTotal

pytestmark = pytest.mark.django_db

SOURCE = "https://dailytimes.com.pk/757124/"


@pytest.fixture
def zone():
    cache.clear()
    zone = ZoneFactory(
        name="Allama Iqbal Industrial City",
        slug="aiic",
        province__code="PK-PB",
        area_acres=Decimal("3217"),
    )
    FirmFactory(zone=zone, allotted_acres=Decimal("40"), jobs_actual=300)
    FirmFactory(zone=zone, allotted_acres=Decimal("34"), jobs_actual=None)
    FirmFactory(zone=zone, allotted_acres=Decimal("500"), jobs_actual=900, is_illustrative=True)
    MilestoneFactory(zone=zone, baseline_date=None, planned_date=None, status="in_progress")
    MilestoneFactory(zone=zone)  # baseline and planned dates, overdue
    MilestoneFactory(zone=zone, baseline_date=None, planned_date=None, status="not_started")
    PlotFactory(zone=zone)
    PlotFactory(zone=zone, is_illustrative=True)
    TargetFactory(zone=zone, value=Decimal("10000"))
    ReportedTotal.objects.create(
        zone=zone,
        metric="jobs",
        value=Decimal("2000"),
        as_of=datetime.date(2021, 7, 1),
        reported_by="CPEC Authority",
        source_url=SOURCE,
    )
    return zone


def _csv(client) -> str:
    cache.clear()  # the export rate limit
    return b"".join(client.get("/zones/export.csv").streaming_content).decode("utf-8-sig")


def test_the_zone_page_says_what_each_figure_rests_on(zone, client):
    page = text_of(client.get("/zones/aiic/"))

    assert "3143 acres (area minus land allotted" in page  # 3,217 − 40 − 34, real firms only
    assert "from 2 firm records" in page
    assert "1 of 3 milestones dated" in page
    assert "From 1 plot record." in page
    assert "Drawn from 1 of 3 milestones dated." in page

    shown = text_of(client.get("/zones/aiic/?illustrative=include"))

    assert "2643 acres" in shown and "from 3 firm records" in shown
    assert "From 2 plot records." in shown


def test_delivered_figures_say_how_many_firm_records_and_sit_beside_the_reported_total(
    zone, client
):
    page = text_of(client.get("/zones/aiic/"))
    national = text_of(client.get("/delivery/"))

    # jobs delivered: 300, from the one real firm that reported them, beside the 2,000
    # the authority reported (coverage 15 %)
    assert "300 from 1 firm record 2,000" in page
    assert "coverage 15 %" in page
    assert "from 1 firm record 2,000" in national
    assert "300 delivered of 10,000 announced, in 1 zone from 1 firm record" in national


def test_the_national_page_says_how_many_open_milestones_are_dated(zone, client):
    page = text_of(client.get("/"))

    assert "1 of 3 open milestones have a planned date" in page


def test_the_api_states_coverage_reported_totals_and_the_free_land_basis(zone, client):
    listed = client.get("/api/zones/").json()["results"][0]
    detail = client.get("/api/zones/aiic/").json()

    assert listed["free_land_acres"] == 3143.0
    assert listed["free_land_basis"] == "records"
    assert listed["free_land_records"] == 2
    assert detail["free_land_records"] == 2
    finder = text_of(client.get("/zones/"))
    assert "3143 from 2 firm records" in finder
    rows = list(csv.reader(io.StringIO(_csv(client))))
    assert rows[1][rows[0].index("Free land: firm records")] == "2"
    assert detail["free_land_basis"] == "records"
    assert detail["coverage"] == {
        "firms": 2,
        "firms_with_acres": 2,
        "milestones": 3,
        "milestones_dated": 1,
    }
    assert detail["plots"]["plot_records"] == 1
    (jobs,) = detail["reported_totals"]
    assert jobs["metric"] == "jobs"
    assert (jobs["reported"], jobs["recorded"], jobs["records"]) == (2000.0, 300.0, 1)
    assert jobs["coverage"] == pytest.approx(0.15)
    promise = detail["delivery"]["promises"][0]
    assert (promise["delivered"], promise["firms_reporting"]) == (300.0, 1)


def test_free_land_on_a_larger_reported_allotment_says_so_everywhere(zone, client):
    ReportedTotal.objects.create(
        zone=zone,
        metric="allotted_acres",
        value=Decimal("751"),
        as_of=datetime.date(2021, 7, 1),
        reported_by="CPEC Authority",
        source_url=SOURCE,
    )

    detail = client.get("/api/zones/aiic/").json()
    finder = text_of(client.get("/zones/"))
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(client.get("/zones/export.csv").streaming_content).decode("utf-8-sig")
            )
        )
    )

    assert (detail["free_land_acres"], detail["free_land_basis"]) == (2466.0, "reported")
    assert "2466 (reported allotment)" in finder
    header, row = rows
    assert row[header.index("Free land (acres)")] == "2466.00"
    assert row[header.index("Free land: allotment subtracted")] == "reported by the authority"
