"""Reads: every query the pages and the API need about zones lives here."""

from __future__ import annotations

from itertools import groupby

from django.db.models import Prefetch, QuerySet

from investors.models import Firm

from .models import Province, Zone


def zones_visible_to(user) -> QuerySet[Zone]:
    """Officials and staff see every zone; the public and investors see published ones."""
    zones = Zone.objects.all()
    if user is None or not user.is_authenticated or not user.is_staff:
        zones = zones.published()
    return zones


def zones_by_province(*, user) -> list[tuple[Province, list[Zone]]]:
    """Zones grouped by province, every province listed (an empty one shows as empty)."""
    zones = (
        zones_visible_to(user)
        .select_related("province")
        .prefetch_related("sectors")
        .order_by("province__name", "name")
    )
    grouped = {
        code: list(items) for code, items in groupby(zones, key=lambda zone: zone.province_id)
    }
    return [(province, grouped.get(province.code, [])) for province in Province.objects.all()]


def zone_for_page(*, slug: str, user) -> Zone:
    """One zone with everything its page shows, in a fixed number of queries."""
    return (
        zones_visible_to(user)
        .select_related("province")
        .prefetch_related(
            "sectors",
            "utilities",
            "disputes",
            "milestones",
            "targets",
            Prefetch("firms", queryset=Firm.objects.select_related("sector")),
        )
        .get(slug=slug)
    )
