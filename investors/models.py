"""Firms: the zone enterprises (and prospective ones) whose factories are the point of it all."""

from __future__ import annotations

import datetime

import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zones.countries import ISO_3166_ALPHA_2, unknown_codes
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


#: A firm with annual returns takes its current jobs, exports and export markets from its
#: latest return (one source of truth). The returns' own statement triggers (below) write
#: those three columns of every firm a statement on returns touched; this row trigger puts
#: them back whenever anything else changes them on a firm that has returns. It fires only
#: when one of the three changes (never on the many bulk updates of acres) and not for the
#: returns' own update (a trigger's statement: ``pg_trigger_depth() > 1``).
_FIGURES_FROM_LATEST_RETURN = pgtrigger.Trigger(
    name="firm_figures_from_latest_return",
    level=pgtrigger.Row,
    when=pgtrigger.Before,
    operation=pgtrigger.Update,
    condition=pgtrigger.Condition(
        "OLD.jobs_actual IS DISTINCT FROM NEW.jobs_actual"
        " OR OLD.exports_usd IS DISTINCT FROM NEW.exports_usd"
        " OR OLD.export_markets IS DISTINCT FROM NEW.export_markets"
    ),
    declare=[("latest", "RECORD")],
    func="""
    IF pg_trigger_depth() > 1 THEN
        RETURN NEW;
    END IF;
    SELECT employees, exports_usd, export_markets INTO latest
    FROM investors_annualreturn WHERE firm_id = NEW.id ORDER BY year DESC LIMIT 1;
    IF FOUND THEN
        NEW.jobs_actual := latest.employees;
        NEW.exports_usd := latest.exports_usd;
        NEW.export_markets := latest.export_markets;
    END IF;
    RETURN NEW;
""",
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
            _FIGURES_FROM_LATEST_RETURN,
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


# --- Annual returns (DOMAIN.md, version 3) --------------------------------------------------

#: The first year a return may be for (the zones' programme began long after).
FIRST_RETURN_YEAR = 1990

# Writes the current figures of every firm a statement on returns touched from its latest
# return (a firm left without returns keeps the figures it had).
_SYNC_FIRM_FIGURES = """
    UPDATE investors_firm AS firm
    SET jobs_actual = latest.employees, exports_usd = latest.exports_usd,
        export_markets = latest.export_markets
    FROM (
        SELECT DISTINCT ON (r.firm_id) r.firm_id, r.employees, r.exports_usd, r.export_markets
        FROM investors_annualreturn AS r
        WHERE r.firm_id IN (%(touched)s)
        ORDER BY r.firm_id, r.year DESC
    ) AS latest
    WHERE firm.id = latest.firm_id
      AND (firm.jobs_actual, firm.exports_usd, firm.export_markets)
          IS DISTINCT FROM (latest.employees, latest.exports_usd, latest.export_markets);
    RETURN NULL;
"""


def _firm_figures_trigger(operation, *, old: bool, new: bool) -> pgtrigger.Trigger:
    parts = [
        f"SELECT firm_id FROM {table}"  # noqa: S608
        for table, used in (("new_returns", new), ("old_returns", old))
        if used
    ]
    return pgtrigger.Trigger(
        name=f"return_firm_figures_{operation.name.lower()}",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        referencing=pgtrigger.Referencing(
            old="old_returns" if old else None, new="new_returns" if new else None
        ),
        func=_SYNC_FIRM_FIGURES % {"touched": " UNION ".join(parts)},
    )


#: A return for a year still to come is refused by the database too (a CHECK constraint
#: cannot read the date).
_NO_FUTURE_YEAR = pgtrigger.Trigger(
    name="return_year_not_in_future",
    level=pgtrigger.Row,
    when=pgtrigger.Before,
    operation=pgtrigger.Insert | pgtrigger.Update,
    condition=pgtrigger.Condition("NEW.year > extract(year FROM current_date)"),
    func="""
    RAISE EXCEPTION 'annual return for % is for a year still to come', NEW.year
        USING ERRCODE = 'check_violation';
""",
)


def _within_employees(name: str) -> Q:
    return (
        Q(**{f"{name}__isnull": True})
        | Q(employees__isnull=True)
        | Q(**{f"{name}__lte": F("employees")})
    )


class AnnualReturnQuerySet(models.QuerySet):
    def latest_per_firm(self) -> AnnualReturnQuerySet:
        """Each firm's latest return (one row per firm)."""
        return self.order_by("firm_id", "-year").distinct("firm_id")


class AnnualReturn(Provenance, Timestamped):
    """A firm's annual return for one year: its workers (local, women, trained), its sales
    abroad and at home, its imports and local inputs, its investment to date. Keyed by
    [zone, firm, year]; the zone is the firm's own (a composite foreign key in the database,
    added by the migration, follows a firm that moves)."""

    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, related_name="annual_returns", verbose_name=_("zone")
    )
    firm = models.ForeignKey(
        Firm, on_delete=models.CASCADE, related_name="annual_returns", verbose_name=_("firm")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    employees_local = models.PositiveIntegerField(
        _("local employees"),
        null=True,
        blank=True,
        help_text=_("Employees domiciled in the zone's province."),
    )
    employees_women = models.PositiveIntegerField(_("women employees"), null=True, blank=True)
    employees_trained = models.PositiveIntegerField(
        _("employees trained"),
        null=True,
        blank=True,
        help_text=_("Trained in the year through zone or vocational programmes."),
    )
    exports_usd = models.DecimalField(
        _("exports (USD)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    export_markets = ArrayField(
        models.CharField(max_length=2),
        default=list,
        blank=True,
        verbose_name=_("export markets"),
        help_text=_("ISO 3166-1 alpha-2 codes of destination countries."),
    )
    domestic_sales_usd = models.DecimalField(
        _("domestic sales (USD)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    imports_usd = models.DecimalField(
        _("imports (USD)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    local_inputs_share = models.DecimalField(
        _("local inputs share"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("0–1: the share of inputs bought from Pakistani suppliers."),
    )
    investment_to_date_usd = models.DecimalField(
        _("investment to date (USD)"), max_digits=16, decimal_places=2, null=True, blank=True
    )

    objects = AnnualReturnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["zone", "firm", "-year"]
        verbose_name = _("annual return")
        verbose_name_plural = _("annual returns")
        triggers = [
            _firm_figures_trigger(pgtrigger.Insert, old=False, new=True),
            _firm_figures_trigger(pgtrigger.Update, old=True, new=True),
            _firm_figures_trigger(pgtrigger.Delete, old=True, new=False),
            _NO_FUTURE_YEAR,
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "year"],
                name="return_unique_firm_year",
                violation_error_message=_("This firm already has a return for this year."),
            ),
            models.CheckConstraint(
                name="return_year_plausible",
                condition=Q(year__gte=FIRST_RETURN_YEAR),
                violation_error_message=_("A return's year cannot be before 1990."),
            ),
            models.CheckConstraint(
                name="return_local_within_employees",
                condition=_within_employees("employees_local"),
                violation_error_message=_("Local employees cannot exceed employees."),
            ),
            models.CheckConstraint(
                name="return_women_within_employees",
                condition=_within_employees("employees_women"),
                violation_error_message=_("Women employees cannot exceed employees."),
            ),
            models.CheckConstraint(
                name="return_trained_within_employees",
                condition=_within_employees("employees_trained"),
                violation_error_message=_("Employees trained cannot exceed employees."),
            ),
            models.CheckConstraint(
                name="return_amounts_non_negative",
                condition=(Q(exports_usd__gte=0) | Q(exports_usd__isnull=True))
                & (Q(domestic_sales_usd__gte=0) | Q(domestic_sales_usd__isnull=True))
                & (Q(imports_usd__gte=0) | Q(imports_usd__isnull=True))
                & (Q(investment_to_date_usd__gte=0) | Q(investment_to_date_usd__isnull=True)),
                violation_error_message=_(
                    "Exports, domestic sales, imports and investment cannot be negative."
                ),
            ),
            models.CheckConstraint(
                name="return_local_inputs_share_0_1",
                condition=Q(local_inputs_share__isnull=True)
                | Q(local_inputs_share__gte=0, local_inputs_share__lte=1),
                violation_error_message=_("The local inputs share is between 0 and 1."),
            ),
            models.CheckConstraint(
                name="return_markets_iso_codes",
                condition=Q(export_markets__contained_by=sorted(ISO_3166_ALPHA_2)),
                violation_error_message=_(
                    "Export markets must be ISO 3166-1 alpha-2 country codes."
                ),
            ),
        ]
        indexes = [models.Index(fields=["zone", "year"], name="return_zone_year_idx")]

    def __str__(self) -> str:
        return f"{self.firm} ({self.year})"

    def clean(self) -> None:
        """The rules a CHECK constraint cannot hold: the zone is the firm's, the year has
        ended or is under way, the markets are known codes (the database holds them too)."""
        super().clean()
        errors: dict[str, list[str]] = {}
        if self.year is not None and self.year > timezone.localdate().year:
            errors.setdefault("year", []).append(
                _("%(year)s is still to come: a return is for a year under way or past.")
                % {"year": self.year}
            )
        unknown = unknown_codes(self.export_markets or [])
        if unknown:
            errors.setdefault("export_markets", []).append(
                _("Unknown ISO 3166-1 alpha-2 country code: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            )
        if self.firm_id is not None and self.zone_id is not None:
            firm_zone = self.firm.zone_id
            if firm_zone != self.zone_id:
                errors.setdefault("firm", []).append(
                    _("This firm belongs to another zone: a return is filed in the firm's zone.")
                )
        if errors:
            raise ValidationError(errors)
