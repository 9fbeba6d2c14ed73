"""Plots, the units' utility requests and outage reports go through review like the other
records: the zone's editors propose, its reviewers approve, the records' rules hold."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    FirmFactory,
    OutageFactory,
    PlotFactory,
    UtilityRequestFactory,
    ZoneFactory,
    make_user,
)
from tests.html import text_of
from workspace.models import ChangeRequest, ChangeRequestStatus
from workspace.review import services
from zones.models import OutageReport, Plot, UtilityRequest
from zones.vocabulary import PlotStatus, Reporter, RequestStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    return ZoneFactory(name="Allama Iqbal", province__code="PK-PB")


@pytest.fixture
def firm(zone):
    return FirmFactory(zone=zone, name="Loom Works", allotted_acres=None)


@pytest.fixture
def plot(zone):
    return PlotFactory(zone=zone, number="A-1", acres=Decimal("12.5"))


@pytest.fixture
def editor(zone):
    return make_user("editor", provinces=["PK-PB"], username="editor")


@pytest.fixture
def reviewer():
    return make_user("reviewer", provinces=["PK-PB"], username="reviewer")


def edit_url(kind: str, record) -> str:
    return reverse("workspace:edit", args=[kind, record.pk])


def form_data(client, kind: str, record, **changes) -> dict:
    """The form as it opens for ``record`` (its current values), with ``changes``."""
    form = client.get(edit_url(kind, record)).context["form"]
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        data[name] = "" if value is None else value
    data["comment"] = "Per the developer's allotment letter."
    data.update(changes)
    return data


def submit(client, kind: str, record, **changes):
    return client.post(edit_url(kind, record), form_data(client, kind, record, **changes))


def approve(client, reviewer) -> object:
    client.force_login(reviewer)
    return client.post(reverse("workspace:approve", args=[ChangeRequest.objects.get().pk]))


def test_allotting_a_plot_waits_for_review_then_applies_and_sets_the_firms_acres(
    client, editor, reviewer, plot, firm
):
    client.force_login(editor)

    response = submit(
        client, "plot", plot, status="allotted", firm=firm.pk, allotted_on="2025-03-01"
    )

    assert response.status_code == 302
    plot.refresh_from_db()
    assert plot.status == PlotStatus.AVAILABLE and plot.firm is None
    assert ChangeRequest.objects.get().proposed["firm"] == firm.pk

    response = approve(client, reviewer)

    assert response.status_code == 302
    plot.refresh_from_db()
    assert (plot.status, plot.firm, plot.allotted_on) == (
        PlotStatus.ALLOTTED,
        firm,
        datetime.date(2025, 3, 1),
    )
    firm.refresh_from_db()
    assert firm.allotted_acres == Decimal("12.5")  # the plots are the source of truth
    assert ChangeRequest.objects.get().status == ChangeRequestStatus.APPROVED
    assert plot.history.first().history_user == reviewer


def test_the_review_page_names_the_firm_not_its_id(client, editor, reviewer, plot, firm):
    client.force_login(editor)
    submit(client, "plot", plot, status="reserved", firm=firm.pk)
    client.force_login(reviewer)

    page = text_of(client.get(reverse("workspace:review", args=[ChangeRequest.objects.get().pk])))

    assert "Loom Works" in page


def test_an_allotted_plot_without_a_firm_is_refused_with_the_rules_message(client, editor, plot):
    client.force_login(editor)

    response = submit(client, "plot", plot, status="allotted", allotted_on="2025-03-01")

    assert response.status_code == 200
    assert "A reserved or allotted plot needs its firm" in text_of(response)
    assert not ChangeRequest.objects.exists()


def test_a_firm_of_another_zone_cannot_be_chosen(client, editor, plot):
    elsewhere = FirmFactory(zone=ZoneFactory(province__code="PK-PB"))
    client.force_login(editor)

    response = submit(client, "plot", plot, status="reserved", firm=elsewhere.pk)

    assert response.status_code == 200
    assert "Select a valid choice" in text_of(response)
    assert not ChangeRequest.objects.exists()


def test_a_proposal_that_breaks_a_rule_by_approval_is_refused_and_nothing_applied(
    client, editor, reviewer, zone, firm
):
    # Valid when proposed; by approval the firm has left the zone, so the plot would be
    # held by a firm of another zone.
    plot = PlotFactory(zone=zone)
    client.force_login(editor)
    submit(client, "plot", plot, status="reserved", firm=firm.pk)
    type(firm).objects.filter(pk=firm.pk).update(zone=ZoneFactory())

    response = approve(client, reviewer)

    assert response.status_code == 302
    page = text_of(client.get(response.url))
    assert "The firm must belong to the plot&#x27;s zone." in page
    plot.refresh_from_db()
    assert plot.status == PlotStatus.AVAILABLE and plot.firm is None
    assert ChangeRequest.objects.get().status == ChangeRequestStatus.PENDING


def test_a_proposal_tampered_after_submission_is_checked_again_at_approval(
    client, editor, reviewer, plot, firm
):
    client.force_login(editor)
    submit(client, "plot", plot, status="reserved", firm=firm.pk)
    change_request = ChangeRequest.objects.get()
    change_request.proposed = {**change_request.proposed, "acres": "0"}
    change_request.save()

    with pytest.raises(services.ValidationError) as refused:
        services.change_request_approve(change_request=change_request, reviewer=reviewer)

    assert "greater than zero" in " ".join(refused.value.messages)
    plot.refresh_from_db()
    assert plot.acres == Decimal("12.5") and plot.status == PlotStatus.AVAILABLE
    assert ChangeRequest.objects.get().status == ChangeRequestStatus.PENDING


def test_a_rule_the_database_refuses_becomes_its_message_and_nothing_is_written(plot):
    plot.acres = Decimal("0")  # past the model's validation, straight to PostgreSQL

    with pytest.raises(services.ValidationError) as refused:
        services.save_checked(plot)

    assert refused.value.messages == [
        "This update breaks a rule of the records and was not applied: "
        "A plot's acres must be greater than zero."
    ]
    assert Plot.objects.get(pk=plot.pk).acres == Decimal("12.5")


def test_an_editor_of_another_province_cannot_propose(client, plot, zone, firm):
    request = UtilityRequestFactory(zone=zone, firm=firm)
    outage = OutageFactory(zone=zone)
    client.force_login(make_user("editor", provinces=["PK-SD"]))

    for kind, record in (("plot", plot), ("utility_request", request), ("outage", outage)):
        assert client.get(edit_url(kind, record)).status_code == 403
        response = client.post(edit_url(kind, record), {"comment": "x", "base": "x"})
        assert response.status_code == 403
    assert not ChangeRequest.objects.exists()


def test_a_connection_is_recorded_through_review(client, editor, reviewer, zone, firm):
    request = UtilityRequestFactory(
        zone=zone, firm=firm, provider="FESCO", applied_on=datetime.date(2024, 1, 10)
    )
    client.force_login(editor)

    submit(client, "utility_request", request, status="connected", connected_on="2024-03-01")
    approve(client, reviewer)

    request.refresh_from_db()
    assert request.status == RequestStatus.CONNECTED
    assert request.connected_on == datetime.date(2024, 3, 1)


def test_a_connection_before_the_application_is_refused(client, editor, zone, firm):
    request = UtilityRequestFactory(zone=zone, firm=firm, applied_on=datetime.date(2024, 1, 10))
    client.force_login(editor)

    response = submit(
        client, "utility_request", request, status="connected", connected_on="2023-12-01"
    )

    assert response.status_code == 200
    assert "needs a connection date on or after its application" in text_of(response)
    assert UtilityRequest.objects.get().status == RequestStatus.WAITING
    assert not ChangeRequest.objects.exists()


def test_outage_hours_are_corrected_through_review_within_the_months_hours(
    client, editor, reviewer, zone
):
    outage = OutageFactory(
        zone=zone, month=datetime.date(2025, 2, 1), reported_by=Reporter.TENANT, hours=12
    )
    client.force_login(editor)

    refused = submit(client, "outage", outage, hours="672.5")  # February 2025: 672 hours
    assert refused.status_code == 200
    assert "between 0 and the hours of the month" in text_of(refused)
    assert not ChangeRequest.objects.exists()

    submit(client, "outage", outage, hours="40")
    approve(client, reviewer)

    assert OutageReport.objects.get().hours == Decimal("40")


def test_approval_is_refused_when_the_plot_changed_since_submission(client, editor, reviewer, plot):
    client.force_login(editor)
    submit(client, "plot", plot, price_per_acre_pkr="3000000")
    Plot.objects.filter(pk=plot.pk).update(price_per_acre_pkr=Decimal("2800000"))

    response = approve(client, reviewer)

    assert response.status_code == 409
    assert "Someone changed this record" in response.content.decode()
    plot.refresh_from_db()
    assert plot.price_per_acre_pkr == Decimal("2800000")


def test_the_workspace_lists_the_zones_plots_requests_and_recent_outages(
    client, editor, plot, zone, firm
):
    request = UtilityRequestFactory(zone=zone, firm=firm, reference="GAS-7", provider="SNGPL")
    today = datetime.date.today()
    recent = OutageFactory(zone=zone, month=today.replace(day=1), hours=9)
    OutageFactory(zone=zone, month=datetime.date(today.year - 3, 1, 1), hours=99)
    client.force_login(editor)

    response = client.get(reverse("workspace:home"))

    html = response.content.decode()
    assert f'href="{edit_url("plot", plot)}"' in html
    assert f'href="{edit_url("utility_request", request)}"' in html
    assert f'href="{edit_url("outage", recent)}"' in html
    page = text_of(response)
    assert "A-1" in page and "GAS-7" in page and "(SNGPL)" in page
    assert f"{today:%Y-%m}" in page
    assert f"{today.year - 3}-01" not in page  # older than the last 12 months


def test_a_firms_allotted_acres_follow_its_plots_where_the_zone_records_plots(
    client, editor, zone, firm
):
    PlotFactory(zone=zone, acres=Decimal("8"), status=PlotStatus.ALLOTTED, firm=firm,
                allotted_on=datetime.date(2024, 1, 1))  # fmt: skip
    firm.refresh_from_db()
    assert firm.allotted_acres == Decimal("8")
    client.force_login(editor)

    refused = submit(client, "firm", firm, allotted_acres="20")
    jobs = submit(client, "firm", firm, jobs_actual="75")

    assert refused.status_code == 200
    assert "the firm&#x27;s allotted acres are those of its allotted plots (8.00 acres)" in (
        refused.content.decode()
    )
    assert jobs.status_code == 302
    assert ChangeRequest.objects.get().proposed["jobs_actual"] == 75


def test_a_firms_allotted_acres_stay_its_own_where_the_zone_records_no_plots(client, editor):
    firm = FirmFactory(zone=ZoneFactory(province__code="PK-PB"), allotted_acres=Decimal("10"))
    client.force_login(editor)

    response = submit(client, "firm", firm, allotted_acres="20")

    assert response.status_code == 302
    assert ChangeRequest.objects.get().proposed["allotted_acres"] == "20"


def test_the_workspace_reads_the_plot_records_in_a_fixed_number_of_queries(client, editor):
    def zone_with_records():
        zone = ZoneFactory(province__code="PK-PB")
        firm = FirmFactory(zone=zone)
        PlotFactory(zone=zone)
        PlotFactory(zone=zone, status=PlotStatus.RESERVED, firm=firm)
        UtilityRequestFactory(zone=zone, firm=firm)
        OutageFactory(zone=zone, month=datetime.date.today().replace(day=1))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("workspace:home")).status_code == 200
        return len(captured)

    client.force_login(editor)
    zone_with_records()
    few = queries()
    for _ in range(4):
        zone_with_records()

    assert queries() == few
