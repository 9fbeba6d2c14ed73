"""The open data package's contents: which tables, which columns, and their public rows.

Each resource is a CSV of one record type, public fields only (never a field of
``zones.history.INTERNAL_FIELDS``), of published zones only, described by a Frictionless
table schema. ``follow.services.data_package_build`` writes them, with ``datapackage.json``,
into one dated zip; :func:`available_packages` lists the zips kept.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.aggregates import ArrayAgg
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from investors.models import AnnualReturn, Firm
from policy.models import Application, PolicyEvent
from zones.history import hidden_fields
from zones.models import (
    LandDispute,
    Milestone,
    Plot,
    ReadinessSnapshot,
    Target,
    UtilityConnection,
    Zone,
)

PACKAGE_NAME = "cpec-sez-open-data"
FILE_PATTERN = re.compile(rf"^{PACKAGE_NAME}-(\d{{4}}-\d{{2}}-\d{{2}})\.zip$")
LIST_SEPARATOR = ";"

TYPES: dict[type[models.Field], str] = {
    models.DecimalField: "number",
    models.FloatField: "number",
    models.IntegerField: "integer",
    models.DateTimeField: "datetime",
    models.DateField: "date",
    models.BooleanField: "boolean",
}


@dataclass(frozen=True)
class Column:
    """One CSV column: its header, the query path it reads, and its Frictionless type."""

    name: str
    path: str
    type: str
    description: str = ""


@dataclass(frozen=True)
class Resource:
    """One CSV of the package: a record type, its public columns and its key."""

    name: str
    title: str  # lazy: the page shows it in the reader's language
    model: type[models.Model]
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[], QuerySet]

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def schema(self) -> dict:
        schema: dict = {
            "fields": [
                {
                    "name": c.name,
                    "type": c.type,
                    **({"description": c.description} if c.description else {}),
                }
                for c in self.columns
            ],
        }
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        if any(column.name == "zone" for column in self.columns):
            schema["foreignKeys"] = [
                {"fields": "zone", "reference": {"resource": "zones", "fields": "slug"}}
            ]
        return schema

    def records(self) -> Iterator[list]:
        """The resource's rows, as lists in column order (one query)."""
        yield from self.rows().values_list(*(c.path for c in self.columns))


def _type_of(model: type[models.Model], path: str) -> str:
    field = model._meta.get_field(path.split("__")[0])
    if field.is_relation:
        return "string"
    for cls in type(field).__mro__:
        if cls in TYPES:
            return TYPES[cls]
    return "string"


def _columns(model, *names: str, lists: tuple[str, ...] = (), **paths: str) -> tuple[Column, ...]:
    """Columns named ``names`` (a relation reads ``paths[name]``: the related natural key)."""
    internal = hidden_fields(model, internal=False)  # the public sees no internal field
    leaked = internal.intersection(names)
    if leaked:
        raise ValueError(f"internal fields in the open data: {sorted(leaked)}")
    return tuple(
        Column(
            name,
            paths.get(name, name),
            "string" if name in lists else _type_of(model, paths.get(name, name)),
            f"A list separated by “{LIST_SEPARATOR}”." if name in lists else "",
        )
        for name in names
    )


def _published_zones() -> QuerySet[Zone]:
    return (
        Zone.objects.published()
        .annotate(sector_slugs=ArrayAgg("sectors__slug", distinct=True, default=[]))
        .order_by("slug")
    )


def _of_published_zones(model: type[models.Model], *order: str) -> Callable[[], QuerySet]:
    return lambda: model.objects.filter(zone__published=True).order_by("zone__slug", *order)


PROVENANCE = ("source_url", "verified_on", "is_illustrative")

RETURN_COLUMNS = _columns(
    AnnualReturn,
    "zone", "firm", "year", "employees", "employees_local", "employees_women",
    "employees_trained", "exports_usd", "export_markets", "domestic_sales_usd", "imports_usd",
    "local_inputs_share", "investment_to_date_usd", *PROVENANCE,
    lists=("export_markets",), zone="zone__slug", firm="firm__name",
)  # fmt: skip


def _policy_events() -> QuerySet[PolicyEvent]:
    """Every policy event (national records), with the published zones it names."""
    named = ArrayAgg("zones__slug", distinct=True, filter=Q(zones__published=True), default=[])
    return PolicyEvent.objects.annotate(zone_slugs=named).order_by("date", "reference")


ZONE_COLUMNS = _columns(
    Zone,
    "slug", "name", "province", "district", "latitude", "longitude", "coordinate_precision",
    "area_acres", "developer", "zone_authority", "status", "cpec_priority", "sectors",
    "approved_on", "notified_on", "description", "readiness_score", *PROVENANCE,
    lists=("sectors",), province="province__code", sectors="sector_slugs",
)  # fmt: skip

RESOURCES: tuple[Resource, ...] = (
    Resource("zones", _("Special economic zones"), Zone, ZONE_COLUMNS, ("slug",), _published_zones),
    Resource(
        "utilities",
        _("Utility connections (to the zone's zero point or inside it)"),
        UtilityConnection,
        _columns(
            UtilityConnection,
            "zone",
            "kind",
            "status",
            "required_capacity",
            "available_capacity",
            "unit",
            "provider",
            "target_date",
            *PROVENANCE,
            zone="zone__slug",
        ),
        ("zone", "kind"),
        _of_published_zones(UtilityConnection, "kind"),
    ),
    Resource(
        "disputes",
        _("Land disputes (without their parties)"),
        LandDispute,
        _columns(
            LandDispute,
            "zone",
            "reference",
            "affected_acres",
            "forum",
            "status",
            "opened_on",
            "resolved_on",
            "description",
            *PROVENANCE,
            zone="zone__slug",
        ),
        ("zone", "reference"),
        _of_published_zones(LandDispute, "reference"),
    ),
    Resource(
        "milestones",
        _("Milestones"),
        Milestone,
        _columns(
            Milestone,
            "zone",
            "code",
            "title",
            "weight",
            "responsible",
            "status",
            "baseline_date",
            "planned_date",
            "actual_date",
            *PROVENANCE,
            zone="zone__slug",
        ),
        ("zone", "code"),
        _of_published_zones(Milestone, "code"),
    ),
    Resource(
        "firms",
        _("Firms in the zones"),
        Firm,
        _columns(
            Firm,
            "zone",
            "name",
            "sector",
            "origin_country",
            "ownership",
            "status",
            "allotted_acres",
            "allotted_on",
            "investment_usd",
            "jobs_planned",
            "jobs_actual",
            "exports_usd",
            "export_markets",
            *PROVENANCE,
            lists=("export_markets",),
            zone="zone__slug",
            sector="sector__slug",
        ),
        ("zone", "name"),
        _of_published_zones(Firm, "name"),
    ),
    Resource(
        "targets",
        _("Announced targets (every statement kept)"),
        Target,
        _columns(
            Target,
            "zone",
            "metric",
            "milestone_code",
            "announced_on",
            "value",
            "target_date",
            "announced_by",
            "source_url",
            "notes",
            zone="zone__slug",
        ),
        ("zone", "metric", "milestone_code", "announced_on"),
        _of_published_zones(Target, "metric", "milestone_code", "announced_on"),
    ),
    Resource(
        "plots",
        _("Plots"),
        Plot,
        _columns(
            Plot,
            "zone",
            "number",
            "acres",
            "land_use",
            "tenure",
            "price_per_acre_pkr",
            "lease_years",
            "status",
            "firm",
            "allotted_on",
            "possession_on",
            "construction_started_on",
            "production_started_on",
            *PROVENANCE,
            zone="zone__slug",
            firm="firm__name",
        ),
        ("zone", "number"),
        _of_published_zones(Plot, "number"),
    ),
    Resource(
        "returns",
        _("Enterprises' annual returns"),
        AnnualReturn,
        RETURN_COLUMNS,
        ("zone", "firm", "year"),
        _of_published_zones(AnnualReturn, "firm__name", "year"),
    ),
    Resource(
        "policy_events",
        _("Policy events: Acts, SROs, Finance Act clauses and board decisions"),
        PolicyEvent,
        _columns(
            PolicyEvent,
            "reference",
            "date",
            "level",
            "province",
            "instrument",
            "title",
            "effect",
            "incentive",
            "zones",
            *PROVENANCE,
            lists=("zones",),
            province="province__code",
            zones="zone_slugs",
        ),
        ("reference",),
        _policy_events,
    ),
    Resource(
        "applications",
        _("One-window applications and their decisions"),
        Application,
        _columns(
            Application,
            "zone",
            "reference",
            "applicant",
            "kind",
            "applied_on",
            "decided_on",
            "decision",
            *PROVENANCE,
            zone="zone__slug",
        ),
        ("zone", "reference"),
        _of_published_zones(Application, "reference"),
    ),
    Resource(
        "readiness_snapshots",
        _("Readiness scores as computed over time"),
        ReadinessSnapshot,
        _columns(
            ReadinessSnapshot,
            "zone",
            "computed_at",
            "score",
            "utilities",
            "land",
            "milestones",
            "occupancy",
            "profile_version",
            "inputs_digest",
            zone="zone__slug",
        ),
        (),
        _of_published_zones(ReadinessSnapshot, "computed_at", "id"),
    ),
)


# --- The packages kept -------------------------------------------------------------------


@dataclass(frozen=True)
class PackageFile:
    """One built package in storage."""

    name: str
    date: datetime.date
    size: int


def package_storage() -> Storage:
    """Where packages are kept: the "open_data" storage (under the data directory)."""
    return storages[settings.OPEN_DATA_STORAGE]


def package_name(date: datetime.date) -> str:
    return f"{PACKAGE_NAME}-{date.isoformat()}.zip"


def available_packages() -> list[PackageFile]:
    """The packages kept, newest first."""
    storage = package_storage()
    try:
        _folders, files = storage.listdir("")
    except FileNotFoundError:
        return []
    packages = []
    for name in files:
        match = FILE_PATTERN.match(name)
        if match:
            date = datetime.date.fromisoformat(match[1])
            packages.append(PackageFile(name, date, storage.size(name)))
    return sorted(packages, key=lambda package: package.date, reverse=True)


def package_for_date(date: datetime.date) -> PackageFile | None:
    return next((p for p in available_packages() if p.date == date), None)
