"""An editor's import as a batch of change requests, inside the import's own transaction.

After the preview, an editor's import does not write the records: :func:`batch_propose`
makes one change request per record the file creates or changes (its sheet, line and
natural key, the stored and proposed values by column), all in the job's batch. A reviewer
of every zone concerned approves the batch as a whole (the job is then applied, refused
whole if any record changed since the preview: :func:`batch_applied`,
:func:`batch_refused`) or returns it. Nothing here is specific to a sheet: the rows are the
importer's own plan.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from zones.importer import SPECS, BundleError, PlannedRow, RowError
from zones.models import Zone

from ..evidence.services import evidence_name_records
from ..models import ChangeRequest, ImportJob
from ..vocabulary import ChangeRequestAction, ChangeRequestStatus
from .plan import changed_rows


def batch_propose(*, job: ImportJob, rows: list[PlannedRow]) -> list[ChangeRequest]:
    """One pending change request per created or updated record of the plan."""
    plans = changed_rows(rows)
    if not plans:
        raise BundleError(
            [
                RowError(
                    job.filename, 0, "-", _("The file changes nothing: there is nothing to review.")
                )
            ]
        )
    zoneless = [
        RowError(
            plan["sheet"], plan["line"], "-", _("Rows of no zone are imported by an administrator.")
        )
        for plan in plans
        if not plan["zone"]
    ]
    if zoneless:  # a change request is reviewed by the zone's reviewers
        raise BundleError(zoneless)
    zone_ids = dict(
        Zone.objects.filter(slug__in={plan["zone"] for plan in plans}).values_list("slug", "id")
    )
    comment = _("Spreadsheet import: %(file)s") % {"file": job.filename}
    return ChangeRequest.objects.bulk_create(
        ChangeRequest(
            zone_id=zone_ids[plan["zone"]],
            kind="",
            record_id=plan["record_id"],
            action=ChangeRequestAction.CREATE
            if plan["action"] == "created"
            else ChangeRequestAction.UPDATE,
            import_job=job,
            sheet=plan["sheet"],
            line=plan["line"],
            record_key=plan["key"][:300],
            base=plan["before"],
            proposed=plan["after"],
            comment=comment,
            submitted_by=job.owner,
        )
        for plan in plans
    )


def batch_applied(*, job: ImportJob, rows: list[PlannedRow]) -> None:
    """The batch was applied: its change requests are approved, and their evidence names
    the records it stands behind (new records' ids read back by natural key)."""
    now = timezone.now()
    requests = job.change_requests.filter(status=ChangeRequestStatus.PENDING)
    with_evidence = list(requests.filter(evidence__isnull=False).distinct())
    requests.update(
        status=ChangeRequestStatus.APPROVED, reviewed_by=job.reviewed_by, reviewed_at=now
    )
    planned = {(row.sheet, row.line): row for row in rows}
    zone_ids = dict(Zone.objects.values_list("slug", "id")) if with_evidence else {}
    for change_request in with_evidence:
        row = planned.get((change_request.sheet, change_request.line))
        if row is None:
            continue
        spec = SPECS[row.sheet]
        lookup = dict(zip((spec.attribute(c) for c in spec.key), row.key, strict=True))
        if "zone_id" in lookup:
            lookup["zone_id"] = zone_ids[lookup["zone_id"]]
        record = spec.model.objects.filter(**lookup).first()
        if record is not None:
            evidence_name_records(change_request=change_request, model=spec.model, record=record)


def batch_refused(*, job: ImportJob) -> None:
    """An approved batch could not be applied (the records changed since the preview):
    its change requests go back to the editor with the reason."""
    job.change_requests.filter(status=ChangeRequestStatus.PENDING).update(
        status=ChangeRequestStatus.RETURNED,
        reviewed_by=job.reviewed_by,
        reviewed_at=timezone.now(),
        review_note=_("Not applied: the records changed since the preview."),
    )
