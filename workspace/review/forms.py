from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .editable import EDITABLE, to_json

BASE_SALT = "workspace.change-request.base"


class DateInput(forms.DateInput):
    input_type = "date"


def change_form_class(kind: str) -> type[forms.ModelForm]:
    """A form for the editable fields of one record type, plus a comment and the base values."""
    editable = EDITABLE[kind]

    class ChangeForm(forms.ModelForm):
        comment = forms.CharField(
            label=_("Comment for the reviewer"),
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=2000,
            help_text=_("What changed and the source for it."),
        )
        base = forms.CharField(widget=forms.HiddenInput)

        class Meta:
            model = editable.model
            fields = editable.fields
            widgets = {
                name: DateInput(format="%Y-%m-%d")
                for name in editable.fields
                if name.endswith(("_date", "_on")) or name == "as_of"
            }

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            zone = editable.zone_of(self.instance)
            for field in self.fields.values():
                # A related record (a plot's firm) is chosen among the zone's own.
                queryset = getattr(field, "queryset", None)
                if queryset is not None and hasattr(queryset.model, "zone"):
                    field.queryset = queryset.filter(zone=zone)
            for name, reason in editable.locked(self.instance).items():
                self.fields[name].disabled = True
                self.fields[name].help_text = reason
            if not self.is_bound:
                self.initial["base"] = signing.dumps(editable.values(self.instance), salt=BASE_SALT)

        def clean_base(self):
            try:
                return signing.loads(self.cleaned_data["base"], salt=BASE_SALT)
            except signing.BadSignature as exc:
                raise forms.ValidationError(_("The form was tampered with; reopen it.")) from exc

        def proposed(self) -> dict:
            return {name: to_json(self.cleaned_data.get(name)) for name in editable.fields}

    ChangeForm.__name__ = f"{editable.model.__name__}ChangeForm"
    return ChangeForm


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Why is it returned?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
