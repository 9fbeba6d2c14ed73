"""Evidence pages: attach a file to an update, and download one (always as an attachment)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..review.selectors import change_request_get
from ..vocabulary import EVIDENCE_TYPES
from . import selectors, services
from .forms import EvidenceForm


def _back(change_request):
    if change_request.import_job_id:
        return redirect("workspace:import_review", pk=change_request.import_job_id)
    return redirect("workspace:review", pk=change_request.pk)


@login_required
@require_POST
def attach(request, pk: int):
    change_request = change_request_get(pk=pk)
    if change_request is None:
        raise Http404
    if not services.may_attach(request.user, change_request):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(change_request)
    try:
        services.evidence_attach(
            change_request=change_request,
            user=request.user,
            data=form.content,
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            dated=form.cleaned_data["dated"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Evidence attached."))
    return _back(change_request)


@require_GET
def download(request, pk: int):
    """The file, to those who may see it: a download (never shown inline), its type the
    one read from its content, with ``nosniff``. Anyone else: 404."""
    evidence = selectors.evidence_get(pk=pk)
    if evidence is None or not selectors.may_see(request.user, evidence):
        raise Http404
    name = f"{slugify(evidence.title) or 'evidence'}{EVIDENCE_TYPES[evidence.content_type]}"
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"  # who may see it can change
    return response
