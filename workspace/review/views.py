"""The editing workspace's pages: its home, the editing form and the review of an update.

Editors propose updates to the records of the zones they edit; reviewers approve or return
them (maker-checker). Who may do what on which zone is asked of :mod:`accounts.roles`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import can_edit, can_edit_zone, can_review, can_review_zone
from zones.history import hidden_fields, sees_internal

from ..evidence.forms import EvidenceForm
from ..evidence.selectors import evidence_by_change_request
from ..evidence.services import may_attach
from ..imports.selectors import import_batches_to_review
from ..vocabulary import ChangeRequestStatus
from . import selectors, services
from .coverage import translation_coverage
from .editable import EDITABLE
from .forms import ReturnForm, change_form_class


@login_required
def home(request):
    context = {"is_editor": can_edit(request.user), "is_reviewer": can_review(request.user)}
    if context["is_editor"]:
        zones = list(selectors.editor_zones(user=request.user))
        for zone in zones:  # the zone's own words: how much is translated, what is missing
            zone.translation_coverage = translation_coverage(zone)
        context["returns_due_year"] = selectors.attach_returns_work(zones)
        context["zones"] = zones
        context["my_requests"] = selectors.requests_submitted_by(user=request.user)
    if context["is_reviewer"]:
        context["queue"] = selectors.review_queue(user=request.user)
        context["batches"] = import_batches_to_review(user=request.user)
    return render(request, "workspace/home.html", context)


@login_required
def edit_record(request, kind: str, pk: int):
    editable = EDITABLE.get(kind)
    if editable is None:
        raise Http404
    record = selectors.editable_record(editable=editable, pk=pk)
    if record is None:
        raise Http404
    zone = editable.zone_of(record)
    if not can_edit_zone(request.user, zone):
        raise PermissionDenied
    form_class = change_form_class(kind)
    form = form_class(request.POST or None, instance=record)
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            change_request = services.change_request_submit(
                user=request.user,
                kind=kind,
                record_id=record.pk,
                base=form.cleaned_data["base"],
                proposed=form.proposed(),
                comment=form.cleaned_data["comment"],
            )
        except services.StaleRecord as exc:
            stale = exc.changes
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if change_request.status == ChangeRequestStatus.APPROVED:
                messages.success(request, _("Update applied."))
                return redirect("workspace:home")
            messages.success(request, _("Update submitted for review."))
            return redirect("workspace:review", pk=change_request.pk)  # attach evidence there
    return render(
        request,
        "workspace/edit.html",
        {"form": form, "record": record, "zone": zone, "editable": editable, "stale": stale},
    )


def _change_request(pk: int):
    change_request = selectors.change_request_get(pk=pk)
    if change_request is None:
        raise Http404
    return change_request


def _review_context(change_request, *, user, **extra):
    editable = EDITABLE[change_request.kind]
    hidden = hidden_fields(editable.model, internal=sees_internal(user))
    rows = [
        {
            "label": editable.label(name),
            "was": editable.display(name, change_request.base.get(name)),
            "proposed": editable.display(name, change_request.proposed.get(name)),
            "changed": change_request.base.get(name) != change_request.proposed.get(name),
        }
        for name in editable.fields
        if name not in hidden
    ]
    record = selectors.change_request_record(change_request=change_request)
    evidence = evidence_by_change_request(change_request_ids=[change_request.pk])
    return {
        "change_request": change_request,
        "rows": rows,
        "record": record,
        "evidence": evidence.get(change_request.pk, []),
        "may_attach": may_attach(user, change_request),
        "evidence_form": EvidenceForm(),
        **extra,
    }


@login_required
def review(request, pk: int):
    change_request = _change_request(pk)
    if change_request.import_job_id:  # decided with its import, as a whole
        return redirect("workspace:import_review", pk=change_request.import_job_id)
    if not (
        can_review_zone(request.user, change_request.zone)
        or change_request.submitted_by_id == request.user.pk
    ):
        raise PermissionDenied
    can_decide = change_request.status == ChangeRequestStatus.PENDING and can_review_zone(
        request.user, change_request.zone
    )
    return render(
        request,
        "workspace/review.html",
        _review_context(
            change_request, user=request.user, can_decide=can_decide, return_form=ReturnForm()
        ),
    )


@login_required
@require_POST
def approve(request, pk: int):
    change_request = _change_request(pk)
    try:
        services.change_request_approve(change_request=change_request, reviewer=request.user)
    except services.StaleRecord as exc:
        return render(
            request,
            "workspace/review.html",
            _review_context(
                change_request,
                user=request.user,
                can_decide=True,
                return_form=ReturnForm(),
                stale=exc.changes,
            ),
            status=409,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("workspace:review", pk=pk)
    messages.success(request, _("Update approved and applied."))
    return redirect("workspace:home")


@login_required
@require_POST
def return_update(request, pk: int):
    change_request = _change_request(pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.change_request_return(
                change_request=change_request, reviewer=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("workspace:review", pk=pk)
        messages.success(request, _("Update returned to the editor."))
        return redirect("workspace:home")
    if not can_review_zone(request.user, change_request.zone):
        raise PermissionDenied
    return render(
        request,
        "workspace/review.html",
        _review_context(change_request, user=request.user, can_decide=True, return_form=form),
        status=400,
    )
