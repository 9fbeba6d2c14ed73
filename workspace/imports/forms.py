"""The upload form of spreadsheet imports."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .reading import UPLOAD_SUFFIXES, max_upload_bytes


def too_large_message() -> str:
    return _("The file is larger than the upload limit of %(limit)s.") % {
        "limit": filesizeformat(max_upload_bytes())
    }


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet"),
        help_text=gettext_lazy(
            "An .xlsx workbook, one CSV file named after its sheet (e.g. milestones.csv), "
            "or a .zip of such CSV files."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(UPLOAD_SUFFIXES)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise ValidationError(too_large_message())
        if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            raise ValidationError(_("Upload a .csv, .xlsx or .zip file."))
        return upload
