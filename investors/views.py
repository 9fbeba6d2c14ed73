"""The investors' pages: the zone finder, side-by-side comparison and the exports.

Views are thin: the filter set narrows, selectors read, ``investors.exports`` writes files.
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django_ratelimit.core import get_usage

from dashboards.cache import settled_version
from dashboards.responses import named_by_data
from zones.filtersets import SORT_KEYS, ZoneFilterSet, filter_errors, labelled_filter_errors
from zones.illustrative import includes_illustrative, shown
from zones.selectors import attach_free_land, zones_for_listing

from . import exports, selectors

FINDER_PAGE_SIZE = 25
COMPARE_MAX = 4


def _filterset(request) -> ZoneFilterSet:
    return ZoneFilterSet(
        request.GET, queryset=zones_for_listing(user=request.user), request=request
    )


def _query(params, *, drop: tuple[str, ...] = (), **changes) -> str:
    """The querystring of ``params`` without ``drop`` and with ``changes`` (for links)."""
    query = params.copy()
    for key in (*drop, *changes):
        query.pop(key, None)
    for key, value in changes.items():
        query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def _sort_columns(params) -> dict[str, dict]:
    """Each sort key's column header: how the list is sorted by it now (``state``, for
    aria-sort) and the link that sorts by it (reversing the current order, or the key's first
    direction)."""
    current = params.get("sort") or "name"
    columns = {}
    for sort_key in SORT_KEYS:
        key = sort_key.key
        if current == key:
            state, next_sort = "ascending", f"-{key}"
        elif current == f"-{key}":
            state, next_sort = "descending", key
        else:
            state, next_sort = None, sort_key.first
        columns[key] = {"state": state, "url": _query(params, drop=("page",), sort=next_sort)}
    return columns


def _page(zones, number):
    """(page, error message): a page of ``zones``, or why the page number is not one."""
    paginator = Paginator(zones, FINDER_PAGE_SIZE)
    try:
        return paginator.page(number or 1), None
    except PageNotAnInteger:
        return None, _("“%(page)s” is not a page number.") % {"page": number[:50]}
    except EmptyPage:
        return None, _("There is no page %(page)s: the results fill %(count)s page(s).") % {
            "page": number[:50],
            "count": paginator.num_pages,
        }


def _sorted_by_delivery(params) -> bool:
    """Whether the list is sorted by delivery (its rows then show it)."""
    keys = (params.get("sort") or "").split(",")
    return any(key.strip().lstrip("-") == "delivery" for key in keys)


@require_safe
@named_by_data("finder", public_version=settled_version)
def zone_finder(request):
    """/zones/: filter, sort and page through the zones; the filters live in the URL."""
    filterset = _filterset(request)
    context = {
        "shown": shown(request.GET, path=request.path),
        "form": filterset.form,
        "columns": _sort_columns(request.GET),
        "export_query": _query(request.GET, drop=("page",)),
        "compare_max": COMPARE_MAX,
    }
    if not filterset.is_valid():
        context["errors"] = labelled_filter_errors(filterset)
        return render(request, "investors/finder.html", context, status=400)

    page, page_error = _page(filterset.qs, request.GET.get("page"))
    if page_error:
        context["errors"] = [(_("Page"), page_error)]
        context["first_page_query"] = _query(request.GET, drop=("page",))
        return render(request, "investors/finder.html", context, status=400)

    active = [
        {
            "name": name,
            "label": label,
            "text": text,
            "url": _query(request.GET, drop=(name, "page")),
        }
        for name, label, text in filterset.active_filters()
    ]
    if page.paginator.count == 0 and active:
        counts = filterset.counts_without_each_filter()
        for item in active:
            item["count_without"] = counts.get(item["name"], 0)
        context["diagnosed"] = True
        context["blamed"] = [item for item in active if item["count_without"]]
    context.update(
        page=page,
        zones=attach_free_land(
            page.object_list, include_illustrative=includes_illustrative(request.GET)
        ),
        total=page.paginator.count,
        active_filters=active,
        sorted_by_delivery=_sorted_by_delivery(request.GET),
    )
    return render(request, "investors/finder.html", context)


@require_safe
def zone_compare(request):
    """/zones/compare/?zone=a&zone=b: up to four zones side by side."""
    slugs = list(dict.fromkeys(s for s in request.GET.getlist("zone") if s))
    if len(slugs) > COMPARE_MAX:
        message = _("Pick at most %(max)s zones to compare; %(count)s were picked.") % {
            "max": COMPARE_MAX,
            "count": len(slugs),
        }
        return render(request, "investors/compare.html", {"error": message}, status=400)
    comparison = selectors.zone_comparison(
        user=request.user,
        slugs=[s[:100] for s in slugs],
        include_illustrative=includes_illustrative(request.GET),
    )
    return render(
        request,
        "investors/compare.html",
        {
            "columns": comparison.columns,
            "utility_rows": comparison.utility_rows,
            "compare_max": COMPARE_MAX,
            "unknown": comparison.unknown,
            "shown": shown(request.GET, path=request.path),
        },
    )


#: The one counter every export format shares.
EXPORT_RATE_GROUP = "investors.exports"


def _export_refused(request):
    """A 429 page, with ``Retry-After``, when this client (its address, as config/proxy.py
    sets it) has asked for more exports than ``EXPORT_RATE_LIMIT`` allows; None otherwise.
    This request counts."""
    usage = get_usage(
        request,
        group=EXPORT_RATE_GROUP,
        key="ip",
        rate=settings.EXPORT_RATE_LIMIT,
        increment=True,
    )
    if usage is None or not usage["should_limit"]:
        return None
    seconds = usage["time_left"] if usage["time_left"] > 0 else 60
    response = render(
        request, "investors/export_refused.html", {"retry_after": seconds}, status=429
    )
    response["Retry-After"] = str(seconds)
    return response


def _export(request, render_file):
    refused = _export_refused(request)
    if refused is not None:
        return refused
    filterset = _filterset(request)
    if not filterset.is_valid():
        return JsonResponse(filter_errors(filterset), status=400)
    placeholder = "__slug__"
    page_url = request.build_absolute_uri(reverse("zones:detail", kwargs={"slug": placeholder}))
    return render_file(
        filterset.qs,
        filename=f"zones-{timezone.localdate():%Y-%m-%d}",
        zone_url=lambda slug: page_url.replace(placeholder, slug),
        include_illustrative=includes_illustrative(request.GET),
    )


@require_safe
def zone_export_csv(request):
    """/zones/export.csv: exactly the filtered list, streamed."""
    return _export(request, exports.csv_response)


@require_safe
def zone_export_xlsx(request):
    """/zones/export.xlsx: exactly the filtered list, written row by row to a temporary file."""
    return _export(request, exports.xlsx_response)
