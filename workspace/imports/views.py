"""Spreadsheet import pages: upload, preview, apply, progress and the template workbook.

Only administrators and zone editors may open them; editors import rows for their own
zones only (the importer refuses any other row, as an error of the whole file).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import can_edit

from ..vocabulary import ImportJobStatus
from . import selectors, services
from .forms import ImportUploadForm, too_large_message
from .progress import is_stalled, progress_of
from .reading import max_upload_bytes
from .template_workbook import build_template_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MULTIPART_OVERHEAD = 64 * 1024  # room for the form's other fields and the part headers


def _require_importer(user) -> None:
    if not can_edit(user):
        raise PermissionDenied


def _upload_page(request, form, *, refused: str = "", status: int = 200):
    context = {
        "form": form,
        "refused": refused,
        "jobs": selectors.import_jobs_recent(user=request.user),
        "zone_names": selectors.importable_zone_names(user=request.user),
        "max_size": max_upload_bytes(),
    }
    return render(request, "workspace/import_upload.html", context, status=status)


@login_required
@csrf_exempt  # the size is checked before the body is read; CSRF is checked right after
def upload(request):
    _require_importer(request.user)
    if request.method == "POST":
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > max_upload_bytes() + MULTIPART_OVERHEAD:
            return _upload_page(
                request, ImportUploadForm(), refused=too_large_message(), status=413
            )
    return _upload_checked(request)


@csrf_protect
def _upload_checked(request):
    if request.method != "POST":
        return _upload_page(request, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    job = services.import_job_create(
        owner=request.user,
        filename=upload.name,
        data=upload.read(),
        language=request.LANGUAGE_CODE,
    )
    return redirect("workspace:import_job", pk=job.pk)


def _visible_job(request, pk: int):
    _require_importer(request.user)
    job = selectors.import_job_visible(user=request.user, pk=pk)
    if job is None:
        raise Http404
    return job


@login_required
@require_GET
def job_detail(request, pk: int):
    job = _visible_job(request, pk)
    context = {
        "job": job,
        "progress": progress_of(job),
        "stalled": is_stalled(job),
        "is_owner": job.owner_id == request.user.pk,
    }
    return render(request, "workspace/import_job.html", context)


@never_cache
@login_required
@require_GET
def job_status(request, pk: int):
    """The small JSON the job page polls while a worker checks or applies the file."""
    return JsonResponse(progress_of(_visible_job(request, pk)))


@login_required
@require_POST
def job_apply(request, pk: int):
    job = _visible_job(request, pk)
    try:
        job = services.import_job_apply(job=job, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if job.status == ImportJobStatus.APPLIED:
            messages.success(request, _("The spreadsheet was imported."))
        elif job.status == ImportJobStatus.FAILED:
            messages.error(request, _("The spreadsheet was refused; nothing was imported."))
    return redirect("workspace:import_job", pk=pk)


@login_required
@require_POST
def job_retry(request, pk: int):
    job = _visible_job(request, pk)
    try:
        services.import_job_retry(job=job, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("workspace:import_job", pk=pk)


@login_required
@require_GET
def template_workbook(request):
    _require_importer(request.user)
    response = HttpResponse(build_template_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="sez-import-template.xlsx"'
    return response
