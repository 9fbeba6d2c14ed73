"""Forms for the zone pages. Validation of the finder's parameters is the filter set's job
(``zones.filtersets.ZoneFilterSet``); this form only lays the same parameters out for people."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from zones.vocabulary import UtilityKind, ZoneStatus

from .filtersets import CPEC_CHOICES, MAX_ACRES, Q_MAX_LENGTH
from .models import Province, Sector

SORT_CHOICES = (
    ("name", _("Name (A to Z)")),
    ("-name", _("Name (Z to A)")),
    ("-readiness", _("Readiness (highest first)")),
    ("readiness", _("Readiness (lowest first)")),
    ("-free_land", _("Free land (most first)")),
    ("free_land", _("Free land (least first)")),
    ("-area", _("Area (largest first)")),
    ("area", _("Area (smallest first)")),
    ("province", _("Province")),
    ("-delivery", _("Delivery: jobs vs target (most delivered first)")),
    ("delivery", _("Delivery: jobs vs target (least delivered first)")),
)


class ZoneFinderForm(forms.Form):
    """The finder's filter form: field names are the public query parameters."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=Q_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, district, developer, sector")}
        ),
    )
    sector = forms.MultipleChoiceField(
        label=_("Sectors"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Zones targeting any of them."),
    )
    province = forms.MultipleChoiceField(
        label=_("Provinces and territories"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=ZoneStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    utility = forms.MultipleChoiceField(
        label=_("Connected inside the zone"),
        choices=UtilityKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every utility ticked must be connected."),
    )
    readiness_min = forms.DecimalField(
        label=_("Readiness from"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    readiness_max = forms.DecimalField(
        label=_("Readiness to"), required=False, min_value=0, max_value=100, decimal_places=2
    )
    free_land_min = forms.DecimalField(
        label=_("Free land at least (acres)"),
        required=False,
        min_value=0,
        max_value=MAX_ACRES,
        decimal_places=2,
    )
    cpec_priority = forms.ChoiceField(
        label=_("CPEC priority zone"),
        choices=(("", _("Any")), *CPEC_CHOICES),
        required=False,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Names are stored in English and shown in the reader's language.
        self.fields["sector"].choices = [
            (slug, gettext(name)) for slug, name in Sector.objects.values_list("slug", "name")
        ]
        self.fields["province"].choices = [
            (code, gettext(name)) for code, name in Province.objects.values_list("code", "name")
        ]

    @classmethod
    def from_query(cls, params) -> ZoneFinderForm:
        """An unbound form showing the choices in ``params`` (validation is the filter set's)."""
        initial = {}
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.MultipleChoiceField):
                initial[name] = params.getlist(name)
            elif name in params:
                initial[name] = params.get(name)
        return cls(initial=initial)
