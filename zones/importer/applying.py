"""Importing a bundle: plan every row, then apply the plan in one transaction (or nothing)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from investors.models import Firm
from zones.models import Zone

from .consistency import allotted_acres_errors
from .planning import (
    ImportReport,
    PlannedRow,
    Planner,
    ProgressCallback,
    RefusedFields,
    SheetCounts,
)
from .reading import BundleError, Sheet
from .specs import SPECS


def _apply(rows: Iterable[PlannedRow], progress: ProgressCallback | None, total: int) -> None:
    zone_ids = dict(Zone.objects.values_list("slug", "id"))
    firm_ids: dict[tuple[int, str], int] | None = None  # read once firms are written
    done = 0
    for planned in rows:
        done += 1
        if planned.action == "unchanged":
            continue
        spec = SPECS[planned.sheet]
        values = dict(planned.values)
        m2m = {name: values.pop(name) for name in spec.m2m if name in values}
        if "zone_id" in values:
            values["zone_id"] = zone_ids[values["zone_id"]]
        if "firm_id" in values:  # named in the row's zone: the firms sheet came first
            if firm_ids is None:
                firm_ids = {
                    (zone_id, name): firm_id
                    for zone_id, name, firm_id in Firm.objects.values_list("zone_id", "name", "id")
                }
            name = values["firm_id"]
            values["firm_id"] = firm_ids[(values["zone_id"], name)] if name else None
        lookup = dict(zip((spec.attribute(c) for c in spec.key), planned.key, strict=True))
        if "zone_id" in lookup:
            lookup["zone_id"] = zone_ids[lookup["zone_id"]]
        if "firm_id" in lookup:  # a key naming the firm (returns): its id, found above
            lookup["firm_id"] = values.pop("firm_id")
        record, _created = spec.model.objects.update_or_create(**lookup, defaults=values)
        if spec.model is Zone:
            zone_ids[record.slug] = record.id
        for name, slugs in m2m.items():
            # Sectors are keyed by their slugs; zones by id, found by slug.
            getattr(record, name).set(
                [zone_ids[slug] for slug in slugs] if name == "zones" else slugs
            )
        if progress and (done % 200 == 0 or done == total):
            progress(done, total)


def import_bundle(
    sheets: list[Sheet],
    *,
    dry_run: bool = False,
    zone_allowed: Callable[[str], bool] | None = None,
    progress: ProgressCallback | None = None,
    refused_fields: RefusedFields | None = None,
    before_apply: Callable[[list[PlannedRow]], None] | None = None,
) -> ImportReport:
    """Validate every row of the bundle, then apply it all in one transaction (or nothing).

    Raises :class:`BundleError` listing every problem when any row is bad. With
    ``dry_run`` nothing is written and the report says what would happen.
    ``zone_allowed`` limits which zones the rows may touch (an editor's scope);
    ``refused_fields`` names, per model, the fields the rows may not change (a row that
    does is an error of that column). ``before_apply`` sees the plan before anything is
    written, in the same transaction, and may refuse it by raising :class:`BundleError`.
    """
    with transaction.atomic():
        planner = Planner(sheets, zone_allowed, refused_fields)
        planner.plan(progress=None if progress is None else lambda d, t: progress(d, 2 * t))
        if not planner.errors:
            planner.errors.extend(allotted_acres_errors(planner.rows))
        if planner.errors:
            raise BundleError(planner.errors)
        counts: dict[str, SheetCounts] = {}
        for planned in planner.rows:
            sheet_counts = counts.setdefault(planned.sheet, SheetCounts())
            setattr(sheet_counts, planned.action, getattr(sheet_counts, planned.action) + 1)
        report = ImportReport(counts=counts, rows=planner.rows, applied=not dry_run)
        if before_apply is not None:
            before_apply(planner.rows)
        if not dry_run:
            total = len(planner.rows)
            _apply(
                planner.rows,
                None if progress is None else lambda d, t: progress(t + d, 2 * t),
                total,
            )
    return report
