"""The national and province dashboards. Thin: the finder's filter set narrows the zones,
``dashboards.dashboard`` reads and draws, the template lays it out."""

from __future__ import annotations

from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from zones.filtersets import ZoneFilterSet, filter_errors
from zones.forms import ZoneFinderForm
from zones.models import Province
from zones.selectors import zones_visible_to

from . import dashboard

#: The finder's parameters that narrow a dashboard; sorting and paging do not apply here.
IGNORED_PARAMETERS = ("sort", "page")


def _params(request, *, drop: tuple[str, ...] = ()) -> QueryDict:
    params = request.GET.copy()
    for name in (*IGNORED_PARAMETERS, *drop):
        params.pop(name, None)
    return params


def _finder_url(params: QueryDict) -> str:
    query = params.urlencode()
    return reverse("zones:finder") + (f"?{query}" if query else "")


def _page(request, *, province: Province | None):
    params = _params(request, drop=("province",) if province else ())
    zones = zones_visible_to(request.user)
    if province:
        zones = zones.filter(province=province)
    filterset = ZoneFilterSet(params, queryset=zones, request=request)
    provinces = list(Province.objects.all())
    finder_params = params.copy()
    if province:
        finder_params.setlist("province", [province.code])
    context = {
        "province": province,
        "provinces": provinces,
        "form": ZoneFinderForm(params),
        "filtered": bool(params),
        "finder_url": _finder_url(finder_params),
    }
    template = "dashboards/province.html" if province else "dashboards/national.html"
    if not filterset.is_valid():
        context["errors"] = [
            (str(filterset.filters[name].label) if name in filterset.filters else name, message)
            for name, messages in filter_errors(filterset).items()
            for message in messages
        ]
        return render(request, template, context, status=400)
    context["active_filters"] = filterset.active_filters()
    context["dashboard"] = dashboard.build(
        filterset.qs,
        provinces=provinces,
        province=province,
        rows_url=context["finder_url"],
    )
    return render(request, template, context)


@require_GET
def national(request):
    """/: the national dashboard, narrowed by the finder's filters in the querystring."""
    return _page(request, province=None)


@require_GET
def province(request, code: str):
    """/provinces/<ISO code>/: the same dashboard for one province, its zones compared."""
    return _page(request, province=get_object_or_404(Province, code=code.upper()))
