"""Reads of spreadsheet imports: the jobs a user may see, and the zones they may import for."""

from __future__ import annotations

from accounts.roles import editable_zones_q, is_administrator
from zones.models import Zone

from ..models import ImportJob


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
