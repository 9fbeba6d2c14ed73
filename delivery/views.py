"""/delivery/: the national "announced vs delivered" page. Thin, like the dashboards: the
finder's filter set narrows the zones, ``delivery.page`` reads and draws, the template lays
it out; the rendered page is kept briefly by ``dashboards.cache``."""

from __future__ import annotations

from django.http import QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from dashboards import cache
from dashboards.finder_links import filter_params, filtered_page_context
from zones.filtersets import ZoneFilterSet, labelled_filter_errors
from zones.illustrative import illustrative_errors
from zones.selectors import zones_visible_to

from .page import build_national


def _render(request, params: QueryDict) -> tuple[bool, dict]:
    """(cacheable, page), built from the canonical ``params`` alone (the cache's key)."""
    filterset = ZoneFilterSet(params, queryset=zones_visible_to(request.user), request=request)
    finder_params = params.copy()
    finder_params.setlist("sort", ["-delivery"])
    context = {
        "province": None,
        **filtered_page_context(request, params, filterset, finder_params=finder_params),
        "today": timezone.localdate(),
    }
    choice = context["shown"]
    status = 200
    if filterset.is_valid() and choice.error is None:
        context["active_filters"] = filterset.active_filters()
        context["page"] = build_national(
            filterset.qs,
            rows_url=context["finder_url"],
            today=context["today"],
            include_illustrative=choice.include,
        )
    else:
        status = 400
        context["errors"] = illustrative_errors(choice) + (
            [] if filterset.is_valid() else labelled_filter_errors(filterset)
        )
    page = {
        "title": _("Announced vs delivered"),
        "status": status,
        "body": render_to_string("delivery/national.html", context, request),
    }
    return status == 200, page


@require_GET
@gzip_page
def national_delivery(request):
    """/delivery/: every zone's announced targets against what its records show, ranked by
    delivery, with the national totals; narrowed by the finder's filters."""
    params = filter_params(request)
    key = cache.page_key(request, page="delivery", params=params)
    page = cache.cached_page(key, lambda: _render(request, params))
    return render(request, "dashboards/page.html", page, status=page["status"])
