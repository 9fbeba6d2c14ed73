"""The zone page's plots: investors see what is on offer and whom to ask; officials also see
the possession register with idle plots, the utility clock by provider and outages with
developer and tenant reports side by side."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import (
    FirmFactory,
    OutageFactory,
    PlotFactory,
    UtilityRequestFactory,
    ZoneFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def _text(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def zone():
    zone = ZoneFactory(slug="aiic", developer="FIEDMC", investor_contact="FIEDMC plots desk")
    firm = FirmFactory(zone=zone, name="Weaving Co")
    PlotFactory(
        zone=zone, number="A-20", acres=Decimal("20"), price_per_acre_pkr=Decimal(3_000_000)
    )
    PlotFactory(zone=zone, number="G-1", acres=Decimal("50"), land_use="amenity")
    PlotFactory(zone=zone, number="S-9", acres=Decimal("4"), status="allotted", firm=firm,
                allotted_on=D(2020, 1, 1))  # fmt: skip
    UtilityRequestFactory(zone=zone, firm=firm, kind="gas", provider="SNGPL",
                          applied_on=D(2023, 1, 5))  # fmt: skip
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    for reporter, hours in (("developer", 10), ("tenant", 74)):
        OutageFactory(zone=zone, kind="electricity", reported_by=reporter, month=last_month,
                      hours=Decimal(hours))  # fmt: skip
    return zone


def test_investors_see_the_plots_on_offer_and_whom_to_ask_but_not_the_register(client, zone):
    page = _text(client.get("/zones/aiic/"))

    assert "Plots available" in page
    assert "A-20 " in page and "3,000,000" in page and " 99 " in page  # price, lease years
    assert "G-1" not in page  # amenity land is never offered
    assert "FIEDMC plots desk" in page
    assert (
        "Possession register" not in page
        and "Weaving Co" not in page.split("Plots")[1].split("Land disputes")[0]
    )
    assert "Utility clock" not in page


def test_the_contact_falls_back_to_the_developer(client):
    zone = ZoneFactory(slug="bare", developer="Bare Developer Ltd", investor_contact="")
    PlotFactory(zone=zone)
    assert "Contact: Bare Developer Ltd" in _text(client.get("/zones/bare/"))


def test_officials_see_possession_idle_plots_the_clock_and_outages_side_by_side(client, zone):
    client.force_login(make_user("official"))
    page = _text(client.get("/zones/aiic/"))

    register = page.split("Possession register")[1]
    assert "S-9 Weaving Co 4 " in register
    assert "Allotted idle" in register  # allotted in 2020, nothing started since
    clock = page.split("Utility clock")[1]
    assert "Gas SNGPL 0 — 1 " in clock
    outages = page.split("Outages over the last 12 whole months")[1]
    assert re.search(r"Electricity 10 \d+ % 74 10 %", outages), outages[:300]


def test_the_plot_section_costs_a_fixed_number_of_queries(client, zone):
    client.force_login(make_user("official"))
    client.get("/zones/aiic/")
    with CaptureQueriesContext(connection) as few:
        client.get("/zones/aiic/")
    firm = FirmFactory(zone=zone)
    for index in range(10):
        PlotFactory(
            zone=zone, number=f"M-{index}", status="allotted", firm=firm, allotted_on=D(2024, 1, 1)
        )
        PlotFactory(zone=zone, number=f"N-{index}")
        UtilityRequestFactory(zone=zone, firm=firm, provider=f"P{index}")
    client.get("/zones/aiic/")
    with CaptureQueriesContext(connection) as many:
        client.get("/zones/aiic/")
    assert len(many) == len(few)
