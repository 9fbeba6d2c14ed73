"""Reads for "announced vs delivered": the inputs of ``zones.delivery`` for many zones in a
fixed number of set-based queries, the export markets aggregated in SQL, and the delivery
annotation the finder sorts by."""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone

from investors.models import Firm

from . import delivery
from .models import Milestone, Target, TargetMetric, Zone

#: The annotation ``sort=delivery`` orders by (see ``with_delivery_share``).
DELIVERY_SHARE = "delivery_share"


def delivery_inputs(zones: QuerySet[Zone]) -> list[delivery.ZoneInputs]:
    """The statements and delivered figures of every zone among ``zones`` that has at least
    one announced target, by name. Four queries, whatever the number of zones."""
    zones = zones.order_by()
    targeted = zones.filter(Exists(Target.objects.filter(zone=OuterRef("pk"))))
    ids = targeted.values("pk")
    rows = list(targeted.order_by("name", "pk").values_list("pk", "slug", "name", "province__name"))
    statements: dict[int, list[delivery.Statement]] = {}
    for zone_id, *fields in (
        Target.objects.filter(zone_id__in=ids)
        .order_by("zone_id", "metric", "announced_on")
        .values_list(
            "zone_id",
            "metric",
            "announced_on",
            "value",
            "target_date",
            "milestone_code",
            "announced_by",
            "source_url",
            "notes",
        )
    ):
        statements.setdefault(zone_id, []).append(delivery.Statement(*fields))
    delivered = _delivered_by_zone(Firm.objects.filter(zone_id__in=ids))
    milestones: dict[int, dict[str, delivery.MilestoneFact]] = {}
    named = Target.objects.filter(
        zone_id=OuterRef("zone_id"),
        metric=TargetMetric.COMPLETION_DATE,
        milestone_code=OuterRef("code"),
    )
    for zone_id, code, title, actual, planned, illustrative in (
        Milestone.objects.filter(zone_id__in=ids)
        .filter(Exists(named))
        .order_by()
        .values_list("zone_id", "code", "title", "actual_date", "planned_date", "is_illustrative")
    ):
        milestones.setdefault(zone_id, {})[code] = delivery.MilestoneFact(
            code, title, actual, planned, illustrative
        )
    result = []
    for zone_id, slug, name, province in rows:
        figures = delivered.get(zone_id, delivery.Delivered())
        result.append(
            delivery.ZoneInputs(
                zone_id=zone_id,
                slug=slug,
                name=name,
                province=province,
                statements=statements.get(zone_id, []),
                delivered=replace(figures, milestones=milestones.get(zone_id, {})),
            )
        )
    return result


def _firm_sums() -> dict:
    active = Q(status__in=delivery.ACTIVE_FIRM_STATUSES)
    return {
        "jobs": Sum("jobs_actual", filter=active),
        "jobs_n": Count("jobs_actual", filter=active),
        "investment": Sum("investment_usd", filter=active),
        "investment_n": Count("investment_usd", filter=active),
        "exports": Sum("exports_usd", filter=active),
        "exports_n": Count("exports_usd", filter=active),
        "operating": Count("pk", filter=Q(status=delivery.OPERATING)),
        "illustrative": Count("pk", filter=active & Q(is_illustrative=True)),
    }


def _delivered(row: dict) -> delivery.Delivered:
    return delivery.Delivered(
        jobs=row["jobs"] or 0,
        jobs_reported=row["jobs_n"],
        investment_usd=row["investment"] or Decimal(0),
        investment_reported=row["investment_n"],
        exports_usd=row["exports"] or Decimal(0),
        exports_reported=row["exports_n"],
        firms_operating=row["operating"],
        illustrative_firms=row["illustrative"],
    )


def _delivered_by_zone(firms: QuerySet[Firm]) -> dict[int, delivery.Delivered]:
    return {
        row["zone_id"]: _delivered(row)
        for row in firms.order_by().values("zone_id").annotate(**_firm_sums())
    }


def delivered_everywhere(zones: QuerySet[Zone]) -> delivery.Delivered:
    """What all of ``zones`` delivered together, targets or not. One query."""
    return _delivered(Firm.objects.filter(zone__in=zones.order_by()).aggregate(**_firm_sums()))


def zone_deliveries(
    zones: QuerySet[Zone], *, today: datetime.date | None = None
) -> list[delivery.ZoneDelivery]:
    """Every zone among ``zones`` that has a target, held against what it delivered."""
    today = today or timezone.localdate()
    return [delivery.compute_delivery(i, today=today) for i in delivery_inputs(zones)]


def zone_delivery(zone: Zone, *, today: datetime.date | None = None) -> delivery.ZoneDelivery:
    """One zone's promises (none when it has no target). Four queries."""
    found = zone_deliveries(Zone.objects.filter(pk=zone.pk), today=today)
    if found:
        return found[0]
    return delivery.ZoneDelivery(
        zone.pk, zone.slug, zone.name, "", promises=(), delivered=delivery.Delivered()
    )


_MARKETS_SQL = """
SELECT market, count(*), sum(exports_usd), count(exports_usd), min(allotted_year)
FROM (
    SELECT DISTINCT f.id, m.code AS market, f.exports_usd,
           extract(year FROM f.allotted_on)::int AS allotted_year
    FROM {firms} AS f CROSS JOIN LATERAL unnest(f.{markets}) AS m(code)
    WHERE f.{status} = ANY(%s) AND f.{zone} IN ({zone_ids})
) AS listed
GROUP BY market
ORDER BY count(*) DESC, market
"""


def export_markets(zones: QuerySet[Zone]) -> list[delivery.MarketFact]:
    """Destination markets listed by the firms holding land in ``zones``, most firms first:
    how many firms list each, their reported annual exports (all markets together) and the
    earliest allotment year among them. One query."""
    quote = connection.ops.quote_name
    meta = Firm._meta
    ids_sql, ids_params = zones.order_by().values("pk").query.sql_with_params()
    sql = _MARKETS_SQL.format(
        firms=quote(meta.db_table),
        markets=quote(meta.get_field("export_markets").column),
        status=quote(meta.get_field("status").column),
        zone=quote(meta.get_field("zone").column),
        zone_ids=ids_sql,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(delivery.ACTIVE_FIRM_STATUSES), *ids_params])
        rows = cursor.fetchall()
    return [
        delivery.MarketFact(market, firms, exports if reported else None, year)
        for market, firms, exports, reported, year in rows
    ]


def with_delivery_share(zones: QuerySet[Zone]) -> QuerySet[Zone]:
    """Annotate ``delivery_share``: jobs delivered (jobs actual of firms holding land) ÷ the
    value of the zone's current jobs target (announced last); null without a jobs target or
    when it is 0. The SQL twin of ``ZoneDelivery.delivery_share``. Applying it twice is
    harmless."""
    if DELIVERY_SHARE in zones.query.annotations:
        return zones
    current_target = (
        Target.objects.filter(zone=OuterRef("pk"), metric=delivery.RANKING_METRIC)
        .order_by("-announced_on")
        .values("value")[:1]
    )
    jobs = (
        Firm.objects.filter(zone=OuterRef("pk"), status__in=delivery.ACTIVE_FIRM_STATUSES)
        .order_by()
        .values("zone")
        .annotate(total=Sum("jobs_actual"))
        .values("total")
    )
    return zones.annotate(
        **{
            DELIVERY_SHARE: Cast(Coalesce(Subquery(jobs), Value(0)), FloatField())
            / NullIf(Cast(Subquery(current_target), FloatField()), Value(0.0))
        }
    )
