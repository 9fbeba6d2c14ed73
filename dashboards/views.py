"""The national and province dashboards. Thin: the finder's filter set narrows the zones,
``dashboards.dashboard`` reads and draws, the template lays it out; the rendered result is
kept briefly by ``dashboards.cache`` and sent compressed to browsers that accept gzip."""

from __future__ import annotations

from django.http import Http404, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from zones.filtersets import ZoneFilterSet, labelled_filter_errors
from zones.illustrative import illustrative_errors

from . import cache, dashboard, returns_dashboard, selectors
from .finder_links import filter_params, filtered_page_context


def _render(request, params: QueryDict, *, code: str | None) -> tuple[bool, dict]:
    """(cacheable, page): the dashboard's title, status and rendered body, built from the
    canonical ``params`` alone (never the raw querystring: the page is cached under them)."""
    province = selectors.province(code) if code else None
    if code and province is None:
        raise Http404("No such province.")
    zones = selectors.zones_shown(request.user, province=province)
    filterset = ZoneFilterSet(params, queryset=zones, request=request)
    provinces = selectors.provinces()
    finder_params = params.copy()
    if province:
        finder_params.setlist("province", [province.code])
    context = {
        "province": province,
        **filtered_page_context(request, params, filterset, finder_params=finder_params),
    }
    choice = context["shown"]
    status = 200
    if filterset.is_valid() and choice.error is None:
        context["active_filters"] = filterset.active_filters()
        # The public's unfiltered page shows every published zone: the rollups' sums.
        whole = not request.user.is_authenticated and not context["active_filters"]
        context["dashboard"] = dashboard.build(
            filterset.qs,
            provinces=provinces,
            province=province,
            rows_url=context["finder_url"],
            include_illustrative=choice.include,
            whole=whole,
        )
        context["returns_charts"] = returns_dashboard.build_returns(
            filterset.qs,
            provinces=provinces,
            province=province,
            rows_url=context["finder_url"],
            include_illustrative=choice.include,
            whole=whole,
        )
    else:
        status = 400
        context["errors"] = illustrative_errors(choice) + (
            [] if filterset.is_valid() else labelled_filter_errors(filterset)
        )
    template = "dashboards/province.html" if province else "dashboards/national.html"
    page = {
        "title": str(province) if province else _("National dashboard"),
        "status": status,
        "body": render_to_string(template, context, request),
    }
    return status == 200, page


def _page(request, *, code: str | None = None):
    params = filter_params(request, drop=("province",) if code else ())
    key = cache.page_key(request, page=code.upper() if code else "national", params=params)
    page = cache.cached_page(key, lambda: _render(request, params, code=code))
    return render(request, "dashboards/page.html", page, status=page["status"])


@require_GET
@gzip_page
def national(request):
    """/: the national dashboard, narrowed by the finder's filters in the querystring."""
    return _page(request)


@require_GET
@gzip_page
def province(request, code: str):
    """/provinces/<ISO code>/: the same dashboard for one province, its zones compared."""
    return _page(request, code=code)
