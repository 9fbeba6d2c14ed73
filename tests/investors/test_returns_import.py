"""The bundle's returns sheet: imported whole or refused whole, every refusal as
``sheet:line: column: message``, idempotent; a firm's figures follow its imported returns;
the template workbook and the open data package carry the sheet."""

import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from investors.models import AnnualReturn, Firm
from tests.zones.test_importer import write_csv_bundle, write_xlsx_bundle
from zones.importer import BundleError, import_bundle, read_bundle
from zones.models import Zone

pytestmark = pytest.mark.django_db

ZONES = [
    ["slug", "name", "province", "status"],
    ["aiic", "Allama Iqbal Industrial City", "PK-PB", "under_development"],
    ["rashakai", "Rashakai SEZ", "PK-KP", "under_development"],
]  # fmt: skip
FIRMS = [
    ["zone", "name", "origin_country", "ownership", "status"],
    ["aiic", "Weaving Co", "PK", "domestic", "operating"],
    ["aiic", "Steel Co", "CN", "foreign", "operating"],
    ["rashakai", "Tiles Co", "CN", "foreign", "operating"],
]  # fmt: skip
HEADER = [
    "zone", "firm", "year", "employees", "employees_local", "employees_women",
    "employees_trained", "exports_usd", "export_markets", "domestic_sales_usd", "imports_usd",
    "local_inputs_share", "investment_to_date_usd", "source_url",
]  # fmt: skip
RETURNS = [
    HEADER,
    ["aiic", "Weaving Co", "2023", "400", "350", "120", "40", "1500000", "CN;AE", "200000",
     "900000", "0.35", "12000000", "https://example.org/apr-2023"],
    ["aiic", "Weaving Co", "2024", "450", "", "", "", "1800000", "CN;AE;GB", "", "", "", "", ""],
    ["aiic", "Steel Co", "2024", "", "", "", "", "", "", "", "", "", "", ""],
]  # fmt: skip
BUNDLE = {"zones": ZONES, "firms": FIRMS, "returns": RETURNS}


def _with_row(row: list[str]) -> dict:
    bundle = {name: [list(r) for r in rows] for name, rows in BUNDLE.items()}
    bundle["returns"].append(row)
    return bundle


def _row(**cells) -> list[str]:
    values = dict.fromkeys(HEADER, "")
    values.update(zone="aiic", firm="Steel Co", year="2022", employees="100")
    values.update(cells)
    return [values[column] for column in HEADER]


@pytest.fixture(params=["csv", "xlsx"])
def bundle_path(request, tmp_path):
    if request.param == "csv":
        return write_csv_bundle(tmp_path / "bundle", BUNDLE)
    return write_xlsx_bundle(tmp_path / "bundle.xlsx", BUNDLE)


def test_the_returns_sheet_imports(bundle_path):
    report = import_bundle(read_bundle(bundle_path))

    assert report.counts["returns"].created == 3
    weaving = Firm.objects.get(name="Weaving Co")
    first = AnnualReturn.objects.get(firm=weaving, year=2023)
    assert (first.employees, first.employees_local, first.employees_women) == (400, 350, 120)
    assert first.export_markets == ["CN", "AE"]
    assert first.local_inputs_share == Decimal("0.35")
    assert first.source_url == "https://example.org/apr-2023"
    assert first.zone.slug == "aiic"
    # The firm's current figures are its 2024 return's.
    weaving.refresh_from_db()
    assert (weaving.jobs_actual, weaving.exports_usd) == (450, Decimal(1800000))
    assert weaving.export_markets == ["CN", "AE", "GB"]


def test_importing_the_same_bundle_twice_changes_nothing(bundle_path):
    import_bundle(read_bundle(bundle_path))
    stamps = list(AnnualReturn.objects.order_by("pk").values_list("updated_at", flat=True))

    report = import_bundle(read_bundle(bundle_path))

    assert report.counts["returns"].unchanged == 3
    assert all(c.created == 0 and c.updated == 0 for c in report.counts.values())
    assert list(AnnualReturn.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_a_changed_return_is_an_update(tmp_path):
    import_bundle(read_bundle(write_csv_bundle(tmp_path / "first", BUNDLE)))
    bundle = {name: [list(r) for r in rows] for name, rows in BUNDLE.items()}
    bundle["returns"][2][3] = "460"  # Weaving Co's 2024 employees

    report = import_bundle(read_bundle(write_csv_bundle(tmp_path / "second", bundle)))

    assert report.counts["returns"].updated == 1
    assert [row.changed for row in report.rows if row.action == "updated"] == [["employees"]]
    assert Firm.objects.get(name="Weaving Co").jobs_actual == 460


NEXT_YEAR = str(timezone.localdate().year + 1)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (_row(employees_local="101"),
         "returns:5: employees_local: Local employees (101) cannot exceed employees (100)."),
        (_row(employees_women="101"),
         "returns:5: employees_women: Women employees (101) cannot exceed employees (100)."),
        (_row(employees_trained="101"),
         "returns:5: employees_trained: Employees trained (101) cannot exceed employees (100)."),
        (_row(employees="-1"),
         "returns:5: employees: Ensure this value is greater than or equal to 0."),
        (_row(local_inputs_share="1.2"),
         "returns:5: local_inputs_share: Ensure this value is less than or equal to 1."),
        (_row(local_inputs_share="-0.1"),
         "returns:5: local_inputs_share: Ensure this value is greater than or equal to 0."),
        (_row(year=NEXT_YEAR),
         f"returns:5: year: {NEXT_YEAR} is still to come: a return is for a year under way or "
         "past."),
        (_row(firm="Tiles Co"),
         "returns:5: firm: Firm 'Tiles Co' is of zone 'rashakai', not 'aiic': a return is filed "
         "in the firm's own zone."),
        (_row(firm="Nobody Ltd"),
         "returns:5: firm: Unknown firm 'Nobody Ltd' in zone 'aiic'"),
        (_row(export_markets="CN;XX"),
         "returns:5: export_markets: 'XX' is not an ISO 3166-1 alpha-2 country code."),
        (_row(export_markets="cn"),
         "returns:5: export_markets: 'cn' is not a two-letter upper-case ISO country code."),
        (_row(exports_usd="-5"),
         "returns:5: exports_usd: Ensure this value is greater than or equal to 0."),
        (_row(firm="Weaving Co", year="2023"),
         "returns:5: year: Duplicate of line 2 (same natural key)."),
    ],
)  # fmt: skip
def test_each_refusal_names_sheet_line_and_column_and_saves_nothing(tmp_path, row, expected):
    with pytest.raises(BundleError) as refused:
        import_bundle(read_bundle(write_csv_bundle(tmp_path / "bundle", _with_row(row))))
    errors = [str(error) for error in refused.value.errors]

    assert any(error.startswith(expected) for error in errors), errors
    assert not Zone.objects.exists()
    assert not AnnualReturn.objects.exists()


def test_the_template_workbook_has_the_returns_sheet():
    from workspace.imports.template_workbook import build_template_workbook

    workbook = load_workbook(io.BytesIO(build_template_workbook()))
    assert "returns" in workbook.sheetnames
    header = [cell.value for cell in workbook["returns"][1]]
    assert set(header) == set(HEADER) | {"illustrative", "verified_on"}
