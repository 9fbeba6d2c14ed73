"""The demo bundle says of itself what its files hold, and holds what the audit corrected."""

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from investors.models import Firm
from zones.models import LandDispute, Milestone, UtilityConnection, Zone

DEMO = Path(__file__).resolve().parents[2] / "demo_data"
ROW = re.compile(r"^\| (\w+\.csv) \| (\d+) \| (\d+) \| (\d+) \|", re.MULTILINE)


def _counted_from_files() -> dict[str, tuple[int, int, int]]:
    counts = {}
    for path in sorted(DEMO.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        invented = sum(1 for row in rows if row.get("illustrative") == "true")
        counts[path.name] = (len(rows), len(rows) - invented, invented)
    return counts


def test_the_readme_states_per_file_how_many_records_are_real_and_how_many_illustrative():
    stated = {
        name: (int(rows), int(real), int(invented))
        for name, rows, real, invented in ROW.findall((DEMO / "README.md").read_text())
    }

    assert stated == _counted_from_files()


@pytest.fixture
def seeded(db):
    call_command("seed_demo")


def test_rashakai_power_states_what_is_energised_beside_what_the_line_was_built_for(seeded):
    power = UtilityConnection.objects.get(zone__slug="rashakai", kind="electricity")
    gas = UtilityConnection.objects.get(zone__slug="rashakai", kind="gas")
    milestone = Milestone.objects.get(zone__slug="rashakai", code="power_at_zero_point")

    assert (power.available_capacity, power.required_capacity) == (Decimal(10), Decimal(160))
    assert (gas.status, gas.available_capacity) == ("under_construction", None)
    assert (milestone.status, milestone.actual_date) == ("blocked", None)


def test_the_audited_claims_are_no_longer_made(seeded):
    mohmand = Milestone.objects.get(zone__slug="mohmand-marble-city", code="power_at_zero_point")
    psm = LandDispute.objects.get(reference="psm-land-allocation-2017")

    assert mohmand.status != "done"
    assert (psm.status, psm.resolved_on) == ("open", None)
    assert set(
        Zone.objects.filter(
            slug__in=["rachna-industrial-park", "oil-village-rawalpindi"]
        ).values_list("status", flat=True)
    ) == {"approved"}
    assert str(Zone.objects.get(slug="bin-qasim-industrial-park").approved_on) == "2014-07-22"
    assert not Firm.objects.filter(
        zone__slug__in=["dhabeji", "mirpur", "moqpondass"], is_illustrative=True
    ).exists()
    assert not Firm.objects.filter(
        zone__slug__in=["quaid-e-azam-business-park", "vehari"], allotted_on__isnull=False
    ).exists()
