"""From a dashboard to the finder: a dashboard is narrowed by the finder's own filter
parameters, so a link carrying the same querystring lists the very zones it counts."""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse

#: The finder's parameters that narrow a dashboard; sorting and paging do not apply here.
IGNORED_PARAMETERS = ("sort", "page")


def filter_params(request, *, drop: tuple[str, ...] = ()) -> QueryDict:
    """The request's querystring without sorting, paging and the parameters in ``drop``: the
    filters that narrow a dashboard (a copy, free to change)."""
    params = request.GET.copy()
    for name in (*IGNORED_PARAMETERS, *drop):
        params.pop(name, None)
    return params


def finder_url(params: QueryDict) -> str:
    """The finder listing the zones that ``params`` select."""
    query = params.urlencode()
    return reverse("zones:finder") + (f"?{query}" if query else "")
