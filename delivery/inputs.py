"""Reads for "announced vs delivered": the inputs of ``delivery.rules`` for many zones in a
fixed number of set-based queries, the export markets, and the delivery annotation the
finder sorts by.

What firms delivered and where they export are sums over the aggregate tables
(``aggregates.models``: ``FirmTally``, ``MarketTally``), never over the firms themselves, so
the page costs the same at 10,000 zones as at 10. The targets (each announced statement
with its source) and the few milestones they name are the page's content, not sums: they
are read from the records."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from django.db.models import (
    Exists,
    FloatField,
    Min,
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

from aggregates.models import FirmTally, MarketTally
from aggregates.selectors import firm_headline_sums
from zones.localized import shown_text
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
    named = False  # whether any statement promises a milestone's completion
    # Texts in the page's language in SQL (``shown_text``), past modeltranslation's per-row
    # fallback: a country's tens of thousands of statements read four times faster.
    for zone_id, *fields in (
        Target.objects.rewrite(False)
        .filter(zone_id__in=zones.values("pk"))
        .annotate(shown_notes=shown_text("notes"))
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
            "shown_notes",
        )
    ):
        statement = rules.Statement(*fields)
        statements.setdefault(zone_id, []).append(statement)
        named = named or (
            statement.metric == rules.COMPLETION_DATE and bool(statement.milestone_code)
        )
    delivered = _delivered_by_zone(zones, counted)
    milestones: dict[int, dict[str, rules.MilestoneFact]] = {}
    if named:
        # Only the milestones a completion target names, chosen in SQL: a zone has a dozen.
        named_by_a_target = Exists(
            Target.objects.filter(
                zone=OuterRef("zone"),
                metric=rules.COMPLETION_DATE,
                milestone_code=OuterRef("code"),
            )
        )
        for zone_id, code, title, actual, planned, illustrative in (
            Milestone.objects.rewrite(False)
            .filter(counted, named_by_a_target, zone_id__in=zones.values("pk"))
            .annotate(shown_title=shown_text("title"))
            .order_by()
            .values_list(
                "zone_id", "code", "shown_title", "actual_date", "planned_date", "is_illustrative"
            )
        ):
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


def _delivered_by_zone(zones: QuerySet[Zone], counted: Q) -> dict[int, rules.Delivered]:
    """The firms holding land (allotted, building, operating), summed per zone from the firm
    tallies (``aggregates.models.FirmTally``, whose sums are over those firms already)."""
    operating = Q(status=rules.OPERATING)
    return {
        row["zone_id"]: rules.Delivered(
            jobs=row["jobs"],
            jobs_reported=row["jobs_n"],
            investment_usd=row["investment"],
            investment_reported=row["investment_n"],
            exports_usd=row["exports"],
            exports_reported=row["exports_n"],
            firms_operating=row["operating"] or 0,
            illustrative_firms=row["illustrative"] or 0,
        )
        for row in FirmTally.objects.filter(
            counted, zone_id__in=zones.values("pk"), status__in=LAND_HOLDING_FIRM_STATUSES
        )
        .order_by()
        .values("zone_id")
        .annotate(
            **firm_headline_sums(),
            operating=Sum("firms", filter=operating),
            illustrative=Sum("firms", filter=Q(is_illustrative=True)),
        )
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


def export_markets(
    zones: QuerySet[Zone], *, include_illustrative: bool = False
) -> list[rules.MarketFact]:
    """Destination markets listed by the firms holding land in ``zones``, most firms first:
    how many firms list each, their reported annual exports (all markets together) and the
    year it was first listed: in the firm's annual returns where one lists it, else the
    firm's allotment year (the stand-in); illustrative firms and returns only with
    ``include_illustrative``. Summed from the market tallies
    (``aggregates.models.MarketTally``); one query."""
    first_year = "first_year_with_illustrative" if include_illustrative else "first_year"
    rows = (
        MarketTally.objects.filter(
            counted_q(include_illustrative=include_illustrative),
            zone_id__in=zones.order_by().values("pk"),
        )
        .values("market")
        .annotate(
            total_firms=Sum("firms"),
            total_exports=Sum("exports_usd"),
            reported=Sum("exports_reported"),
            year=Min(first_year),
        )
        .order_by("-total_firms", "market")
        .values_list("market", "total_firms", "total_exports", "reported", "year")
    )
    return [
        rules.MarketFact(market, firms, exports if reported else None, year)
        for market, firms, exports, reported, year in rows
    ]


def with_delivery_share(
    zones: QuerySet[Zone], *, include_illustrative: bool = False
) -> QuerySet[Zone]:
    """Annotate ``delivery_share``: jobs delivered (jobs actual of firms holding land, from
    the firm tallies, which sum over those firms only) ÷ the
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
        FirmTally.objects.filter(
            counted_q(include_illustrative=include_illustrative), zone=OuterRef("pk")
        )
        .order_by()
        .values("zone")
        .annotate(total=Sum("jobs"))
        .values("total")
    )
    return zones.annotate(
        **{
            DELIVERY_SHARE: Cast(Coalesce(Subquery(jobs), Value(0)), FloatField())
            / NullIf(Cast(Subquery(current_target), FloatField()), Value(0.0))
        }
    )
