"""Reported totals beside recorded sums: what an authority says a zone holds, what our
records add up to, and how much of the one the other covers (recorded ÷ reported).

Reads only: for one zone (its page) or many (the delivery page), in a fixed number of
queries. Recorded sums count real records only unless illustrative ones are asked for
(``counted_q``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from investors.models import Firm

from .models import ReportedTotal, Zone, counted_q
from .vocabulary import LAND_HOLDING_FIRM_STATUSES, FirmStatus, ReportedMetric, coverage


@dataclass(frozen=True)
class ReportedFigure:
    """One metric of one zone: the latest reported total beside the recorded sum.

    ``recorded`` is None when our records hold nothing comparable (saleable acres);
    ``records`` is how many firm records the sum rests on."""

    zone_id: int
    zone_slug: str
    zone_name: str
    metric: str
    label: str
    reported: Decimal
    as_of: datetime.date
    reported_by: str
    source_url: str
    notes: str
    statements: int
    recorded: Decimal | None
    records: int

    @property
    def coverage(self) -> float | None:
        return coverage(
            None if self.recorded is None else float(self.recorded), float(self.reported)
        )


#: How each reported metric is summed from the firms holding land: (aggregate, how many
#: records it rests on). Saleable acres have no recorded counterpart.
_HOLDS = Q(status__in=LAND_HOLDING_FIRM_STATUSES)
_SUMS = {
    ReportedMetric.ALLOTTED_ACRES: (
        Sum("allotted_acres", filter=_HOLDS),
        Count("allotted_acres", filter=_HOLDS),
    ),
    ReportedMetric.FIRMS_OPERATING: (
        Count("pk", filter=Q(status=FirmStatus.OPERATING)),
        Count("pk", filter=Q(status=FirmStatus.OPERATING)),
    ),
    ReportedMetric.JOBS: (
        Sum("jobs_actual", filter=_HOLDS),
        Count("jobs_actual", filter=_HOLDS),
    ),
    ReportedMetric.INVESTMENT_USD: (
        Sum("investment_usd", filter=_HOLDS),
        Count("investment_usd", filter=_HOLDS),
    ),
    ReportedMetric.EXPORTS_USD: (
        Sum("exports_usd", filter=_HOLDS),
        Count("exports_usd", filter=_HOLDS),
    ),
}


def reported_beside_recorded(
    zones: QuerySet[Zone], *, include_illustrative: bool = False
) -> list[ReportedFigure]:
    """Every zone among ``zones`` with a reported total: per metric, the latest report
    beside what the zone's firm records sum to. Two queries, whatever the number of zones."""
    reports = list(
        ReportedTotal.objects.filter(zone__in=zones.order_by().values("pk"))
        .select_related("zone")
        .order_by("zone__name", "zone_id", "metric", "-as_of")
    )
    if not reports:
        return []
    sums = {
        row["zone_id"]: row
        for row in Firm.objects.filter(
            counted_q(include_illustrative=include_illustrative),
            zone_id__in={report.zone_id for report in reports},
        )
        .order_by()
        .values("zone_id")
        .annotate(
            **{f"{metric}_sum": aggregate for metric, (aggregate, _n) in _SUMS.items()},
            **{f"{metric}_n": counted for metric, (_sum, counted) in _SUMS.items()},
        )
    }
    labels = dict(ReportedMetric.choices)
    figures: list[ReportedFigure] = []
    statements: dict[tuple[int, str], int] = {}
    for report in reports:
        statements[(report.zone_id, report.metric)] = (
            statements.get((report.zone_id, report.metric), 0) + 1
        )
    seen: set[tuple[int, str]] = set()
    for report in reports:
        key = (report.zone_id, report.metric)
        if key in seen:
            continue  # an earlier statement of the same metric: history, not current
        seen.add(key)
        row = sums.get(report.zone_id, {})
        comparable = report.metric in _SUMS
        figures.append(
            ReportedFigure(
                zone_id=report.zone_id,
                zone_slug=report.zone.slug,
                zone_name=report.zone.name,
                metric=report.metric,
                label=str(labels.get(report.metric, report.metric)),
                reported=report.value,
                as_of=report.as_of,
                reported_by=report.reported_by,
                source_url=report.source_url,
                notes=report.notes,
                statements=statements[key],
                recorded=Decimal(row.get(f"{report.metric}_sum") or 0) if comparable else None,
                records=row.get(f"{report.metric}_n", 0) if comparable else 0,
            )
        )
    return figures
