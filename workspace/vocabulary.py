"""The workspace's vocabulary: what a change request is about, where it and an import stand.

Pure, as ``zones.vocabulary``: models take their choices from here, views and templates
compare with these names without importing a model.
"""

from __future__ import annotations

from django.db.models.enums import TextChoices
from django.utils.translation import gettext_lazy as _


class ChangeRequestKind(TextChoices):
    MILESTONE = "milestone", _("Milestone")
    UTILITY = "utility", _("Utility")
    DISPUTE = "dispute", _("Land dispute")
    FIRM = "firm", _("Firm")
    ZONE_TEXT = "zone_text", _("Zone name and description in Urdu and Chinese")
    PLOT = "plot", _("Plot")
    UTILITY_REQUEST = "utility_request", _("Unit's utility request")
    OUTAGE = "outage", _("Outage report")
    REPORTED_TOTAL = "reported_total", _("Reported total")
    ANNUAL_RETURN = "annual_return", _("Annual return")
    APPLICATION = "application", _("One-window application")


class ChangeRequestStatus(TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved and applied")
    RETURNED = "returned", _("Returned to the editor")


class ChangeRequestAction(TextChoices):
    UPDATE = "update", _("Update")
    CREATE = "create", _("New record")


class EvidenceKind(TextChoices):
    GAZETTE = "gazette", _("Gazette notification")
    UTILITY_LETTER = "utility_letter", _("Utility's letter")
    SITE_PHOTO = "site_photo", _("Site photo")
    OTHER = "other", _("Other document")


#: What evidence may be: at most this many bytes each, this many files per update.
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_MAX_FILES = 5
#: The types evidence may have (read from the content), with the extension it is stored under.
EVIDENCE_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
}


class ImportJobStatus(TextChoices):
    UPLOADED = "uploaded", _("Waiting to be checked")
    CHECKING = "checking", _("Being checked")
    PREVIEWED = "previewed", _("Checked: ready to apply")
    PROPOSED = "proposed", _("Waiting for review")
    RETURNED = "returned", _("Returned to the editor")
    QUEUED = "queued", _("Waiting to be applied")
    RUNNING = "running", _("Being applied")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Refused: nothing was imported")
