"""What every zone record carries: its provenance and its timestamps."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
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


def counted_q(*, include_illustrative: bool = False, prefix: str = "") -> Q:
    """The records a figure counts: real ones only, unless illustrative ones (invented for
    the demo) are asked for. ``prefix`` reaches a related record (``"firms__"``).

    The one rule every headline figure, chart and aggregate applies; the request's choice
    is parsed once, by ``zones.illustrative.Shown``."""
    if include_illustrative:
        return Q()
    return Q(**{f"{prefix}is_illustrative": False})
