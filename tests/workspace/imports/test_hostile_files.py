"""Hostile and damaged spreadsheets: each refused with its listed message (``sheet:line:
column: message``), in bounded time and memory, never a 500; large files read by a worker,
never by the web request."""

from __future__ import annotations

import csv
import io
import re
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.workspace.imports.helpers import csv_bytes, milestone_row, milestones, xlsx_bytes
from workspace.imports.reading import read_upload
from workspace.models import ImportJob, ImportJobStatus
from zones.importer import BundleError, reading

SHEET = "xl/worksheets/sheet1.xml"
ZONES_HEADER = ["slug", "name", "province", "status", "sectors"]
#: Generous bounds that a bomb would still blow: gigabytes take minutes and gigabytes.
SECONDS, MEGABYTES = 2.0, 50


# --- Building hostile files --------------------------------------------------------------------


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written by hand: (name, deflated bytes, declared size, declared CRC) per member,
    so that sizes and checksums can say what the data does not."""
    out, directory = io.BytesIO(), []
    for name, deflated, size, crc in members:
        offset, encoded = out.tell(), name.encode()
        out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc,
                              len(deflated), size, len(encoded), 0))  # fmt: skip
        out.write(encoded + deflated)
        directory.append(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc,
                                     len(deflated), size, len(encoded), 0, 0, 0, 0, 0, offset)
                         + encoded)  # fmt: skip
    start = out.tell()
    out.write(b"".join(directory))
    out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(directory), len(directory),
                          out.tell() - start, start, 0))  # fmt: skip
    return out.getvalue()


def workbook_with(sheet: bytes | None = None, **member) -> bytes:
    """A real one-sheet ("zones") workbook, its sheet XML replaced by ``sheet`` or its member
    given as (deflated, declared size, declared CRC)."""
    valid = zipfile.ZipFile(io.BytesIO(xlsx_bytes({"zones": [ZONES_HEADER]})))
    members = []
    for info in valid.infolist():
        data = valid.read(info)
        if info.filename == SHEET and sheet is not None:
            data = sheet
        entry = (info.filename, _deflate(data), len(data), zlib.crc32(data))
        if info.filename == SHEET and member:
            entry = (SHEET, member["deflated"], member["size"], member["crc"])
        members.append(entry)
    return raw_zip(members)


def bomb(gigabytes: int) -> bytes:
    """Deflated spaces expanding to ``gigabytes`` GiB (about 1 KB per MiB): each MiB is
    compressed alone after a full flush, so the same block repeats."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(b" " * 2**20) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * (gigabytes * 1024) + compressor.flush()


def sheet_xml(rows: list[str]) -> bytes:
    head = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    return (head + "".join(rows) + "</sheetData></worksheet>").encode()


def xml_row(line: int, *texts: str) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{line}" t="inlineStr"><is><t>{text}</t></is></c>'
        for i, text in enumerate(texts)
    )
    return f'<row r="{line}">{cells}</row>'


def zone_line(slug: str, name: str = "Zone") -> list[str]:
    return [slug, name, "PK-KP", "proposed", "textiles"]


def refused(filename: str, data: bytes) -> tuple[list[str], float, float]:
    """(errors, seconds, peak MB) of reading an upload that must be refused: timed alone, then
    read again under tracemalloc (which slows it) for the memory."""
    started = time.monotonic()
    errors = _errors(filename, data)
    seconds = time.monotonic() - started
    tracemalloc.start()
    try:
        assert _errors(filename, data) == errors
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return errors, seconds, peak


def _errors(filename: str, data: bytes) -> list[str]:
    try:
        read_upload(filename=filename, data=data)
    except BundleError as exc:
        return [str(error) for error in exc.errors]
    raise AssertionError(f"{filename} was read, not refused")


# --- Refused with their message, in bounded time and memory ------------------------------------

BIG_CELL = "x" * 20_000
#: The row limit in these tests: the rule is the same at 50,000, only slower to show.
ROWS = 1_000
SMALL_SHEET = sheet_xml([xml_row(1, *ZONES_HEADER)])
LONG_SHEET = sheet_xml(
    [xml_row(1, *ZONES_HEADER)] + [xml_row(line, f"z{line}") for line in range(2, 902)]
).replace(b"<sheetData>", b'<dimension ref="A1:E901"/><sheetData>')
#: Cases that are slow by nature, not by a bomb: a million padding rows.
SLOW = {"xlsx-row-beyond-the-last": 10.0}
CASES = {
    "xlsx-bomb": (
        "bundle.xlsx",
        lambda: workbook_with(deflated=bomb(3), size=3 * 2**30, crc=0),
        "workbook:0: -: The workbook is too large once unpacked (3,072 MB; at most 64 MB). "
        "Split it into several files.",
    ),
    "xlsx-bomb-declared-small": (  # zipfile stops at the declared size: a checksum error
        "bundle.xlsx",
        lambda: workbook_with(deflated=bomb(3), size=4096, crc=0),
        "workbook:0: -: Not a readable .xlsx workbook.",
    ),
    "xlsx-bad-crc-in-the-directory": (  # found while openpyxl opens the workbook
        "bundle.xlsx",
        lambda: workbook_with(deflated=_deflate(SMALL_SHEET), size=len(SMALL_SHEET), crc=12345),
        "workbook:0: -: Not a readable .xlsx workbook.",
    ),
    "xlsx-bad-crc-while-streaming": (  # found at the end of the member, read ahead of the rows
        "bundle.xlsx",
        lambda: workbook_with(deflated=_deflate(LONG_SHEET), size=len(LONG_SHEET), crc=12345),
        "zones:{line}: -: The sheet cannot be read from here on: the workbook is damaged.",
    ),
    "xlsx-bad-xml": (
        "bundle.xlsx",
        lambda: workbook_with(LONG_SHEET.replace(b"</sheetData>", b'<row r="902"><c r="A902">')),
        "zones:902: -: The sheet cannot be read from here on: the workbook is damaged.",
    ),
    "xlsx-not-a-zip": (
        "bundle.xlsx",
        lambda: b"PK\x03\x04 not really",
        "workbook:0: -: Not a readable .xlsx workbook.",
    ),
    "xlsx-long-cell": (
        "bundle.xlsx",
        lambda: xlsx_bytes({"zones": [ZONES_HEADER, zone_line("a", BIG_CELL)]}),
        "zones:2: name: The cell is longer than 10,000 characters.",
    ),
    "xlsx-too-many-rows": (
        "bundle.xlsx",
        lambda: workbook_with(
            sheet_xml(
                [xml_row(1, *ZONES_HEADER)]
                + [xml_row(line, f"z{line}", "Zone") for line in range(2, 10 * ROWS)]
            )
        ),
        "zones:1002: -: The sheet has more than 1,000 rows; split it into several files.",
    ),
    "xlsx-row-beyond-the-last": (
        "bundle.xlsx",
        lambda: workbook_with(sheet_xml([xml_row(1, *ZONES_HEADER), xml_row(2_000_000, "z")])),
        "zones:1048577: -: The sheet claims more rows than a workbook has.",
    ),
    "xlsx-too-many-columns": (
        "bundle.xlsx",
        lambda: xlsx_bytes({"zones": [ZONES_HEADER, ["a"] * 101]}),
        "zones:2: -: The line has more than 100 columns.",
    ),
    "csv-long-cell": (
        "zones.csv",
        lambda: csv_bytes([ZONES_HEADER, zone_line("a", BIG_CELL)]),
        "zones:2: name: The cell is longer than 10,000 characters.",
    ),
    "csv-200000-character-cell": (
        "zones.csv",
        lambda: csv_bytes([ZONES_HEADER, zone_line("a", "x" * 200_000)]),
        "zones:2: -: A cell is longer than 10,000 characters, or a quotation mark is not closed.",
    ),
    "csv-too-many-rows": (
        "zones.csv",
        lambda: csv_bytes([ZONES_HEADER] + [zone_line(f"z{i}") for i in range(10 * ROWS)]),
        "zones:1002: -: The sheet has more than 1,000 rows; split it into several files.",
    ),
    "csv-too-many-columns": (
        "zones.csv",
        lambda: csv_bytes([ZONES_HEADER, ["a"] * 101]),
        "zones:2: -: The line has more than 100 columns.",
    ),
    "csv-utf-16": (
        "zones.csv",
        lambda: "slug,name\nrashakai,Rashakai\n".encode("utf-16"),
        "zones:1: -: The file is not UTF-8 encoded (byte 0).",
    ),
    "zip-bad-crc": (
        "bundle.zip",
        lambda: raw_zip([("zones.csv", _deflate(b"slug\nrashakai\n"), 14, 99)]),
        "zones.csv:0: -: The file is damaged inside the archive.",
    ),
}


@pytest.fixture
def csv_default_field_limit():
    """csv's field size limit is process-wide, and a library imported by another test
    (frictionless, for the open data package) raises it: read as production does."""
    previous = csv.field_size_limit(131_072)
    yield
    csv.field_size_limit(previous)


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_or_damaged_file_is_refused_with_its_message_in_bounded_time_and_memory(
    case, monkeypatch, csv_default_field_limit
):
    monkeypatch.setattr(reading, "MAX_ROWS", ROWS)
    filename, build, message = CASES[case]
    data = build()

    errors, seconds, peak = refused(filename, data)
    print(f"{case}: {len(data) / 2**20:.1f} MB file, {seconds:.2f} s, {peak:.1f} MB peak")

    pattern = re.escape(message).replace(r"\{line\}", r"\d+")
    assert any(re.fullmatch(pattern, error) for error in errors), errors
    assert seconds < SLOW.get(case, SECONDS), f"{case}: {seconds:.2f} s"
    assert peak < MEGABYTES, f"{case}: {peak:.1f} MB"


def test_the_bomb_is_small_and_would_expand_to_gigabytes():
    data = workbook_with(deflated=bomb(3), size=3 * 2**30, crc=0)

    assert len(data) < 5 * 2**20
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo(SHEET).file_size == 3 * 2**30


def test_a_file_within_the_limits_is_read():
    rows = [ZONES_HEADER] + [zone_line(f"z{i}", "y" * 10_000) for i in range(3)]

    [sheet] = read_upload(filename="bundle.xlsx", data=xlsx_bytes({"zones": rows}))

    assert [row["name"] for _line, row in sheet.rows] == ["y" * 10_000] * 3


# --- Through the upload page: a large file is read by the worker, never a 500 -------------------


@pytest.mark.django_db
def test_a_large_upload_is_not_read_by_the_request_and_the_worker_refuses_the_bomb(
    client, django_capture_on_commit_callbacks
):
    client.force_login(make_user("administrator", username="admin"))
    data = workbook_with(deflated=bomb(3), size=3 * 2**30, crc=0)

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            reverse("workspace:import_upload"),
            {"file": _upload("bundle.xlsx", data)},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportJobStatus.UPLOADED, "the request did not read the file"
    assert len(queued) == 1

    queued[0]()  # the worker's check
    job.refresh_from_db()
    page = client.get(reverse("workspace:import_job", args=[job.pk]))

    assert job.status == ImportJobStatus.FAILED
    assert job.errors[0].startswith("workbook:0: -: The workbook is too large once unpacked")
    assert page.status_code == 200
    assert "The workbook is too large once unpacked" in page.content.decode()


@pytest.mark.django_db
def test_a_small_damaged_upload_is_refused_in_the_request_with_its_message(client):
    client.force_login(make_user("administrator", username="admin"))
    data = csv_bytes(milestones(milestone_row("rashakai", "power", title="t" * 20_000)))

    response = client.post(
        reverse("workspace:import_upload"), {"file": _upload("milestones.csv", data)}, follow=True
    )

    job = ImportJob.objects.get()
    assert response.status_code == 200
    assert job.status == ImportJobStatus.FAILED
    assert job.errors == ["milestones:2: title: The cell is longer than 10,000 characters."]


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
