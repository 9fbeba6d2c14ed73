"""The policy page's own filters (the zones are narrowed by the finder's filter set)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .vocabulary import PolicyEffect, PolicyLevel


class EventFilterForm(forms.Form):
    """``level`` and ``effect``, each repeatable; any value matches."""

    level = forms.MultipleChoiceField(
        choices=PolicyLevel.choices,
        required=False,
        label=_("Level"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown level “%(value)s”.")},
    )
    effect = forms.MultipleChoiceField(
        choices=PolicyEffect.choices,
        required=False,
        label=_("Effect"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Unknown effect “%(value)s”.")},
    )
