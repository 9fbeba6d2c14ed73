from django.http import Http404
from django.shortcuts import render

from . import selectors
from .models import Zone


def zone_detail(request, slug: str):
    try:
        zone = selectors.zone_for_page(slug=slug, user=request.user)
    except Zone.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "zones/detail.html", {"zone": zone})
