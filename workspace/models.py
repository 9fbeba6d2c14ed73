"""Maker-checker: an editor's proposed update waits here until a reviewer decides."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zones.models import Zone

from .vocabulary import ChangeRequestKind, ChangeRequestStatus, ImportJobStatus


class ChangeRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ChangeRequestStatus.PENDING)


class ChangeRequest(models.Model):
    """An update to one record of a zone, proposed by an editor, decided by a reviewer.

    ``base`` holds the values the editor saw when opening the form; the update applies only
    while the record still holds them, so nobody's change is overwritten unseen.
    """

    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("zone")
    )
    kind = models.CharField(_("record type"), max_length=20, choices=ChangeRequestKind.choices)
    record_id = models.BigIntegerField(_("record"))
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
                condition=Q(kind__in=ChangeRequestKind.values),
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
        return f"{self.get_kind_display()} #{self.record_id} ({self.get_status_display()})"


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
        ]
        indexes = [models.Index(fields=["owner", "-created_at"], name="import_job_owner_idx")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_waiting(self) -> bool:
        return self.status in self.WAITING
