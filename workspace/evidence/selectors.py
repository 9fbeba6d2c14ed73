"""Reads of evidence: who may see a file, and the evidence behind a zone's public records.

The evidence of an approved update to a public record of a published zone is public, as
the record is (``zones.history.record_type_is_public``). Before that, and for records only
officials see, a file is for the editor who attached it, the zone's reviewers, and those
who see the zone's internal workings (officials, administrators).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps

from accounts.roles import can_edit_zone, can_review_zone, is_administrator, sees_everything
from zones.history import record_type_is_public

from ..models import Evidence
from ..vocabulary import ChangeRequestStatus


def is_public(evidence: Evidence) -> bool:
    if evidence.change_request.status != ChangeRequestStatus.APPROVED:
        return False
    if not evidence.record_type or not evidence.zone.published:
        return False
    return record_type_is_public(apps.get_model(evidence.record_type))


def may_see(user, evidence: Evidence) -> bool:
    """Whether ``user`` may download ``evidence`` (with its update and zone loaded)."""
    if is_public(evidence):
        return True
    if user is None or not user.is_authenticated:
        return False
    change_request, zone = evidence.change_request, evidence.zone
    if is_administrator(user) or can_review_zone(user, zone):
        return True
    if change_request.submitted_by_id == user.pk or evidence.uploaded_by_id == user.pk:
        return True
    approved = change_request.status == ChangeRequestStatus.APPROVED
    return approved and (sees_everything(user) or can_edit_zone(user, zone))


def evidence_get(*, pk: int) -> Evidence | None:
    return Evidence.objects.select_related("change_request", "zone").filter(pk=pk).first()


@dataclass(frozen=True)
class PublicEvidence:
    evidence: Evidence
    record_type: str  # the record's type, in the reader's language
    record: str


def zone_public_evidence(*, zone) -> list[PublicEvidence]:
    """The evidence behind the zone's public records, by record, oldest first (one query;
    none for an unpublished zone)."""
    if not zone.published:
        return []
    rows = (
        Evidence.objects.approved()
        .filter(zone=zone)
        .exclude(record_type="")
        .order_by("record_type", "record_label", "dated", "pk")
    )
    result = []
    for evidence in rows:
        model = apps.get_model(evidence.record_type)
        if record_type_is_public(model):
            result.append(
                PublicEvidence(evidence, str(model._meta.verbose_name), evidence.record_label)
            )
    return result


def evidence_by_change_request(*, change_request_ids) -> dict[int, list[Evidence]]:
    """The evidence of each of these updates (one query)."""
    grouped: dict[int, list[Evidence]] = {}
    for evidence in Evidence.objects.filter(change_request_id__in=change_request_ids):
        grouped.setdefault(evidence.change_request_id, []).append(evidence)
    return grouped
