"""Firms: the zone enterprises (and prospective ones) whose factories are the point of it all."""

from __future__ import annotations

import datetime

import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zones.models import Provenance, Sector, Timestamped, Zone
from zones.vocabulary import (
    DEFAULT_ORIGIN_GROUP,
    IDLE_AFTER_DAYS,
    LAND_HOLDING_FIRM_STATUSES,
    ORIGIN_GROUP_RULES,
    FirmStatus,
    Ownership,
    origin_group,
    sql_in,
)


def idle_q(today: datetime.date | None = None, *, prefix: str = "") -> Q:
    """Allotted but idle firms: allotted more than ``IDLE_AFTER_DAYS`` ago and still only
    allotted (no construction or operation). ``prefix`` reaches them through a relation."""
    today = today or timezone.localdate()
    return Q(
        **{
            f"{prefix}status": FirmStatus.ALLOTTED,
            f"{prefix}allotted_on__lt": today - datetime.timedelta(days=IDLE_AFTER_DAYS),
        }
    )


class FirmQuerySet(models.QuerySet):
    def with_origin_group(self) -> FirmQuerySet:
        """``origin_group_code``: the firm's origin group, by ``ORIGIN_GROUP_RULES``."""
        return self.annotate(
            origin_group_code=Case(
                *(
                    When(**{field: value}, then=Value(group.value))
                    for field, value, group in ORIGIN_GROUP_RULES
                ),
                default=Value(DEFAULT_ORIGIN_GROUP.value),
                output_field=models.CharField(),
            )
        )


# Adds each statement's change to the zones' totals: the acres of the rows it wrote that hold
# land, minus those of the rows it replaced or removed. A delta, not a recount: under READ
# COMMITTED a recount cannot see another transaction's uncommitted firms and would overwrite
# its total when both commit; ON CONFLICT DO UPDATE adds to the row as last committed, and
# zones are locked in id order so that two multi-zone statements cannot deadlock.
# tests/zones/test_allotment.py checks the statuses against LAND_HOLDING_FIRM_STATUSES, every way of
# writing firms against a sum in Python, and two concurrent transactions on one zone.
_ADD_CHANGE = """
    INSERT INTO zones_zoneallotment (zone_id, allotted_acres)
    SELECT change.zone_id, sum(change.acres)
    FROM (%(change)s) AS change
    JOIN zones_zone AS zone ON zone.id = change.zone_id
    GROUP BY change.zone_id
    HAVING sum(change.acres) <> 0
    ORDER BY change.zone_id
    ON CONFLICT (zone_id) DO UPDATE
    SET allotted_acres = zones_zoneallotment.allotted_acres + EXCLUDED.allotted_acres;
    RETURN NULL;
"""
_HOLDS_LAND = f"status IN {sql_in(LAND_HOLDING_FIRM_STATUSES)} AND allotted_acres <> 0"
# The SQL below is built from vocabulary codes only (sql_in refuses anything else).
_ADDED = f"SELECT zone_id, allotted_acres AS acres FROM new_firms\n    WHERE {_HOLDS_LAND}"  # noqa: S608
_REMOVED = f"SELECT zone_id, -allotted_acres AS acres FROM old_firms\n    WHERE {_HOLDS_LAND}"  # noqa: S608


def _allotment_trigger(operation, *, old: bool, new: bool) -> pgtrigger.Trigger:
    """After each statement that writes firms, add its change in held acres to the zones it
    touched (before and after: a firm may move between zones)."""
    parts = [part for part, used in ((_ADDED, new), (_REMOVED, old)) if used]
    return pgtrigger.Trigger(
        name=f"zone_allotment_{operation.name.lower()}",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        referencing=pgtrigger.Referencing(
            old="old_firms" if old else None, new="new_firms" if new else None
        ),
        func=_ADD_CHANGE % {"change": " UNION ALL ".join(parts)},
    )


#: TRUNCATE sends no row to any trigger: it empties the allotments too.
_EMPTY_ALLOTMENTS = pgtrigger.Trigger(
    name="zone_allotment_truncate",
    level=pgtrigger.Statement,
    when=pgtrigger.After,
    operation=pgtrigger.Truncate,
    func="DELETE FROM zones_zoneallotment; RETURN NULL;",
)


class Firm(Provenance, Timestamped):
    """A zone enterprise, from interest through allotment and construction to operation."""

    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, related_name="firms", verbose_name=_("zone")
    )
    name = models.CharField(_("name"), max_length=200)
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="firms",
        verbose_name=_("sector"),
    )
    origin_country = models.CharField(
        _("origin country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. CN, PK.")
    )
    ownership = models.CharField(_("ownership"), max_length=20, choices=Ownership.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=FirmStatus.choices, default=FirmStatus.INTERESTED
    )
    allotted_acres = models.DecimalField(
        _("allotted acres"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    allotted_on = models.DateField(_("allotted on"), null=True, blank=True)
    investment_usd = models.DecimalField(
        _("investment (USD)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    jobs_planned = models.PositiveIntegerField(_("jobs planned"), null=True, blank=True)
    jobs_actual = models.PositiveIntegerField(_("jobs actual"), null=True, blank=True)
    exports_usd = models.DecimalField(
        _("annual exports (USD)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    export_markets = ArrayField(
        models.CharField(max_length=2),
        default=list,
        blank=True,
        verbose_name=_("export markets"),
        help_text=_("ISO 3166-1 alpha-2 codes of destination countries."),
    )

    objects = FirmQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["zone", "name"]
        # PostgreSQL allows transition tables on one event per trigger: one trigger each.
        triggers = [
            _allotment_trigger(pgtrigger.Insert, old=False, new=True),
            _allotment_trigger(pgtrigger.Update, old=True, new=True),
            _allotment_trigger(pgtrigger.Delete, old=True, new=False),
            _EMPTY_ALLOTMENTS,
        ]
        verbose_name = _("firm")
        verbose_name_plural = _("firms")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "name"],
                name="firm_unique_name_per_zone",
                violation_error_message=_("This zone already has a firm with this name."),
            ),
            models.CheckConstraint(
                name="firm_amounts_non_negative",
                condition=(Q(allotted_acres__gte=0) | Q(allotted_acres__isnull=True))
                & (Q(investment_usd__gte=0) | Q(investment_usd__isnull=True))
                & (Q(exports_usd__gte=0) | Q(exports_usd__isnull=True)),
                violation_error_message=_("Acres, investment and exports cannot be negative."),
            ),
            models.CheckConstraint(
                name="firm_origin_country_code",
                condition=Q(origin_country__regex=r"^[A-Z]{2}$"),
                violation_error_message=_("Origin country must be a two-letter ISO code."),
            ),
            models.CheckConstraint(
                name="firm_ownership_valid",
                condition=Q(ownership__in=[c.value for c in Ownership]),
                violation_error_message=_("Unknown ownership."),
            ),
            models.CheckConstraint(
                name="firm_status_valid",
                condition=Q(status__in=[c.value for c in FirmStatus]),
                violation_error_message=_("Unknown firm status."),
            ),
        ]
        indexes = [models.Index(fields=["zone", "status"], name="firm_zone_status_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def origin_group(self) -> str:
        return origin_group(self.ownership, self.origin_country)
