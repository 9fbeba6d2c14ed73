"""What the readiness rules read: the active weights and every zone's inputs, set-based.

:func:`readiness_inputs` builds the :class:`~readiness.rules.ReadinessInputs` of thousands
of zones with five grouped queries, whatever their number; the pure :mod:`readiness.rules`
then scores them without touching the database.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Q, QuerySet, Sum

from investors.models import Firm
from zones.models import (
    LandDispute,
    Milestone,
    ScoringProfile,
    UtilityConnection,
    Zone,
    ZoneAllotment,
    counted_q,
)
from zones.vocabulary import (
    CORE_UTILITY_KINDS,
    LAND_HOLDING_FIRM_STATUSES,
    OPEN_DISPUTE_STATUSES,
)

from . import rules


def scoring_weights_active() -> rules.Weights:
    """The weights of the active scoring profile (version 1's defaults when none is stored)."""
    profile = ScoringProfile.objects.filter(is_active=True).first()
    if profile is None:
        return rules.DEFAULT_WEIGHTS
    return scoring_weights_of(profile)


def scoring_weights_of(profile: ScoringProfile) -> rules.Weights:
    return rules.Weights(
        utilities=profile.utilities,
        land=profile.land,
        milestones=profile.milestones,
        occupancy=profile.occupancy,
        version=profile.version,
    )


def readiness_inputs(
    *, zone_ids: Collection[int] | None = None
) -> dict[int, rules.ReadinessInputs]:
    """The readiness inputs of many zones (every zone when ``zone_ids`` is None).

    Six set-based queries whatever the number of zones: the zones' areas, their core
    utilities, the disputes and milestones summed per zone in the database, the acres
    allotted to firms as the database keeps them per zone, and those of illustrative firms.

    A score rests on real records only (``counted_q``): illustrative utilities, disputes,
    milestones and firms, invented for the demo, never enter it, whatever a page shows.
    """
    real = counted_q()

    def scoped(queryset: QuerySet) -> QuerySet:
        queryset = queryset.order_by()
        return queryset if zone_ids is None else queryset.filter(zone_id__in=zone_ids)

    zones = Zone.objects.order_by()
    if zone_ids is not None:
        zones = zones.filter(pk__in=zone_ids)
    areas = dict(zones.values_list("pk", "area_acres"))

    utilities: dict[int, dict[str, rules.UtilityInput]] = {}
    for zone_id, kind, status, required, available in scoped(
        UtilityConnection.objects.filter(real, kind__in=CORE_UTILITY_KINDS)
    ).values_list("zone_id", "kind", "status", "required_capacity", "available_capacity"):
        utilities.setdefault(zone_id, {})[kind] = rules.UtilityInput(status, required, available)

    disputed = dict(
        scoped(LandDispute.objects.filter(real, status__in=OPEN_DISPUTE_STATUSES))
        .values("zone_id")
        .annotate(acres=Sum("affected_acres"))
        .values_list("zone_id", "acres")
    )
    weights = {
        zone_id: (done, active)
        for zone_id, done, active in scoped(
            Milestone.objects.filter(real).exclude(status__in=rules.UNCOUNTED_MILESTONE_STATUSES)
        )
        .values("zone_id")
        .annotate(
            done=Sum("weight", filter=Q(status__in=rules.DONE_MILESTONE_STATUSES)),
            active=Sum("weight"),
        )
        .values_list("zone_id", "done", "active")
    }
    # Kept by the database for every write to firms (see ZoneAllotment): no firm is read.
    allotted = dict(scoped(ZoneAllotment.objects.all()).values_list("zone_id", "allotted_acres"))
    invented = dict(
        scoped(Firm.objects.filter(is_illustrative=True, status__in=LAND_HOLDING_FIRM_STATUSES))
        .values("zone_id")
        .annotate(acres=Sum("allotted_acres"))
        .values_list("zone_id", "acres")
    )

    zero = rules.ZERO
    inputs = {}
    for zone_id, area in areas.items():
        done, active = weights.get(zone_id, (None, None))
        inputs[zone_id] = rules.ReadinessInputs(
            area_acres=area,
            utilities=utilities.get(zone_id, {}),
            disputed_acres=disputed.get(zone_id) or zero,
            done_weight=done or zero,
            active_weight=active or zero,
            allotted_acres=(allotted.get(zone_id) or zero) - (invented.get(zone_id) or zero),
        )
    return inputs
