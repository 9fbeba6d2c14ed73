"""The public change log (/changes/): what changed in the published zones, newest first,
narrowed with the finder's parameters; and the open data package (/data/)."""

from __future__ import annotations

import datetime

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from zones.filtersets import ZoneFilterSet, labelled_filter_errors

from . import open_data, selectors

CHANGES_PAGE_SIZE = 50


def zone_filterset(request) -> ZoneFilterSet:
    """The finder's filters over the published zones."""
    return ZoneFilterSet(request.GET, queryset=selectors.published_zones(), request=request)


def feed_query(params) -> str:
    """The querystring of ``params`` without the page and sort (for the feed link)."""
    query = params.copy()
    for key in ("page", "sort"):
        query.pop(key, None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


@require_safe
def change_log(request):
    """/changes/: every approved change to a public field of a published zone."""
    filterset = zone_filterset(request)
    context = {"form": filterset.form, "feed_query": feed_query(request.GET)}
    if not filterset.is_valid():
        context["errors"] = labelled_filter_errors(filterset)
        return render(request, "follow/changes.html", context, status=400)
    paginator = Paginator(selectors.change_log(zones=filterset.qs), CHANGES_PAGE_SIZE)
    number = request.GET.get("page") or 1
    try:
        page = paginator.page(number)
    except PageNotAnInteger:
        message = _("“%(page)s” is not a page number.") % {"page": str(number)[:50]}
        context["errors"] = [(_("Page"), message)]
        return render(request, "follow/changes.html", context, status=400)
    except EmptyPage:
        message = _("There is no page %(page)s: the results fill %(count)s page(s).") % {
            "page": str(number)[:50],
            "count": paginator.num_pages,
        }
        context["errors"] = [(_("Page"), message)]
        return render(request, "follow/changes.html", context, status=400)
    context.update(page=page, changes=selectors.with_zones(page.object_list))
    return render(request, "follow/changes.html", context)


@require_safe
def data_package_index(request):
    """/data/: the open data packages kept, newest first, and what each table holds."""
    return render(
        request,
        "follow/data.html",
        {"packages": open_data.available_packages(), "resources": open_data.RESOURCES},
    )


@require_safe
def data_package_download(request, date: str):
    """/data/<date>.zip: one package, as a download."""
    try:
        package = open_data.package_for_date(datetime.date.fromisoformat(date))
    except ValueError:
        package = None
    if package is None:
        raise Http404(_("There is no open data package of that date."))
    return FileResponse(
        open_data.package_storage().open(package.name, "rb"),
        as_attachment=True,
        filename=package.name,
        content_type="application/zip",
    )
