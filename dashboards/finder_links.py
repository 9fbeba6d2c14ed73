"""From a dashboard to the finder: a dashboard is narrowed by the finder's own filter
parameters, so a link carrying the same querystring lists the very zones it counts."""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from zones.filtersets import ZoneFilterSet, canonical_params
from zones.illustrative import shown, without_choice

#: The finder's parameters that narrow a dashboard; sorting and paging do not apply here.
IGNORED_PARAMETERS = ("sort", "page")


def filter_params(request, *, drop: tuple[str, ...] = ()) -> QueryDict:
    """The filters that narrow a dashboard, from the request's querystring in the filter set's
    one spelling (``zones.filtersets.canonical_params``): without sorting, paging, the
    parameters in ``drop`` and anything the filter set does not know, values normalised and
    ordered. The page is built from these alone, so it can be cached under them: junk
    parameters and reordered or repeated values are served the same cached page (a copy,
    free to change)."""
    return canonical_params(request.GET, drop=(*IGNORED_PARAMETERS, *drop))


def finder_url(params: QueryDict) -> str:
    """The finder listing the zones that ``params`` select."""
    query = params.urlencode()
    return reverse("zones:finder") + (f"?{query}" if query else "")


def filtered_page_context(
    request, params: QueryDict, filterset: ZoneFilterSet, *, finder_params: QueryDict
) -> dict:
    """What every page narrowed by the finder's filters shows around its figures (the
    dashboards and the delivery page): the filter form, whether it is filtered, which records
    it counts (``zones.illustrative``), the link to the finder and when it was built."""
    return {
        "form": filterset.form,
        "filtered": bool(without_choice(params)),
        "query": params.urlencode(),
        "shown": shown(params, path=request.path),
        "finder_url": finder_url(finder_params),
        "generated_at": timezone.now(),
    }
