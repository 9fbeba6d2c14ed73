"""A zone's page: everything an investor or official needs about one zone.

The finder, the comparison and the exports that lead here are the investors'
(``investors.views``); ``zones.page`` assembles a zone's page.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from dashboards.responses import named_by_data

from . import selectors
from .illustrative import shown
from .page import build_zone_page, public_version, table_switches


@require_safe
@named_by_data("zone-page", public_version=public_version)
def zone_detail(request, slug: str):
    """/zones/<slug>/: everything an investor or official needs about one zone, assembled
    by ``zones.page.build_zone_page``; real records only unless ``?illustrative=include``
    (an unknown choice: the real records, with a 400 and its message); its long tables a
    page at a time unless ``?firms=all`` (``milestones``, ``plots``)."""
    choice = shown(request.GET, path=request.path)
    try:
        zone = selectors.zone_for_page(
            slug=slug, user=request.user, include_illustrative=choice.include
        )
    except ObjectDoesNotExist as exc:  # not there, or not visible to this user
        raise Http404 from exc
    page = build_zone_page(
        zone=zone,
        user=request.user,
        shown=choice,
        switches=table_switches(request.GET, path=request.path),
    )
    status = 400 if choice.error else 200
    return render(request, "zones/detail.html", {"page": page}, status=status)
