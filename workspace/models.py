"""Maker-checker: an editor's proposed update waits here until a reviewer decides."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zones.models import Zone

from .vocabulary import (
    EVIDENCE_MAX_BYTES,
    EVIDENCE_TYPES,
    ChangeRequestAction,
    ChangeRequestKind,
    ChangeRequestStatus,
    EvidenceKind,
    ImportJobStatus,
)


class ChangeRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ChangeRequestStatus.PENDING)


class ChangeRequest(models.Model):
    """An update to one record of a zone, proposed by an editor, decided by a reviewer.

    ``base`` holds the values the editor saw when opening the form; the update applies only
    while the record still holds them, so nobody's change is overwritten unseen.

    An editor's spreadsheet import makes one change request per record it creates or
    changes, all in the import's batch (``import_job``): those name the sheet, the line and
    the record's natural key, hold the row's stored and proposed values by column, have no
    ``kind`` and, for a new record, no ``record_id``. A batch is decided as a whole.
    """

    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("zone")
    )
    kind = models.CharField(
        _("record type"), max_length=20, choices=ChangeRequestKind.choices, blank=True
    )
    record_id = models.BigIntegerField(_("record"), null=True, blank=True)
    action = models.CharField(
        _("action"),
        max_length=10,
        choices=ChangeRequestAction.choices,
        default=ChangeRequestAction.UPDATE,
    )
    import_job = models.ForeignKey(
        "ImportJob",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="change_requests",
        verbose_name=_("spreadsheet import"),
    )
    sheet = models.CharField(_("sheet"), max_length=40, blank=True)
    line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    record_key = models.CharField(_("record"), max_length=300, blank=True)
    base = models.JSONField(_("values when the form was opened"))
    proposed = models.JSONField(_("proposed values"))
    comment = models.TextField(_("comment"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.PENDING,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="change_requests",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_change_requests",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("update for review")
        verbose_name_plural = _("updates for review")
        permissions = [("review_changerequest", _("Can approve or return editors' updates"))]
        constraints = [
            models.CheckConstraint(
                name="change_request_kind_valid",
                condition=Q(kind__in=ChangeRequestKind.values)
                | Q(kind="", import_job__isnull=False),
            ),
            models.CheckConstraint(
                name="change_request_action_valid",
                condition=Q(action=ChangeRequestAction.UPDATE, record_id__isnull=False)
                | Q(action=ChangeRequestAction.CREATE, import_job__isnull=False),
            ),
            models.CheckConstraint(
                name="change_request_batch_row_named",
                condition=Q(import_job__isnull=True) | ~Q(sheet="") & Q(line__isnull=False),
            ),
            models.CheckConstraint(
                name="change_request_status_valid",
                condition=Q(status__in=ChangeRequestStatus.values),
            ),
            models.CheckConstraint(
                name="change_request_reviewed_when_decided",
                condition=Q(status=ChangeRequestStatus.PENDING)
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["status", "zone"], name="change_request_queue_idx")]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def label(self) -> str:
        """What the update is about: a record type and id, or a sheet row of an import."""
        if self.import_job_id:
            return f"{self.sheet}:{self.line} {self.record_key}"
        return f"{self.get_kind_display()} #{self.record_id}"


class ImportJobQuerySet(models.QuerySet):
    def without_data(self):
        """Everything but the uploaded bytes, which only the import itself reads."""
        return self.defer("data")


class ImportJob(models.Model):
    """A spreadsheet bundle uploaded in the workspace: checked, previewed, then applied whole.

    The uploaded bytes live in the database so that any web or worker machine can read
    them. ``progress_done``/``progress_total`` are the importer's own progress counts; they
    are written on a separate connection while the import's transaction is still open.
    ``status`` becomes ``applied`` in the same transaction as the imported rows.
    """

    WAITING = (
        ImportJobStatus.UPLOADED,
        ImportJobStatus.CHECKING,
        ImportJobStatus.QUEUED,
        ImportJobStatus.RUNNING,
    )

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_jobs",
        verbose_name=_("uploaded by"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("uploaded file"))
    size = models.PositiveBigIntegerField(_("size in bytes"))
    language = models.CharField(_("language of messages"), max_length=10, default="en")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ImportJobStatus.choices,
        default=ImportJobStatus.UPLOADED,
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)
    progress_done = models.PositiveIntegerField(_("steps done"), default=0)
    progress_total = models.PositiveIntegerField(_("steps in all"), default=0)
    preview = models.JSONField(_("what applying would do"), null=True, blank=True)
    report = models.JSONField(_("what the import did"), null=True, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    errors_total = models.PositiveIntegerField(_("number of errors"), default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last activity"), auto_now=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    #: A digest of the whole previewed plan: applying refuses when the plan differs now.
    digest = models.CharField(_("digest of the preview"), max_length=64, blank=True)
    #: Every created or updated row of the preview, with the stored values it was made on.
    plan = models.JSONField(_("previewed rows"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_import_jobs",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        constraints = [
            models.CheckConstraint(
                name="import_job_status_valid",
                condition=Q(status__in=ImportJobStatus.values),
            ),
            models.CheckConstraint(
                name="import_job_applied_at_when_applied",
                condition=~Q(status=ImportJobStatus.APPLIED) | Q(applied_at__isnull=False),
            ),
            models.CheckConstraint(
                name="import_job_returned_with_reviewer",
                condition=~Q(status=ImportJobStatus.RETURNED)
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["owner", "-created_at"], name="import_job_owner_idx")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_waiting(self) -> bool:
        return self.status in self.WAITING


def evidence_storage():
    """Evidence's storage: ``STORAGES["evidence"]``, private (never served as media)."""
    return storages["evidence"]


def evidence_path(evidence: Evidence, filename: str) -> str:
    """A name nobody can guess, with the extension of the type read from the content."""
    suffix = EVIDENCE_TYPES.get(evidence.content_type, "")
    return f"{evidence.zone_id}/{uuid.uuid4().hex}{suffix}"


class EvidenceQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(change_request__status=ChangeRequestStatus.APPROVED)


class Evidence(models.Model):
    """A file behind an update: a gazette notification, a utility's letter, a site photo.

    Attached to a change request; once it is approved ``record_type`` (the model's label)
    and ``record_id`` name the record it stands behind. The file's type was read from its
    content, images were re-encoded (no metadata left), PDFs opened.
    """

    change_request = models.ForeignKey(
        ChangeRequest,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("update"),
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("zone")
    )
    record_type = models.CharField(_("record type"), max_length=60, blank=True)
    record_id = models.BigIntegerField(_("record"), null=True, blank=True)
    record_label = models.CharField(_("record"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    dated = models.DateField(_("date"))
    file = models.FileField(
        _("file"), upload_to=evidence_path, storage=evidence_storage, max_length=200
    )
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="evidence",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["dated", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                name="evidence_kind_valid", condition=Q(kind__in=EvidenceKind.values)
            ),
            models.CheckConstraint(
                name="evidence_type_allowed", condition=Q(content_type__in=list(EVIDENCE_TYPES))
            ),
            models.CheckConstraint(
                name="evidence_size_limit", condition=Q(size__lte=EVIDENCE_MAX_BYTES)
            ),
            models.CheckConstraint(
                name="evidence_record_named_whole",
                condition=Q(record_type="", record_id__isnull=True)
                | (~Q(record_type="") & Q(record_id__isnull=False)),
            ),
        ]
        indexes = [models.Index(fields=["zone", "record_type"], name="evidence_zone_idx")]

    def __str__(self) -> str:
        return self.title
