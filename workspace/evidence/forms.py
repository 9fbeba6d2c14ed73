"""The evidence upload form: a file, its title, kind and date."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..vocabulary import EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, EvidenceKind
from .checks import checked_content, too_large


class DateInput(forms.DateInput):
    input_type = "date"


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, PNG, JPEG or WebP file of at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join([*EVIDENCE_TYPES, *EVIDENCE_TYPES.values()])}
        ),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    dated = forms.DateField(
        label=_("Date"),
        help_text=_("The date of the document or of the photo."),
        widget=DateInput(format="%Y-%m-%d"),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > EVIDENCE_MAX_BYTES:
            raise too_large()
        data, content_type = checked_content(upload.read(EVIDENCE_MAX_BYTES + 1))
        self.content, self.content_type = data, content_type
        return upload
