"""What every zone record carries: its provenance and its timestamps."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Provenance(models.Model):
    """Where a record's facts come from, and whether it was invented for the demo."""

    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Invented to fill the demo; not a researched fact."),
    )

    class Meta:
        abstract = True


class Timestamped(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
