"""Reads for "announced vs delivered": the inputs of ``delivery.rules`` for many zones in a
fixed number of set-based queries, the export markets aggregated in SQL, and the delivery
annotation the finder sorts by."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
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
from django.utils.translation import gettext

from investors.models import AnnualReturn, Firm
from zones.models import Milestone, Target, Zone, counted_q
from zones.vocabulary import LAND_HOLDING_FIRM_STATUSES

from . import rules

#: The annotation ``sort=delivery`` orders by (see ``with_delivery_share``).
DELIVERY_SHARE = "delivery_share"


@dataclass(frozen=True)
class DeliveryInputs:
    """The zones of a set that have a target, with their inputs, and what the whole set
    delivered (zones with a target or not)."""

    zones: list[rules.ZoneInputs]
    everywhere: rules.Delivered


def delivery_inputs(zones: QuerySet[Zone], *, include_illustrative: bool = False) -> DeliveryInputs:
    """The statements and delivered figures of every zone among ``zones`` that has at least
    one announced target, by name; and the delivered figures of all of ``zones`` together.
    Illustrative zones, firms and milestones count only with ``include_illustrative``.
    Four queries, whatever the number of zones (three without completion-date targets)."""
    counted = counted_q(include_illustrative=include_illustrative)
    zones = zones.filter(counted).order_by()
    targeted = zones.filter(Exists(Target.objects.filter(zone=OuterRef("pk"))))
    rows = list(targeted.order_by("name", "pk").values_list("pk", "slug", "name", "province__name"))
    statements: dict[int, list[rules.Statement]] = {}
    named: set[tuple[int, str]] = set()
    for zone_id, *fields in (
        Target.objects.filter(zone_id__in=zones.values("pk"))
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
        statement = rules.Statement(*fields)
        statements.setdefault(zone_id, []).append(statement)
        if statement.metric == rules.COMPLETION_DATE and statement.milestone_code:
            named.add((zone_id, statement.milestone_code))
    delivered = _delivered_by_zone(Firm.objects.filter(counted, zone_id__in=zones.values("pk")))
    milestones: dict[int, dict[str, rules.MilestoneFact]] = {}
    if named:
        for zone_id, code, title, actual, planned, illustrative in (
            Milestone.objects.filter(
                counted,
                zone_id__in=targeted.values("pk"),
                code__in={code for _zone, code in named},
            )
            .order_by()
            .values_list(
                "zone_id", "code", "title", "actual_date", "planned_date", "is_illustrative"
            )
        ):
            if (zone_id, code) in named:
                milestones.setdefault(zone_id, {})[code] = rules.MilestoneFact(
                    code, title, actual, planned, illustrative
                )
    provinces: dict[str, str] = {}  # stored in English, shown translated
    result = []
    for zone_id, slug, name, province in rows:
        if province not in provinces:
            provinces[province] = gettext(province)
        figures = delivered.get(zone_id, rules.Delivered())
        result.append(
            rules.ZoneInputs(
                zone_id=zone_id,
                slug=slug,
                name=name,
                province=provinces[province],
                statements=statements.get(zone_id, []),
                delivered=replace(figures, milestones=milestones.get(zone_id, {})),
            )
        )
    return DeliveryInputs(zones=result, everywhere=sum(delivered.values(), rules.Delivered()))


def _firm_sums() -> dict:
    return {
        "jobs": Sum("jobs_actual"),
        "jobs_n": Count("jobs_actual"),
        "investment": Sum("investment_usd"),
        "investment_n": Count("investment_usd"),
        "exports": Sum("exports_usd"),
        "exports_n": Count("exports_usd"),
        "operating": Count("pk", filter=Q(status=rules.OPERATING)),
        "illustrative": Count("pk", filter=Q(is_illustrative=True)),
    }


def _delivered(row: dict) -> rules.Delivered:
    return rules.Delivered(
        jobs=row["jobs"] or 0,
        jobs_reported=row["jobs_n"],
        investment_usd=row["investment"] or Decimal(0),
        investment_reported=row["investment_n"],
        exports_usd=row["exports"] or Decimal(0),
        exports_reported=row["exports_n"],
        firms_operating=row["operating"],
        illustrative_firms=row["illustrative"],
    )


def _delivered_by_zone(firms: QuerySet[Firm]) -> dict[int, rules.Delivered]:
    """The firms holding land (allotted, building, operating), summed per zone."""
    return {
        row["zone_id"]: _delivered(row)
        for row in firms.filter(status__in=LAND_HOLDING_FIRM_STATUSES)
        .order_by()
        .values("zone_id")
        .annotate(**_firm_sums())
    }


def zone_deliveries(
    zones: QuerySet[Zone],
    *,
    today: datetime.date | None = None,
    include_illustrative: bool = False,
) -> list[rules.ZoneDelivery]:
    """Every zone among ``zones`` that has a target, held against what it delivered."""
    today = today or timezone.localdate()
    read = delivery_inputs(zones, include_illustrative=include_illustrative)
    return [rules.compute_delivery(i, today=today) for i in read.zones]


def zone_delivery(
    zone: Zone, *, today: datetime.date | None = None, include_illustrative: bool = False
) -> rules.ZoneDelivery:
    """One zone's promises (none when it has no target). Four queries."""
    found = zone_deliveries(
        Zone.objects.filter(pk=zone.pk), today=today, include_illustrative=include_illustrative
    )
    if found:
        return found[0]
    return rules.ZoneDelivery(
        zone.pk, zone.slug, zone.name, "", promises=(), delivered=rules.Delivered()
    )


_MARKETS_SQL = """
SELECT m.code, count(*), sum(f.exports_usd), count(f.exports_usd),
       min(coalesce(
           (SELECT min(r.year) FROM {returns} AS r
            WHERE r.firm_id = f.id AND m.code = ANY(r.export_markets)
              AND (%s OR NOT r.is_illustrative)),
           extract(year FROM f.{allotted_on})))::int
FROM {firms} AS f CROSS JOIN LATERAL (SELECT DISTINCT unnest(f.{markets})) AS m(code)
WHERE f.{status} = ANY(%s) AND cardinality(f.{markets}) > 0 AND f.{zone} IN ({zone_ids})
  AND (%s OR NOT f.{illustrative})
GROUP BY m.code
ORDER BY count(*) DESC, m.code
"""


def export_markets(
    zones: QuerySet[Zone], *, include_illustrative: bool = False
) -> list[rules.MarketFact]:
    """Destination markets listed by the firms holding land in ``zones``, most firms first:
    how many firms list each, their reported annual exports (all markets together) and the
    year it was first listed: in the firm's annual returns where one lists it, else the
    firm's allotment year (the stand-in); illustrative firms and returns only with
    ``include_illustrative`` (``counted_q``'s rule, in SQL). One query."""
    quote = connection.ops.quote_name
    meta = Firm._meta
    ids_sql, ids_params = zones.order_by().values("pk").query.sql_with_params()
    sql = _MARKETS_SQL.format(
        firms=quote(meta.db_table),
        returns=quote(AnnualReturn._meta.db_table),
        markets=quote(meta.get_field("export_markets").column),
        allotted_on=quote(meta.get_field("allotted_on").column),
        status=quote(meta.get_field("status").column),
        zone=quote(meta.get_field("zone").column),
        illustrative=quote(meta.get_field("is_illustrative").column),
        zone_ids=ids_sql,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                include_illustrative,
                list(LAND_HOLDING_FIRM_STATUSES),
                *ids_params,
                include_illustrative,
            ],
        )
        rows = cursor.fetchall()
    return [
        rules.MarketFact(market, firms, exports if reported else None, year)
        for market, firms, exports, reported, year in rows
    ]


def with_delivery_share(
    zones: QuerySet[Zone], *, include_illustrative: bool = False
) -> QuerySet[Zone]:
    """Annotate ``delivery_share``: jobs delivered (jobs actual of firms holding land) ÷ the
    value of the zone's current jobs target (announced last); null without a jobs target or
    when it is 0; illustrative firms count only with ``include_illustrative``. The SQL twin of
    ``ZoneDelivery.delivery_share``. Applying it twice is harmless."""
    if DELIVERY_SHARE in zones.query.annotations:
        return zones
    current_target = (
        Target.objects.filter(zone=OuterRef("pk"), metric=rules.RANKING_METRIC)
        .order_by("-announced_on")
        .values("value")[:1]
    )
    jobs = (
        Firm.objects.filter(
            counted_q(include_illustrative=include_illustrative),
            zone=OuterRef("pk"),
            status__in=LAND_HOLDING_FIRM_STATUSES,
        )
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
