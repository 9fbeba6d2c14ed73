"""Writes of follow and reuse: build the open data package and prune the old ones."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from .open_data import (
    LIST_SEPARATOR,
    PACKAGE_NAME,
    RESOURCES,
    PackageFile,
    Resource,
    available_packages,
    package_name,
    package_storage,
)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _csv(resource: Resource) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([column.name for column in resource.columns])
    for record in resource.records():
        writer.writerow([_cell(value) for value in record])
    return out.getvalue().encode("utf-8")


def _descriptor(*, today: datetime.date, created: datetime.datetime) -> dict:
    return {
        "name": PACKAGE_NAME,
        "title": "CPEC special economic zones: open data",
        "description": (
            "The public records of the special economic zones of the China–Pakistan Economic "
            "Corridor as published on the dashboard: published zones only, public fields "
            "only. Each row names its own source in source_url; rows marked is_illustrative "
            "were invented for the demo and are not researched facts."
        ),
        "version": today.isoformat(),
        "created": created.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "licenses": [settings.OPEN_DATA_LICENSE],
        "sources": settings.OPEN_DATA_SOURCES,
        "resources": [
            {
                "name": resource.name,
                "title": str(resource.title),
                "path": resource.path,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": resource.schema(),
            }
            for resource in RESOURCES
        ],
    }


def data_package_build(*, today: datetime.date | None = None) -> PackageFile:
    """Build today's package (zones, utilities, disputes, milestones, firms, targets and
    readiness snapshots as CSV, with ``datapackage.json``) into one dated zip in the open
    data storage, replacing a package built earlier the same day. Safe to rerun."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        descriptor = _descriptor(today=today, created=now)
        archive.writestr("datapackage.json", json.dumps(descriptor, indent=2, ensure_ascii=False))
        for resource in RESOURCES:
            archive.writestr(resource.path, _csv(resource))
    storage = package_storage()
    name = package_name(today)
    if storage.exists(name):
        storage.delete(name)
    saved = storage.save(name, ContentFile(buffer.getvalue()))
    return PackageFile(saved, today, storage.size(saved))


def data_packages_prune(
    *, today: datetime.date | None = None, keep_days: int | None = None
) -> list[str]:
    """Delete the packages older than ``keep_days`` (``OPEN_DATA_KEEP_DAYS``), always keeping
    the newest; returns the names deleted."""
    today = today or timezone.localdate()
    keep_days = settings.OPEN_DATA_KEEP_DAYS if keep_days is None else keep_days
    oldest_kept = today - datetime.timedelta(days=keep_days)
    storage = package_storage()
    deleted = []
    for package in available_packages()[1:]:
        if package.date < oldest_kept:
            storage.delete(package.name)
            deleted.append(package.name)
    return deleted
