"""Reading an upload: a ``<sheet>.csv`` file, an ``.xlsx`` workbook or a ``.zip`` of CSV files,
as the sheets the bundle importer (:mod:`zones.importer`) takes."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import PurePosixPath

from django.conf import settings
from django.utils.translation import gettext as _

from zones.importer import SHEET_ORDER, BundleError, RowError, Sheet, read_csv, read_xlsx

UPLOAD_SUFFIXES = (".csv", ".xlsx", ".zip")


def max_upload_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)


def file_error(name: str, message: str) -> BundleError:
    """An error of the whole file, in the importer's ``sheet:line: column: message`` form."""
    return BundleError([RowError(name, 0, "-", message)])


def read_upload(*, filename: str, data: bytes) -> list[Sheet]:
    """Read an uploaded ``<sheet>.csv``, ``.xlsx`` workbook or ``.zip`` of CSV files.

    Raises :class:`BundleError` for a file the importer cannot read.
    """
    path = PurePosixPath(filename)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        sheet = path.stem.lower()
        if sheet not in SHEET_ORDER:
            raise file_error(
                path.name,
                _("Name a CSV file after its sheet: %s.")
                % ", ".join(f"{name}.csv" for name in SHEET_ORDER),
            )
        return [read_csv(sheet, data)]
    if suffix == ".xlsx":
        return read_xlsx(io.BytesIO(data))
    if suffix == ".zip":
        return _read_zip(path.name, data)
    raise file_error(path.name, _("Upload a .csv, .xlsx or .zip file."))


def _read_zip(name: str, data: bytes) -> list[Sheet]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise file_error(name, _("Not a readable .zip archive.")) from exc
    with archive:
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not info.filename.startswith("__MACOSX/")
            and not PurePosixPath(info.filename).name.startswith(".")
        ]
        if sum(info.file_size for info in members) > 5 * max_upload_bytes():
            raise file_error(name, _("The archive is too large once unpacked."))
        errors, found = [], {}
        for info in members:
            member = PurePosixPath(info.filename)
            sheet = member.stem.lower()
            if member.suffix.lower() != ".csv" or sheet not in SHEET_ORDER:
                errors.append(
                    RowError(
                        member.name,
                        0,
                        "-",
                        _("Unexpected file in the archive; expected files such as zones.csv."),
                    )
                )
            elif sheet in found:
                errors.append(RowError(member.name, 0, "-", _("The sheet appears twice.")))
            else:
                found[sheet] = info
        if not found and not errors:
            errors.append(
                RowError(name, 0, "-", _("No sheet found: expected files such as zones.csv."))
            )
        if errors:
            raise BundleError(errors)
        return [
            read_csv(sheet, _member(archive, found[sheet]))
            for sheet in SHEET_ORDER
            if sheet in found
        ]


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes; a damaged, encrypted or oddly compressed member is an error of its
    file (zipfile never inflates past the declared size, checked above)."""
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
        name = PurePosixPath(info.filename).name
        raise file_error(name, _("The file is damaged inside the archive.")) from None
