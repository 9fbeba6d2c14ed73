"""Hostile spreadsheets (hypothesis): whatever arrives, the importer answers with a list of
errors or imports the whole bundle; it never crashes and never writes part of a bundle.
Formula-like text that gets in is exported neutralised. ``make fuzz`` runs many more examples."""

from __future__ import annotations

import csv
import io
import os
import zipfile

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, reject, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from investors.exports import FORMULA_PREFIXES
from investors.models import Firm
from tests.factories import ProvinceFactory, SectorFactory
from workspace.imports.reading import read_upload
from zones.importer import BundleError, import_bundle
from zones.models import LandDispute, Milestone, Target, UtilityConnection, Zone

pytestmark = pytest.mark.django_db
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_IMPORT_EXAMPLES", "40")),  # `make fuzz`: many more
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MODELS = (Zone, UtilityConnection, LandDispute, Milestone, Firm, Target)

ZONES = [
    ["slug", "name", "province", "district", "area_acres", "status", "sectors", "developer"],
    ["fuzz-one", "Fuzz One SEZ", "PK-PB", "Lahore", "1000", "approved", "textiles", "Dev Co"],
    ["fuzz-two", "Fuzz Two SEZ", "PK-SD", "Thatta", "500", "notified", "", ""],
]
MILESTONES = [
    ["zone", "code", "title", "responsible", "status", "planned_date"],
    ["fuzz-one", "notified", "Notified", "federal", "done", "2021-01-01"],
    ["fuzz-two", "groundbreaking", "Groundbreaking", "developer", "in_progress", "2024-06-30"],
]
FIRMS = [
    ["zone", "name", "origin_country", "ownership", "status", "allotted_acres"],
    ["fuzz-one", "Loom Works", "CN", "foreign", "operating", "12.5"],
]
BUNDLE = {"zones": ZONES, "milestones": MILESTONES, "firms": FIRMS}
FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(FORMULAS),
    st.text(alphabet="=+-@\t\r\n;,\"'\x00", max_size=12),
    st.integers(min_value=10_001, max_value=60_000).map(lambda n: "x" * n),  # a huge cell
)


@pytest.fixture(autouse=True)
def reference_data():
    for code in ("PK-PB", "PK-SD"):
        ProvinceFactory(code=code)
    SectorFactory(slug="textiles")


def _counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in MODELS)


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _zip(sheets: dict[str, list[list[str]]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, rows in sheets.items():
            archive.writestr(f"{name}.csv", _csv(rows))
    return out.getvalue()


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(title=name[:31] or "x")
        for row in rows:
            try:
                sheet.append(row)
            except IllegalCharacterError:
                reject()  # XLSX cannot hold this character at all: nothing to import
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _attempt(filename: str, data: bytes) -> tuple[str, tuple[int, ...]]:
    """Import the upload in a savepoint that is rolled back, so examples stay independent.
    Returns ("imported" or "refused", the row counts it left) and checks all-or-nothing."""
    before = _counts()
    with transaction.atomic():
        try:
            import_bundle(read_upload(filename=filename, data=data))
        except BundleError as exc:
            assert exc.errors, "a refusal lists its errors"
            for error in exc.errors:
                assert str(error).count(":") >= 2
            assert _counts() == before, "a refused bundle wrote nothing"
            outcome = "refused"
        else:
            outcome = "imported"
        after = _counts()
        transaction.set_rollback(True)
    return outcome, after


def _zone_names(filename: str, data: bytes) -> dict[str, str] | None:
    """The zones' names by slug that importing the upload gives (rolled back, like
    :func:`_attempt`), or None when the upload is refused."""
    with transaction.atomic():
        try:
            import_bundle(read_upload(filename=filename, data=data))
        except BundleError:
            names = None
        else:
            names = dict(Zone.objects.values_list("slug", "name"))
        transaction.set_rollback(True)
    return names


def test_the_clean_bundle_imports_whole():
    outcome, after = _attempt("bundle.zip", _zip(BUNDLE))

    assert outcome == "imported"
    assert after[:1] == (2,) and after[3:5] == (2, 1)


@FUZZ
@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".csv", ".xlsx", ".zip"]))
def test_random_bytes_never_crash_the_importer(data, suffix):
    name = "zones" + suffix

    outcome, after = _attempt(name, data)

    assert outcome == "refused" or after != _counts()


@FUZZ
@given(
    sheet=st.sampled_from(sorted(BUNDLE)),
    row=st.integers(min_value=0, max_value=2),
    column=st.integers(min_value=0, max_value=7),
    value=hostile_text,
    container=st.sampled_from(["zip", "xlsx"]),
)
def test_one_hostile_cell_imports_the_whole_bundle_or_none_of_it(
    sheet, row, column, value, container
):
    sheets = {name: [list(r) for r in rows] for name, rows in BUNDLE.items()}
    rows = sheets[sheet]
    row = min(row, len(rows) - 1)
    column = min(column, len(rows[row]) - 1)
    rows[row][column] = value
    data = _zip(sheets) if container == "zip" else _xlsx(sheets)
    empty = _counts()

    outcome, after = _attempt(f"bundle.{container}", data)

    if outcome == "imported":
        assert after[0] - empty[0] == 2  # every zone of the bundle, not some
        assert after[3] - empty[3] == 2 and after[4] - empty[4] == 1
    else:
        assert after == empty


@FUZZ
@given(
    text=st.text(
        alphabet=st.characters(min_codepoint=0xA0, max_codepoint=0x2FFF), min_size=1, max_size=20
    ),
    encoding=st.sampled_from(["utf-16", "latin-1", "cp1252", "utf-32"]),
)
@example(text="à\xa0\xa0", encoding="latin-1")  # E0 A0 A0: valid UTF-8 too (U+0800)
def test_a_csv_in_another_encoding_is_refused_whole(text, encoding):
    """A file that is not UTF-8 is refused whole. Bytes of another encoding that happen to
    be valid UTF-8 as well (Latin-1 or cp1252 ones can be) are not "another encoding":
    the importer reads them as UTF-8, and the zone's name is their UTF-8 reading."""
    rows = [list(r) for r in ZONES]
    rows[1][1] = text
    try:
        data = _csv(rows).decode("utf-8").encode(encoding)
    except UnicodeEncodeError:
        return
    if data == _csv(rows):
        return
    try:
        as_utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        as_utf8 = None

    if as_utf8 is not None:
        name = list(csv.reader(io.StringIO(as_utf8, newline="")))[1][1].strip()
        expected = {"fuzz-one": name, "fuzz-two": "Fuzz Two SEZ"} if name else None
        assert _zone_names("zones.csv", data) == expected  # refused only for a blank name
        return

    outcome, after = _attempt("zones.csv", data)

    assert outcome == "refused"
    assert after == _counts()


def test_a_workbook_without_known_sheets_or_with_sheets_missing_is_refused():
    unknown = _xlsx({"Sheet1": ZONES, "zone": ZONES})
    orphan_firms = _xlsx({"firms": FIRMS})

    assert _attempt("bundle.xlsx", unknown)[0] == "refused"
    assert _attempt("bundle.xlsx", orphan_firms)[0] == "refused"


def test_a_bad_row_in_the_last_sheet_keeps_every_earlier_sheet_out():
    firms = [list(r) for r in FIRMS] + [["fuzz-two", "Bad Firm", "pakistan", "domestic", "x", ""]]

    outcome, after = _attempt("bundle.zip", _zip({**BUNDLE, "firms": firms}))

    assert outcome == "refused"
    assert after == _counts()


def test_formula_cells_in_a_workbook_are_never_evaluated_into_the_data():
    rows = [list(r) for r in ZONES]
    rows[1][7] = "=1+1"  # openpyxl writes this as a formula with no cached value
    data = _xlsx({"zones": rows})

    with transaction.atomic():
        import_bundle(read_upload(filename="bundle.xlsx", data=data))
        developer = Zone.objects.get(slug="fuzz-one").developer
        transaction.set_rollback(True)

    assert developer in ("", "=1+1")
    assert developer != "2"


@FUZZ
@given(
    prefix=st.sampled_from(FORMULA_PREFIXES),
    rest=st.text(min_size=0, max_size=30).filter(lambda s: "\x00" not in s),
    field=st.sampled_from(["name", "developer", "district"]),
)
def test_formula_like_text_that_was_imported_is_exported_neutralised(client, prefix, rest, field):
    value = (prefix + rest)[:100]
    rows = [list(r) for r in ZONES]
    rows[1][ZONES[0].index(field)] = value

    with transaction.atomic():
        try:
            import_bundle(read_upload(filename="bundle.zip", data=_zip({"zones": rows})))
        except BundleError:
            transaction.set_rollback(True)
            return
        csv_body = b"".join(client.get("/zones/export.csv").streaming_content).decode("utf-8-sig")
        xlsx_body = b"".join(client.get("/zones/export.xlsx").streaming_content)
        transaction.set_rollback(True)

    for cells in csv.reader(io.StringIO(csv_body)):
        for cell in cells:
            assert not cell.startswith(FORMULA_PREFIXES), cell
    sheet = load_workbook(io.BytesIO(xlsx_body)).active
    for cells in sheet.iter_rows():
        for cell in cells:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str):
                assert not cell.value.startswith(FORMULA_PREFIXES), cell.value
