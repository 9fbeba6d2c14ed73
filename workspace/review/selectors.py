"""Reads of the editing workspace: zones to edit, updates to review, the records they change."""

from django.db.models import Count, Prefetch
from django.utils import timezone

from accounts.roles import can_edit_zone, editable_zones_q, reviewable_zones_q, sees_everything
from investors.models import Firm
from policy.models import Application
from zones.localized import shown_text
from zones.models import Milestone, Zone, overdue_q

from ..models import ChangeRequest
from .editable import EDITABLE, Editable


def editor_zones(*, user):
    """The zones the user may edit, those with the most overdue milestones first."""
    today = timezone.localdate()
    overdue = overdue_q(today, prefix="milestones__")
    milestones = Milestone.objects.order_by("planned_date", "code")
    return (
        Zone.objects.filter(editable_zones_q(user))
        .select_related("province")
        .annotate(overdue_count=Count("milestones", filter=overdue, distinct=True))
        .prefetch_related(
            Prefetch("milestones", queryset=milestones),
            "utilities",
            "disputes",
            Prefetch("firms", queryset=Firm.objects.order_by("name")),
            Prefetch("applications", queryset=Application.objects.order_by("-applied_on")),
        )
        .order_by("-overdue_count", shown_text("name").asc(), "pk")
    )


def review_queue(*, user):
    return (
        ChangeRequest.objects.pending()
        .filter(reviewable_zones_q(user, prefix="zone__"))
        .select_related("zone", "submitted_by")
        .order_by("submitted_at")
    )


def requests_submitted_by(*, user, limit: int = 20):
    return (
        ChangeRequest.objects.filter(submitted_by=user)
        .select_related("zone", "reviewed_by")
        .order_by("-submitted_at")[:limit]
    )


def pending_for_zone(*, zone):
    return zone.change_requests.pending().select_related("submitted_by")


def zone_pending_updates(*, zone, user) -> list[ChangeRequest] | None:
    """The updates waiting for review on ``zone``, as its page lists them: for officials,
    reviewers and the zone's editors; None for anyone else, whose page has no such section."""
    if not (sees_everything(user) or can_edit_zone(user, zone)):
        return None
    return list(pending_for_zone(zone=zone))


def editable_record(*, editable: Editable, pk: int):
    """The record of an editable type, with its zone; None when there is none."""
    records = editable.model.objects.all()
    if editable.model is not Zone:
        records = records.select_related("zone")
    return records.filter(pk=pk).first()


def change_request_get(*, pk: int) -> ChangeRequest | None:
    """An update with its zone and the people who submitted and reviewed it."""
    return (
        ChangeRequest.objects.select_related("zone", "submitted_by", "reviewed_by")
        .filter(pk=pk)
        .first()
    )


def change_request_record(*, change_request: ChangeRequest):
    """The record an update changes, as stored now; None once it was deleted."""
    editable = EDITABLE[change_request.kind]
    return editable.model.objects.filter(pk=change_request.record_id).first()
