"""Reads of spreadsheet imports: the jobs a user may see, and the zones they may import for."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from accounts.roles import editable_zones_q, is_administrator, reviewable_zones_q
from zones.models import Zone

from ..models import ChangeRequest, ImportJob
from ..vocabulary import ImportJobStatus


def import_job_visible(*, user, pk: int) -> ImportJob | None:
    """The job, if ``user`` may see it: an owner sees their imports, administrators everyone's.
    Without the file bytes."""
    jobs = ImportJob.objects.without_data().select_related("owner")
    if not is_administrator(user):
        jobs = jobs.filter(owner=user)
    return jobs.filter(pk=pk).first()


def import_jobs_recent(*, user, limit: int = 10) -> list[ImportJob]:
    return list(ImportJob.objects.without_data().filter(owner=user)[:limit])


def importable_zone_names(*, user) -> list[str] | None:
    """Names of the zones the user may import rows for; None means every zone."""
    if is_administrator(user):
        return None
    zones = Zone.objects.filter(editable_zones_q(user)).order_by("name")
    return list(zones.values_list("name", flat=True))


def importable_zone_slugs(*, user) -> frozenset[str] | None:
    """Slugs of the zones the user may import rows for now; None means every zone, new
    zones too (an administrator)."""
    if is_administrator(user):
        return None
    return frozenset(Zone.objects.filter(editable_zones_q(user)).values_list("slug", flat=True))


def _reviewable(user):
    """Jobs with a change request in a zone ``user`` reviews."""
    requests = ChangeRequest.objects.filter(
        reviewable_zones_q(user, prefix="zone__"), import_job=OuterRef("pk")
    )
    return Exists(requests)


def import_batch_visible(*, user, pk: int) -> ImportJob | None:
    """An import's batch, to its owner, administrators, and reviewers of a zone it touches."""
    jobs = ImportJob.objects.without_data().select_related("owner", "reviewed_by")
    if not is_administrator(user):
        jobs = jobs.filter(Q(owner=user) | Q(_reviewable(user)))
    return jobs.filter(pk=pk).first()


def import_batches_to_review(*, user) -> list[ImportJob]:
    """Editors' imports waiting for review in zones ``user`` reviews, oldest first."""
    jobs = ImportJob.objects.without_data().filter(status=ImportJobStatus.PROPOSED)
    jobs = jobs.filter(_reviewable(user)).select_related("owner")
    return list(jobs.order_by("updated_at", "pk"))


def batch_rows(*, job: ImportJob) -> list[ChangeRequest]:
    """The batch's change requests in sheet and line order, with their zones (one query)."""
    return list(job.change_requests.select_related("zone").order_by("pk"))
