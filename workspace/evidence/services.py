"""Writes of evidence: attach a checked file to an update; name the record once approved."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from accounts.roles import can_edit_zone, is_administrator

from ..models import ChangeRequest, Evidence
from ..vocabulary import EVIDENCE_MAX_FILES, EVIDENCE_TYPES, ChangeRequestStatus
from .checks import checked_content


def may_attach(user, change_request: ChangeRequest) -> bool:
    """The editor who submitted a pending update attaches its evidence (while they still
    edit its zone); an administrator may add evidence to any update."""
    if is_administrator(user):
        return True
    return (
        change_request.status == ChangeRequestStatus.PENDING
        and change_request.submitted_by_id == user.pk
        and can_edit_zone(user, change_request.zone)
    )


def evidence_attach(
    *, change_request: ChangeRequest, user, data: bytes, title: str, kind: str,
    dated: datetime.date,
) -> Evidence:  # fmt: skip
    """Check the file's content and store it with the update: at most
    ``EVIDENCE_MAX_FILES`` per update. Raises ``ValidationError`` or ``PermissionDenied``."""
    content, content_type = checked_content(data)
    with transaction.atomic():
        change_request = (
            ChangeRequest.objects.select_for_update()
            .select_related("zone")
            .get(pk=change_request.pk)
        )
        if not may_attach(user, change_request):
            raise PermissionDenied
        if change_request.evidence.count() >= EVIDENCE_MAX_FILES:
            raise ValidationError(
                _("An update may have at most %(count)d files.") % {"count": EVIDENCE_MAX_FILES}
            )
        evidence = Evidence(
            change_request=change_request,
            zone=change_request.zone,
            title=title,
            kind=kind,
            dated=dated,
            content_type=content_type,
            size=len(content),
            uploaded_by=user,
        )
        evidence.file.save(
            f"evidence{EVIDENCE_TYPES[content_type]}", ContentFile(content), save=False
        )
        try:
            evidence.full_clean(exclude=["file"])
            evidence.save()
        except Exception:
            evidence.file.delete(save=False)
            raise
        if change_request.status == ChangeRequestStatus.APPROVED and change_request.record_id:
            evidence_name_records(change_request=change_request)
    return evidence


def evidence_name_records(
    *, change_request: ChangeRequest, model: type[models.Model] | None = None, record=None
) -> None:
    """Name the record behind an approved update's evidence (its model's label and id)."""
    if record is None:
        from ..review.editable import EDITABLE

        model = EDITABLE[change_request.kind].model
        record = model.objects.filter(pk=change_request.record_id).first()
        if record is None:
            return
    change_request.evidence.update(
        record_type=model._meta.label_lower,
        record_id=record.pk,
        record_label=str(record)[:300],
    )
