"""Plots, utility requests and outage reports: the database refuses every rule of DOMAIN.md
(version 2) whatever code path writes, and a firm's allotted acres follow its plots."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from investors.models import Firm
from tests.factories import (
    FirmFactory,
    OutageFactory,
    PlotFactory,
    UtilityRequestFactory,
    ZoneFactory,
)
from zones.models import OutageReport, Plot, UtilityRequest, ZoneAllotment
from zones.vocabulary import FirmStatus, LandUse, PlotStatus, RequestStatus, Tenure

pytestmark = pytest.mark.django_db

D = datetime.date


def _refused(model, pk, **values):
    """Write ``values`` with a bare UPDATE (no model validation) and expect the DB to refuse."""
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**values)


def _allotted(plot_zone, firm, acres="10", **dates):
    return PlotFactory(
        zone=plot_zone,
        firm=firm,
        status=PlotStatus.ALLOTTED,
        acres=Decimal(acres),
        allotted_on=dates.pop("allotted_on", D(2023, 1, 1)),
        **dates,
    )


# --- Plots ---------------------------------------------------------------------------------


def test_one_plot_number_per_zone():
    plot = PlotFactory(number="A-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlotFactory(zone=plot.zone, number="A-1")
    PlotFactory(number="A-1")  # another zone may use it


@pytest.mark.parametrize("acres", [Decimal(0), Decimal("-1")])
def test_acres_must_be_positive(acres):
    plot = PlotFactory()
    _refused(Plot, plot.pk, acres=acres)


def test_price_cannot_be_negative():
    plot = PlotFactory()
    _refused(Plot, plot.pk, price_per_acre_pkr=Decimal("-1"))
    Plot.objects.filter(pk=plot.pk).update(price_per_acre_pkr=None)  # unknown price is fine


def test_lease_years_only_for_lease():
    plot = PlotFactory(tenure=Tenure.SALE, lease_years=None)
    _refused(Plot, plot.pk, lease_years=30)


def test_reserved_or_allotted_plot_needs_a_firm_and_others_have_none():
    plot = PlotFactory()
    firm = FirmFactory(zone=plot.zone)
    _refused(Plot, plot.pk, status=PlotStatus.ALLOTTED)
    _refused(Plot, plot.pk, status=PlotStatus.RESERVED)
    _refused(Plot, plot.pk, firm=firm)  # an available plot names no firm
    Plot.objects.filter(pk=plot.pk).update(status=PlotStatus.RESERVED, firm=firm)


def test_amenity_is_never_reserved_or_allotted():
    plot = PlotFactory(land_use=LandUse.AMENITY)
    firm = FirmFactory(zone=plot.zone)
    _refused(Plot, plot.pk, status=PlotStatus.RESERVED, firm=firm)
    _refused(Plot, plot.pk, status=PlotStatus.ALLOTTED, firm=firm)


def test_dates_only_on_allotted_plots_and_in_order():
    plot = PlotFactory()
    firm = FirmFactory(zone=plot.zone)
    _refused(Plot, plot.pk, allotted_on=D(2023, 1, 1))
    _refused(Plot, plot.pk, status=PlotStatus.RESERVED, firm=firm, possession_on=D(2023, 1, 1))
    allotted = _allotted(plot.zone, firm)
    _refused(Plot, allotted.pk, possession_on=D(2022, 12, 31))
    # a gap is fine, but a later step still cannot come before an earlier one
    Plot.objects.filter(pk=allotted.pk).update(construction_started_on=D(2023, 6, 1))
    _refused(Plot, allotted.pk, possession_on=D(2023, 7, 1))
    _refused(Plot, allotted.pk, production_started_on=D(2023, 5, 1))


def test_the_firm_must_belong_to_the_plot_zone():
    plot = PlotFactory.build(
        zone=ZoneFactory(), firm=FirmFactory(), status=PlotStatus.RESERVED, number="X"
    )
    with pytest.raises(ValidationError) as refused:
        plot.full_clean()
    assert "firm" in refused.value.message_dict


# --- Allotted acres: one source of truth --------------------------------------------------


def test_firm_allotted_acres_follow_its_allotted_plots():
    zone = ZoneFactory()
    firm = FirmFactory(zone=zone, allotted_acres=Decimal("99"), status=FirmStatus.ALLOTTED)
    first = _allotted(zone, firm, "10")
    firm.refresh_from_db()
    assert firm.allotted_acres == Decimal("10")

    _allotted(zone, firm, "2.5")
    PlotFactory(zone=zone, firm=firm, status=PlotStatus.RESERVED, acres=Decimal("40"))
    firm.refresh_from_db()
    assert firm.allotted_acres == Decimal("12.5")  # a reservation is not an allotment
    assert ZoneAllotment.objects.get(zone=zone).allotted_acres == Decimal("12.5")

    Plot.objects.filter(pk=first.pk).update(
        status=PlotStatus.CANCELLED, firm=None, allotted_on=None
    )
    firm.refresh_from_db()
    assert firm.allotted_acres == Decimal("2.5")
    assert ZoneAllotment.objects.get(zone=zone).allotted_acres == Decimal("2.5")


def test_moving_a_plot_between_firms_updates_both():
    zone = ZoneFactory()
    old, new = FirmFactory(zone=zone), FirmFactory(zone=zone)
    plot = _allotted(zone, old, "8")
    plot.firm = new
    plot.save()
    assert Firm.objects.get(pk=old.pk).allotted_acres == Decimal(0)
    assert Firm.objects.get(pk=new.pk).allotted_acres == Decimal("8")


def test_a_zone_without_plots_keeps_the_firm_figure():
    firm = FirmFactory(allotted_acres=Decimal("33"))
    PlotFactory()  # a plot in another zone
    firm.refresh_from_db()
    assert firm.allotted_acres == Decimal("33")


# --- Utility requests ----------------------------------------------------------------------


def test_one_request_reference_per_zone():
    request = UtilityRequestFactory(reference="R-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        UtilityRequestFactory(zone=request.zone, firm=request.firm, reference="R-1")


def test_connected_request_needs_a_connection_on_or_after_its_application():
    request = UtilityRequestFactory(applied_on=D(2024, 3, 1))
    _refused(UtilityRequest, request.pk, status=RequestStatus.CONNECTED)
    _refused(
        UtilityRequest, request.pk, status=RequestStatus.CONNECTED, connected_on=D(2024, 2, 28)
    )
    _refused(UtilityRequest, request.pk, connected_on=D(2024, 4, 1))  # still waiting
    UtilityRequest.objects.filter(pk=request.pk).update(
        status=RequestStatus.CONNECTED, connected_on=D(2024, 3, 1)
    )


# --- Outage reports ------------------------------------------------------------------------


def test_one_report_per_zone_kind_month_and_reporter():
    report = OutageFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        OutageFactory(zone=report.zone, month=report.month)


@pytest.mark.parametrize(
    ("month", "hours", "allowed"),
    [
        (D(2024, 2, 1), Decimal(696), True),  # 29 days of a leap February
        (D(2024, 2, 1), Decimal("696.1"), False),
        (D(2025, 2, 1), Decimal(673), False),  # 28 days: 672 hours
        (D(2025, 1, 1), Decimal(744), True),
        (D(2025, 1, 1), Decimal("-0.5"), False),
        (D(2025, 1, 2), Decimal(1), False),  # not the first of the month
    ],
)
def test_hours_within_the_month(month, hours, allowed):
    report = OutageFactory()
    if allowed:
        OutageReport.objects.filter(pk=report.pk).update(month=month, hours=hours)
    else:
        _refused(OutageReport, report.pk, month=month, hours=hours)


# --- Admin ---------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["plot", "utilityrequest", "outagereport"])
def test_admin_lists_the_new_records(admin_client, model):
    PlotFactory()
    UtilityRequestFactory()
    OutageFactory()
    page = admin_client.get(f"/admin/zones/{model}/")
    assert page.status_code == 200


def test_admin_refuses_an_allotted_plot_without_a_firm_and_saves_nothing(admin_client):
    zone = ZoneFactory()
    page = admin_client.post(
        "/admin/zones/plot/add/",
        {
            "zone": zone.pk, "number": "B-7", "acres": "4", "land_use": LandUse.INDUSTRIAL,
            "status": PlotStatus.ALLOTTED, "tenure": Tenure.SALE,
            "allotted_on": "2024-01-01",
        },
    )  # fmt: skip
    assert page.status_code == 200
    assert "A reserved or allotted plot needs its firm" in page.content.decode()
    assert not Plot.objects.exists()
