"""Writes of the editing workspace: submit, approve and return editors' updates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import can_edit_zone, can_review_zone, fields_refused_to, is_administrator

from ..evidence.services import evidence_name_records
from ..models import ChangeRequest, ChangeRequestStatus
from .editable import EDITABLE, Editable, from_json


@dataclass(frozen=True)
class FieldChange:
    label: str
    was: str
    now: str


class StaleRecord(Exception):
    """The record changed since the form was opened; ``changes`` says how."""

    def __init__(self, changes: list[FieldChange]):
        self.changes = changes
        super().__init__("; ".join(f"{c.label}: {c.was} → {c.now}" for c in changes))


def _differences(editable: Editable, before: dict, after: dict) -> list[FieldChange]:
    return [
        FieldChange(
            editable.label(name),
            editable.display(name, before.get(name)),
            editable.display(name, after.get(name)),
        )
        for name in editable.fields
        if before.get(name) != after.get(name)
    ]


def _lock_unchanged(editable: Editable, record_id: int, base: dict):
    """Lock the record and check it still holds ``base``; raise :class:`StaleRecord` if not."""
    record = editable.model.objects.select_for_update().get(pk=record_id)
    changes = _differences(editable, base, editable.values(record))
    if changes:
        raise StaleRecord(changes)
    return record


def _refuse_administrators_fields(editable: Editable, user, base: dict, proposed: dict) -> None:
    """Refuse an update to a field only administrators set (``accounts.roles``' rule)."""
    refused = fields_refused_to(user, editable.model._meta.label)
    changed = {name for name in editable.fields if base.get(name) != proposed.get(name)}
    if changed & refused:
        raise ValidationError(
            _("Only an administrator may change: %s.")
            % ", ".join(editable.label(name) for name in sorted(changed & refused))
        )


def _set_proposed(editable: Editable, record, proposed: dict[str, Any]) -> None:
    """Put the proposed values on the record and run the model's whole validation."""
    for name in editable.fields:
        setattr(record, editable.attname(name), from_json(editable.model, name, proposed.get(name)))
    record.full_clean()
    if editable.check is not None:
        editable.check(record)


def save_checked(record) -> None:
    """Save ``record``; a rule the database holds beyond the model's own validation (a
    trigger carrying a plot's acres to its firm, a check on another table) refuses the
    update as a ``ValidationError`` naming the rule, and nothing is written."""
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("This update breaks a rule of the records and was not applied: %(rule)s")
            % {"rule": _broken_rule(exc)}
        ) from exc


def _broken_rule(exc: IntegrityError) -> str:
    """The violated constraint's own message, found by its name across our models."""
    from django.apps import apps

    name = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return str(constraint.get_violation_error_message())
    return name or _("a database constraint")


def _apply(change_request: ChangeRequest, *, record, reviewer) -> None:
    _set_proposed(EDITABLE[change_request.kind], record, change_request.proposed)
    record._history_user = reviewer
    record._change_reason = change_request.comment[:100]
    save_checked(record)
    change_request.status = ChangeRequestStatus.APPROVED
    change_request.reviewed_by = reviewer
    change_request.reviewed_at = timezone.now()
    change_request.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    evidence_name_records(change_request=change_request, model=type(record), record=record)


def change_request_submit(
    *, user, kind: str, record_id: int, base: dict[str, Any], proposed: dict[str, Any],
    comment: str,
) -> ChangeRequest:  # fmt: skip
    """Submit an editor's update for review (an administrator's applies at once).

    Raises :class:`StaleRecord` when the record changed since ``base`` was read, and
    ``ValidationError`` when the update changes nothing.
    """
    editable = EDITABLE[kind]
    with transaction.atomic():
        record = _lock_unchanged(editable, record_id, base)
        if not can_edit_zone(user, editable.zone_of(record)):
            raise PermissionDenied
        if not _differences(editable, base, proposed):
            raise ValidationError(_("This update changes nothing."))
        _refuse_administrators_fields(editable, user, base, proposed)
        _set_proposed(editable, record, proposed)  # refused now, not at approval
        change_request = ChangeRequest.objects.create(
            zone=editable.zone_of(record),
            kind=kind,
            record_id=record.pk,
            base=base,
            proposed=proposed,
            comment=comment,
            submitted_by=user,
        )
        if is_administrator(user):
            _apply(change_request, record=record, reviewer=user)
    return change_request


def change_request_approve(*, change_request: ChangeRequest, reviewer) -> None:
    """Apply a pending update. The zone's readiness recompute follows on commit."""
    with transaction.atomic():
        change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
        _check_reviewer(change_request, reviewer)
        editable = EDITABLE[change_request.kind]
        record = _lock_unchanged(editable, change_request.record_id, change_request.base)
        _refuse_administrators_fields(
            editable, change_request.submitted_by, change_request.base, change_request.proposed
        )
        _apply(change_request, record=record, reviewer=reviewer)


def change_request_return(*, change_request: ChangeRequest, reviewer, note: str) -> None:
    """Send an update back to its editor with the reviewer's reason, by e-mail too."""
    if not note.strip():
        raise ValidationError(_("Say why the update is returned."))
    with transaction.atomic():
        change_request = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
        _check_reviewer(change_request, reviewer)
        change_request.status = ChangeRequestStatus.RETURNED
        change_request.reviewed_by = reviewer
        change_request.reviewed_at = timezone.now()
        change_request.review_note = note
        change_request.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
        transaction.on_commit(lambda: _notify_returned(change_request))


def _check_reviewer(change_request: ChangeRequest, reviewer) -> None:
    if change_request.import_job_id:
        raise ValidationError(_("This update is decided with its import, as a whole."))
    if change_request.status != ChangeRequestStatus.PENDING:
        raise ValidationError(_("This update was already decided."))
    if not can_review_zone(reviewer, change_request.zone):
        raise PermissionDenied
    if change_request.submitted_by_id == reviewer.pk and not is_administrator(reviewer):
        raise PermissionDenied(_("An update needs a second person to approve it."))


def _notify_returned(change_request: ChangeRequest) -> None:
    editor = change_request.submitted_by
    if not editor.email:
        return
    send_mail(
        subject=_("Your update to %(zone)s was returned") % {"zone": change_request.zone},
        message=_(
            "%(reviewer)s returned your update (%(kind)s) with this note:\n\n%(note)s\n\n"
            "Open your workspace to revise it: %(url)s"
        )
        % {
            "reviewer": change_request.reviewed_by,
            "kind": change_request.get_kind_display(),
            "note": change_request.review_note,
            "url": reverse("workspace:home"),
        },
        from_email=None,
        recipient_list=[editor.email],
    )
