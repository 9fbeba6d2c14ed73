"""Annual returns due: the operating firms of the editors' zones that have not filed the
return of the year just ended (``investors.return_rules.overdue_year``). Read in one query
whatever the number of zones; the workspace home and the overdue digest use it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, QuerySet
from django.utils import timezone

from investors import return_rules
from investors.models import Firm
from zones.models import Zone
from zones.vocabulary import FirmStatus


@dataclass(frozen=True)
class OverdueFirm:
    """An operating firm that has not filed the return of the year just ended."""

    firm_id: int
    firm: str
    zone_id: int
    zone: str
    province_id: int
    #: Its latest return's year; None when it never filed one.
    last_year: int | None


def overdue_returns(
    zones: QuerySet[Zone] | Iterable[int] | None = None, *, today: datetime.date | None = None
) -> tuple[int, list[OverdueFirm]]:
    """The year due and the operating firms of ``zones`` (every zone when None) without a
    return for it, by zone then firm. One query."""
    due = return_rules.overdue_year((today or timezone.localdate()).year)
    firms = Firm.objects.filter(status=FirmStatus.OPERATING)
    if zones is not None:
        firms = firms.filter(zone_id__in=zones if isinstance(zones, QuerySet) else list(zones))
    rows = (
        firms.exclude(annual_returns__year=due)
        .annotate(last_year=Max("annual_returns__year"))
        .values_list("id", "name", "zone_id", "zone__name", "zone__province_id", "last_year")
        .order_by("zone__name", "name")
    )
    return due, [OverdueFirm(*row) for row in rows]
