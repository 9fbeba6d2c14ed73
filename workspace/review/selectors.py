"""Reads of the editing workspace: zones to edit, updates to review, the records they change."""

from django.db.models import Count, Prefetch
from django.utils import timezone

from accounts.roles import can_edit_zone, editable_zones_q, reviewable_zones_q, sees_everything
from investors.models import AnnualReturn, Firm
from policy.models import Application
from zones import plot_rules
from zones.localized import shown_text
from zones.models import Milestone, OutageReport, Plot, UtilityRequest, Zone, overdue_q

from ..models import ChangeRequest
from .editable import EDITABLE, Editable
from .returns_due import overdue_returns


def editor_zones(*, user):
    """The zones the user may edit, those with the most overdue milestones first, with the
    records an editor updates: milestones, utilities, disputes, firms, plots, the units'
    utility requests and the outage reports of the last 12 whole months and this one."""
    today = timezone.localdate()
    overdue = overdue_q(today, prefix="milestones__")
    milestones = Milestone.objects.order_by("planned_date", "code")
    since, _current = plot_rules.outage_window(today)
    return (
        Zone.objects.filter(editable_zones_q(user))
        .select_related("province")
        .annotate(overdue_count=Count("milestones", filter=overdue, distinct=True))
        .prefetch_related(
            Prefetch("milestones", queryset=milestones),
            "utilities",
            "disputes",
            Prefetch("firms", queryset=Firm.objects.order_by("name")),
            Prefetch("plots", queryset=Plot.objects.select_related("firm").order_by("number")),
            Prefetch(
                "utility_requests",
                queryset=UtilityRequest.objects.select_related("firm").order_by("reference"),
            ),
            Prefetch(
                "outages",
                queryset=OutageReport.objects.filter(month__gte=since).order_by(
                    "-month", "kind", "reported_by"
                ),
            ),
            "reported_totals",
            Prefetch("applications", queryset=Application.objects.order_by("-applied_on")),
        )
        .order_by("-overdue_count", shown_text("name").asc(), "pk")
    )


def attach_returns_work(zones: list[Zone]) -> int:
    """Give each zone its ``overdue_returns`` (operating firms without last year's return)
    and its ``recent_returns`` (the returns of last year and the year before, to update).
    Two queries whatever the number of zones; returns the year due."""
    ids = [zone.pk for zone in zones]
    due, overdue = overdue_returns(ids)
    by_zone: dict[int, list] = {}
    for firm in overdue:
        by_zone.setdefault(firm.zone_id, []).append(firm)
    recent: dict[int, list[AnnualReturn]] = {}
    returns = (
        AnnualReturn.objects.filter(zone_id__in=ids, year__gte=due - 1)
        .select_related("firm")
        .order_by("-year", "firm__name")
    )
    for annual_return in returns:
        recent.setdefault(annual_return.zone_id, []).append(annual_return)
    for zone in zones:
        zone.overdue_returns = by_zone.get(zone.pk, [])
        zone.recent_returns = recent.get(zone.pk, [])
    return due


def review_queue(*, user):
    return (
        ChangeRequest.objects.pending()
        .filter(reviewable_zones_q(user, prefix="zone__"), import_job__isnull=True)
        .select_related("zone", "submitted_by")
        .order_by("submitted_at")
    )


def requests_submitted_by(*, user, limit: int = 20):
    return (
        ChangeRequest.objects.filter(submitted_by=user, import_job__isnull=True)
        .select_related("zone", "reviewed_by")
        .order_by("-submitted_at")[:limit]
    )


def pending_for_zone(*, zone):
    return (
        zone.change_requests.pending()
        .filter(import_job__isnull=True)  # an import's batch is reviewed on its own page
        .select_related("submitted_by")
    )


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
