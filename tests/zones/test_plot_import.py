"""The bundle's plots, utility_requests and outages sheets: imported whole or refused whole,
every refusal as ``sheet:line: column: message``, idempotent, and the allotted-acres check on
the bundle's final state (firms and plots together)."""

import datetime
from decimal import Decimal

import pytest

from investors.models import Firm
from tests.factories import FirmFactory, PlotFactory, ZoneFactory
from tests.zones.test_importer import write_csv_bundle, write_xlsx_bundle
from zones.importer import BundleError, import_bundle, read_bundle
from zones.models import OutageReport, Plot, UtilityRequest, Zone, ZoneAllotment

pytestmark = pytest.mark.django_db

ZONES = [
    ["slug", "name", "province", "area_acres", "status", "investor_contact"],
    ["aiic", "Allama Iqbal Industrial City", "PK-PB", "3217", "under_development",
     "FIEDMC, Faisalabad"],
]  # fmt: skip
FIRMS = [
    ["zone", "name", "origin_country", "ownership", "status", "allotted_acres", "allotted_on"],
    ["aiic", "Weaving Co", "PK", "domestic", "under_construction", "12.5", "2022-01-10"],
    ["aiic", "Steel Co", "CN", "foreign", "allotted", "0", ""],
]  # fmt: skip
PLOTS = [
    ["zone", "number", "acres", "land_use", "tenure", "price_per_acre_pkr", "lease_years",
     "status", "firm", "allotted_on", "possession_on", "construction_started_on",
     "production_started_on", "source_url"],
    ["aiic", "A-1", "10", "industrial", "sale", "30000000", "", "allotted", "Weaving Co",
     "2022-01-10", "2022-03-01", "2022-06-01", "", ""],
    ["aiic", "A-2", "2.5", "industrial", "lease", "", "30", "allotted", "Weaving Co",
     "2022-01-10", "", "", "", ""],
    ["aiic", "A-3", "20", "industrial", "lease", "1500000", "99", "available", "", "", "", "",
     "", "https://example.org/plots"],
    ["aiic", "A-4", "8", "warehousing", "sale", "", "", "reserved", "Steel Co", "", "", "", "",
     ""],
    ["aiic", "G-1", "15", "amenity", "sale", "", "", "available", "", "", "", "", "", ""],
]  # fmt: skip
REQUESTS = [
    ["zone", "reference", "firm", "kind", "requested_capacity", "unit", "provider",
     "applied_on", "connected_on", "status"],
    ["aiic", "FESCO-17", "Weaving Co", "electricity", "2", "MW", "FESCO", "2022-07-01",
     "2022-09-29", "connected"],
    ["aiic", "SNGPL-4", "Weaving Co", "gas", "", "", "SNGPL", "2023-01-05", "", "waiting"],
]  # fmt: skip
OUTAGES = [
    ["zone", "kind", "month", "reported_by", "hours", "source_url"],
    ["aiic", "electricity", "2025-01", "developer", "12", ""],
    ["aiic", "electricity", "2025-01", "tenant", "40.5", ""],
    ["aiic", "gas", "2024-02", "tenant", "696", ""],
]  # fmt: skip

BUNDLE = {
    "zones": ZONES,
    "firms": FIRMS,
    "plots": PLOTS,
    "utility_requests": REQUESTS,
    "outages": OUTAGES,
}


def _bundle(**changes) -> dict:
    bundle = {name: [list(row) for row in rows] for name, rows in BUNDLE.items()}
    for sheet, rows in changes.items():
        bundle[sheet] = rows
    return bundle


def _with_row(sheet: str, row: list[str]) -> dict:
    bundle = _bundle()
    bundle[sheet].append(row)
    return bundle


def _errors(tmp_path, bundle) -> list[str]:
    with pytest.raises(BundleError) as refused:
        import_bundle(read_bundle(write_csv_bundle(tmp_path / "bundle", bundle)))
    return [str(error) for error in refused.value.errors]


@pytest.fixture(params=["csv", "xlsx"])
def bundle_path(request, tmp_path):
    if request.param == "csv":
        return write_csv_bundle(tmp_path / "bundle", BUNDLE)
    return write_xlsx_bundle(tmp_path / "bundle.xlsx", BUNDLE)


def test_the_three_sheets_import(bundle_path):
    report = import_bundle(read_bundle(bundle_path))

    zone = Zone.objects.get(slug="aiic")
    assert zone.investor_contact == "FIEDMC, Faisalabad"
    weaving = Firm.objects.get(name="Weaving Co")
    a1 = Plot.objects.get(number="A-1")
    assert (a1.firm, a1.acres, a1.possession_on) == (
        weaving,
        Decimal(10),
        datetime.date(2022, 3, 1),
    )
    assert Plot.objects.get(number="A-4").firm.name == "Steel Co"
    assert Plot.objects.get(number="A-3").source_url == "https://example.org/plots"
    assert UtilityRequest.objects.get(reference="FESCO-17").connected_on == datetime.date(
        2022, 9, 29
    )
    gas = OutageReport.objects.get(kind="gas")
    assert (gas.month, gas.hours) == (datetime.date(2024, 2, 1), Decimal(696))
    assert report.counts["plots"].created == 5
    assert report.counts["utility_requests"].created == 2
    assert report.counts["outages"].created == 3
    weaving.refresh_from_db()
    assert weaving.allotted_acres == Decimal("12.5")
    assert ZoneAllotment.objects.get(zone=zone).allotted_acres == Decimal("12.5")


def test_importing_the_same_bundle_twice_changes_nothing(bundle_path):
    import_bundle(read_bundle(bundle_path))
    stamps = list(Plot.objects.order_by("number").values_list("updated_at", flat=True))

    report = import_bundle(read_bundle(bundle_path))

    assert all(c.created == 0 and c.updated == 0 for c in report.counts.values())
    assert list(Plot.objects.order_by("number").values_list("updated_at", flat=True)) == stamps


def test_a_plot_changing_hands_is_an_update(tmp_path):
    import_bundle(read_bundle(write_csv_bundle(tmp_path / "first", BUNDLE)))
    plots = [list(row) for row in PLOTS]
    plots[4][7:9] = ["reserved", "Weaving Co"]  # A-4 now reserved by the other firm

    report = import_bundle(read_bundle(write_csv_bundle(tmp_path / "second", _bundle(plots=plots))))

    assert report.counts["plots"].updated == 1
    assert [row.changed for row in report.rows if row.action == "updated"] == [["firm"]]
    assert Plot.objects.get(number="A-4").firm.name == "Weaving Co"


@pytest.mark.parametrize(
    ("sheet", "row", "expected"),
    [
        ("plots", ["aiic", "B-1", "5", "industrial", "sale", "", "", "allotted", "Nobody Ltd",
                   "2023-01-01", "", "", "", ""],
         "plots:7: firm: Unknown firm 'Nobody Ltd' in zone 'aiic'"),
        ("plots", ["aiic", "B-1", "5", "industrial", "sale", "", "", "allotted", "",
                   "2023-01-01", "", "", "", ""],
         "plots:7: firm: A reserved or allotted plot needs its firm."),
        ("plots", ["aiic", "B-1", "5", "industrial", "sale", "", "", "available", "Steel Co",
                   "", "", "", "", ""],
         "plots:7: firm: Only a reserved or allotted plot names a firm."),
        ("plots", ["aiic", "B-1", "5", "industrial", "sale", "-1", "", "available", "", "", "",
                   "", "", ""],
         "plots:7: price_per_acre_pkr: Ensure this value is greater than or equal to 0."),
        ("plots", ["aiic", "B-1", "0", "industrial", "sale", "", "", "available", "", "", "", "",
                   "", ""],
         "plots:7: acres: A plot's acres must be greater than zero."),
        ("plots", ["aiic", "B-1", "5", "amenity", "sale", "", "", "reserved", "Steel Co", "",
                   "", "", "", ""],
         "plots:7: status: An amenity plot is never reserved or allotted."),
        ("plots", ["aiic", "B-1", "5", "industrial", "sale", "", "30", "available", "", "", "",
                   "", "", ""],
         "plots:7: lease_years: Lease years are given only for a plot offered on lease."),
        ("plots", ["aiic", "B-1", "5", "industrial", "sale", "", "", "reserved", "Steel Co",
                   "", "2023-01-01", "", "", ""],
         "plots:7: status/allotted_on/construction_started_on/possession_on/"
         "production_started_on: Only an allotted plot has allotment or later dates."),
        ("utility_requests", ["aiic", "X-1", "Steel Co", "gas", "", "", "SNGPL", "2024-05-01",
                              "2024-04-30", "connected"],
         "utility_requests:4: connected_on: A request cannot be connected before it was applied "
         "for."),
        ("utility_requests", ["aiic", "X-1", "Steel Co", "sewerage", "", "", "", "2024-05-01",
                              "", "waiting"],
         "utility_requests:4: kind: Select a valid choice."),
        ("outages", ["aiic", "electricity", "2025-02", "tenant", "673", ""],
         "outages:5: hours: At most 672 hours in 2025-02, got 673."),
        ("outages", ["aiic", "electricity", "2025-13", "tenant", "1", ""],
         "outages:5: month: Expected a month as YYYY-MM, got '2025-13'."),
        ("outages", ["aiic", "electricity", "2025-01", "tenant", "2", ""],
         "outages:5: reported_by: Duplicate of line 3 (same natural key)."),
    ],
)  # fmt: skip
def test_each_refusal_names_sheet_line_and_column_and_saves_nothing(tmp_path, sheet, row, expected):
    errors = _errors(tmp_path, _with_row(sheet, row))

    assert any(error.startswith(expected) for error in errors), errors
    assert not Zone.objects.filter(slug="aiic").exists()
    assert not Plot.objects.exists()


def test_overlapping_dates_are_refused_with_their_columns(tmp_path):
    errors = _errors(
        tmp_path,
        _with_row("plots", ["aiic", "B-1", "5", "industrial", "sale", "", "", "allotted",
                            "Steel Co", "2023-05-01", "2023-04-01", "", "", ""]),
    )  # fmt: skip
    assert any(e.startswith("plots:7: allotted_on/possession_on") for e in errors), errors


def test_a_firm_row_disagreeing_with_its_allotted_plots_is_refused(tmp_path):
    firms = [list(row) for row in FIRMS]
    firms[1][5] = "40"  # the plots give 12.5

    errors = _errors(tmp_path, _bundle(firms=firms))

    assert errors == [
        "firms:2: allotted_acres: The firm's allotted plots add up to 12.5 acres but this row "
        "says 40: where a zone records plots, they decide a firm's allotted acres."
    ]
    assert not Plot.objects.exists()


def test_the_check_reads_the_final_state_of_stored_plots_and_the_bundle(tmp_path):
    zone = ZoneFactory(slug="aiic")
    steel = FirmFactory(zone=zone, name="Steel Co", allotted_acres=Decimal(0))
    PlotFactory(zone=zone, number="OLD-1", status="reserved", firm=steel)
    bundle = {
        "firms": [FIRMS[0], ["aiic", "Steel Co", "CN", "foreign", "allotted", "6", ""]],
        # the stored plot becomes allotted in this same bundle: 6 acres
        "plots": [PLOTS[0], ["aiic", "OLD-1", "6", "industrial", "sale", "", "", "allotted",
                             "Steel Co", "2024-01-01", "", "", "", ""]],
    }  # fmt: skip

    import_bundle(read_bundle(write_csv_bundle(tmp_path / "bundle", bundle)))

    steel.refresh_from_db()
    assert steel.allotted_acres == Decimal(6)


def test_within_a_hundredth_of_an_acre_is_agreement(tmp_path):
    firms = [list(row) for row in FIRMS]
    firms[1][5] = "12.51"
    import_bundle(read_bundle(write_csv_bundle(tmp_path / "bundle", _bundle(firms=firms))))
    # the plots decide: the firm's figure follows them
    assert Firm.objects.get(name="Weaving Co").allotted_acres == Decimal("12.5")


def test_zones_without_plots_keep_their_firms_figures(tmp_path):
    bundle = {"zones": ZONES, "firms": [FIRMS[0], ["aiic", "Other", "PK", "domestic",
                                                   "operating", "77", ""]]}  # fmt: skip
    import_bundle(read_bundle(write_csv_bundle(tmp_path / "bundle", bundle)))
    assert Firm.objects.get(name="Other").allotted_acres == Decimal(77)
