"""What every zone record carries: its provenance and its timestamps."""

from __future__ import annotations

from functools import cache

from django.db import models
from django.db.models import Q
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _


@cache
def choice_labels(field: models.Field) -> dict | None:
    """``field``'s choices as {value: label (lazy, so in the active language when shown)};
    None when a value cannot be a key (Django's own lookup then makes it one)."""
    try:
        return dict(field.flatchoices)
    except TypeError:
        return None


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

    def _get_FIELD_display(self, field):
        """A choice's label, as Django's ``get_<field>_display`` gives it, from a table kept
        per field: Django's makes every choice's label hashable on each call, which translates
        them all (2,600 translations for the 620 labels of a synthetic zone's page, about 7 %
        of its time)."""
        labels = choice_labels(field)
        if labels is None:
            return super()._get_FIELD_display(field)
        value = getattr(self, field.attname)
        try:
            return force_str(labels.get(value, value), strings_only=True)
        except TypeError:  # an unhashable value (a list): Django makes it hashable
            return super()._get_FIELD_display(field)


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
