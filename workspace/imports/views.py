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

from accounts.roles import can_edit, is_administrator
from zones.history import sees_internal

from ..evidence.forms import EvidenceForm
from ..evidence.selectors import evidence_by_change_request
from ..evidence.services import may_attach
from ..review.forms import ReturnForm
from ..vocabulary import ChangeRequestAction, ImportJobStatus
from . import selectors, services
from .forms import ImportUploadForm, too_large_message
from .plan import hidden_columns
from .progress import is_stalled, progress_of
from .reading import max_upload_bytes
from .report import visible_result
from .steps import applies_at_once
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
    internal = sees_internal(request.user)
    context = {
        "job": job,
        "preview": visible_result(job.preview, internal=internal),
        "report": visible_result(job.report, internal=internal),
        "progress": progress_of(job),
        "stalled": is_stalled(job),
        "is_owner": job.owner_id == request.user.pk,
        "for_review": not applies_at_once(job),
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
        elif job.status == ImportJobStatus.PROPOSED:
            messages.success(request, _("The import was sent for review; nothing is applied yet."))
            return redirect("workspace:import_review", pk=pk)
        elif job.status == ImportJobStatus.FAILED:
            messages.error(request, _("The spreadsheet was refused; nothing was imported."))
    return redirect("workspace:import_job", pk=pk)


def _batch(request, pk: int):
    job = selectors.import_batch_visible(user=request.user, pk=pk)
    if job is None:
        raise Http404
    return job


def _batch_page(request, job, *, return_form=None, status: int = 200):
    """An import's batch of change requests, field by field, with the evidence of each."""
    internal = sees_internal(request.user)
    rows = selectors.batch_rows(job=job)
    evidence = evidence_by_change_request(change_request_ids=[row.pk for row in rows])
    items = []
    for row in rows:
        hidden = hidden_columns(row.sheet, internal=internal)
        created = row.action == ChangeRequestAction.CREATE
        fields = [
            {"column": column, "was": row.base.get(column, ""), "proposed": value}
            for column, value in row.proposed.items()
            if column not in hidden
            and (row.base.get(column) != value if not created else value not in ("", None))
        ]
        items.append(
            {
                "request": row,
                "created": created,
                "fields": fields,
                "evidence": evidence.get(row.pk, []),
                "may_attach": job.status == ImportJobStatus.PROPOSED
                and may_attach(request.user, row),
                "evidence_form": EvidenceForm(auto_id=f"evidence-{row.pk}-%s"),
            }
        )
    is_owner = job.owner_id == request.user.pk
    can_decide = (
        job.status == ImportJobStatus.PROPOSED
        and services.may_review_batch(request.user, job)
        and (not is_owner or is_administrator(request.user))
    )
    context = {
        "job": job,
        "preview": visible_result(job.preview, internal=internal),
        "items": items,
        "is_owner": is_owner,
        "can_decide": can_decide,
        "return_form": return_form or ReturnForm(),
    }
    return render(request, "workspace/import_review.html", context, status=status)


@login_required
@require_GET
def batch_review(request, pk: int):
    return _batch_page(request, _batch(request, pk))


@login_required
@require_POST
def batch_approve(request, pk: int):
    job = _batch(request, pk)
    try:
        job = services.import_batch_approve(job=job, reviewer=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("workspace:import_review", pk=pk)
    if job.status == ImportJobStatus.FAILED:  # something changed since the preview
        messages.error(
            request,
            _(
                "Not applied: the records changed since the preview. "
                "The batch went back to its editor."
            ),
        )
        return _batch_page(request, job, status=409)
    if job.status == ImportJobStatus.APPLIED:
        messages.success(request, _("The import was approved and applied."))
        return redirect("workspace:home")
    messages.success(request, _("The import was approved; a worker is applying it."))
    return redirect("workspace:import_review", pk=pk)


@login_required
@require_POST
def batch_return(request, pk: int):
    job = _batch(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        if not services.may_review_batch(request.user, job):
            raise PermissionDenied
        return _batch_page(request, job, return_form=form, status=400)
    try:
        services.import_batch_return(job=job, reviewer=request.user, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("workspace:import_review", pk=pk)
    messages.success(request, _("The import was returned to its editor."))
    return redirect("workspace:home")


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
