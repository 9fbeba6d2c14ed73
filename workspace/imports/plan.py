"""The previewed plan of an import, as kept on its job: a digest of every row, the created
and updated rows with the stored values they were planned on, and what changed since.

The preview is what gets applied: a job keeps the digest of the plan its preview showed,
and applying (or proposing, or approving) plans the file again and refuses when the
digest differs, listing what changed in the ``sheet:line: column: message`` form. Every
sheet of :data:`zones.importer.SPECS` is handled alike, from the importer's own plan.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils.translation import gettext as _

from zones.history import hidden_fields
from zones.importer import SPECS, PlannedRow, RowError
from zones.models import Zone

from .report import display


def _columns(row: PlannedRow) -> list[str]:
    spec = SPECS[row.sheet]
    return [column for column in spec.columns if spec.attribute(column) in row.values]


def row_plan(row: PlannedRow) -> dict[str, Any]:
    """One planned row as JSON: where it is, what it does, and the values before and after
    by column (the stored ones only for a stored record)."""
    spec = SPECS[row.sheet]
    columns = _columns(row)
    before = {
        column: display(row.before[spec.attribute(column)])
        for column in columns
        if spec.attribute(column) in row.before
    }
    return {
        "sheet": row.sheet,
        "line": row.line,
        "key": " · ".join(display(part) for part in row.key if part != ""),
        "zone": zone_slug(row),
        "action": row.action,
        "record_id": row.record_id,
        "changed": list(row.changed),
        "before": before,
        "after": {column: display(row.values[spec.attribute(column)]) for column in columns},
    }


def zone_slug(row: PlannedRow) -> str | None:
    """The slug of the zone a planned row belongs to (its own, on the zones sheet); None for
    a sheet of records of no zone."""
    spec = SPECS[row.sheet]
    if spec.model is Zone:
        return row.key[0]
    if row.values.get("zone_id"):
        return row.values["zone_id"]
    return row.key[spec.key.index("zone")] if "zone" in spec.key else None


def plan_digest(rows: list[PlannedRow]) -> str:
    """A digest of the whole plan, unchanged rows included: a stored value that changes
    after the preview changes it."""
    text = json.dumps([row_plan(row) for row in rows], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def changed_rows(rows: list[PlannedRow]) -> list[dict[str, Any]]:
    """The created and updated rows of a plan, as JSON (:func:`row_plan`)."""
    return [row_plan(row) for row in rows if row.action != "unchanged"]


def hidden_columns(sheet: str, *, internal: bool) -> frozenset[str]:
    """The sheet's columns a viewer may not see (``zones.history.hidden_fields``)."""
    spec = SPECS[sheet]
    hidden = hidden_fields(spec.model, internal=internal)
    return frozenset(
        column
        for column in spec.columns
        if column in hidden or spec.attribute(column).removesuffix("_id") in hidden
    )


def differences(
    previewed: list[dict[str, Any]], rows: list[PlannedRow], *, internal: bool
) -> list[RowError]:
    """What changed between the previewed plan (its changed rows) and the plan now, as
    ``sheet:line: column: message`` errors; columns the viewer may not see are left out."""
    then = {(row["sheet"], row["line"]): row for row in previewed}
    errors = []
    for planned in rows:
        now = row_plan(planned)
        hidden = hidden_columns(now["sheet"], internal=internal)
        old = then.get((now["sheet"], now["line"]))
        if old is None:
            if now["action"] == "unchanged":
                continue
            for column in now["changed"] or ["-"]:
                if column in hidden:
                    continue
                errors.append(
                    RowError(
                        now["sheet"],
                        now["line"],
                        column,
                        _("unchanged when previewed; stored now: %(now)s")
                        % {"now": now["before"].get(column, "") or "—"},
                    )
                )
            continue
        if old["action"] != now["action"]:
            errors.append(
                RowError(
                    now["sheet"],
                    now["line"],
                    "-",
                    _("%(then)s when previewed, %(now)s now")
                    % {"then": old["action"], "now": now["action"]},
                )
            )
            continue
        for column in sorted(set(old["before"]) | set(now["before"])):
            was, is_now = old["before"].get(column, ""), now["before"].get(column, "")
            if was != is_now and column not in hidden:
                errors.append(
                    RowError(
                        now["sheet"],
                        now["line"],
                        column,
                        _("stored %(then)s when previewed, %(now)s now")
                        % {"then": was or "—", "now": is_now or "—"},
                    )
                )
    if not errors:  # the plan differs in a way no column shows: say so all the same
        errors.append(RowError("-", 0, "-", _("The records changed since the preview.")))
    return errors
