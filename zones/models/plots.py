"""Plots, the units' own utility requests and outage reports (DOMAIN.md, version 2).

Between a zone that is ready and a factory that produces sit the plot (offered, held,
possessed, built on, producing, or idle) and the unit's own connection. Every rule of
DOMAIN.md is a named constraint here, so the database refuses what forms and imports refuse.

Allotted acres have one source of truth: where a zone records plots, a firm's allotted acres
is the sum of its ``allotted`` plots. Statement triggers on the plots table rewrite the
figure of every firm a statement touched (while its zone still records plots); the firms'
own triggers then carry the change into the zone's allotment. The bundle importer refuses a
firm row that disagrees with its plots (``zones.importer``).

The firm is named by its label (``investors.Firm``): the records import no feature app.
"""

from __future__ import annotations

import pgtrigger
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..vocabulary import (
    FIRM_HOLDING_PLOT_STATUSES,
    NON_SALEABLE_LAND_USES,
    LandUse,
    PlotStatus,
    Reporter,
    RequestKind,
    RequestStatus,
    Tenure,
)
from .base import Provenance, Timestamped

# The dates of an allotted plot's progress, in the order they must come.
PLOT_DATES: tuple[str, ...] = (
    "allotted_on",
    "possession_on",
    "construction_started_on",
    "production_started_on",
)


def _dates_in_order() -> Q:
    condition = Q()
    for i, earlier in enumerate(PLOT_DATES):
        for later in PLOT_DATES[i + 1 :]:
            condition &= (
                Q(**{f"{earlier}__isnull": True})
                | Q(**{f"{later}__isnull": True})
                | Q(**{f"{later}__gte": F(earlier)})
            )
    return condition


def _no_dates() -> Q:
    return Q(**{f"{name}__isnull": True for name in PLOT_DATES})


# Rewrites the allotted acres of the firms a statement on plots touched, from their plots,
# while their zone still records plots (a zone without plots keeps its firms' own figures).
# The firms' own statement triggers then carry the change to the zone's allotment.
_SYNC_FIRMS = f"""
    UPDATE investors_firm AS firm
    SET allotted_acres = held.acres
    FROM (
        SELECT touched.firm_id, coalesce(sum(plot.acres) FILTER (
            WHERE plot.status = '{PlotStatus.ALLOTTED.value}'), 0) AS acres
        FROM (%(touched)s) AS touched
        LEFT JOIN zones_plot AS plot ON plot.firm_id = touched.firm_id
        WHERE touched.firm_id IS NOT NULL
        GROUP BY touched.firm_id
    ) AS held
    WHERE firm.id = held.firm_id
      AND firm.allotted_acres IS DISTINCT FROM held.acres
      AND EXISTS (SELECT 1 FROM zones_plot AS any_plot WHERE any_plot.zone_id = firm.zone_id);
    RETURN NULL;
"""  # noqa: S608 (built from vocabulary codes only)


def _firm_sync_trigger(operation, *, old: bool, new: bool) -> pgtrigger.Trigger:
    parts = [
        f"SELECT firm_id FROM {table}"  # noqa: S608
        for table, used in (("new_plots", new), ("old_plots", old))
        if used
    ]
    return pgtrigger.Trigger(
        name=f"plot_firm_acres_{operation.name.lower()}",
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        referencing=pgtrigger.Referencing(
            old="old_plots" if old else None, new="new_plots" if new else None
        ),
        func=_SYNC_FIRMS % {"touched": " UNION ".join(parts)},
    )


def offered_q(prefix: str = "") -> Q:
    """Plots offered to investors: available, and not amenity land."""
    return Q(**{f"{prefix}status": PlotStatus.AVAILABLE}) & ~Q(
        **{f"{prefix}land_use__in": NON_SALEABLE_LAND_USES}
    )


class PlotQuerySet(models.QuerySet):
    def offered(self) -> PlotQuerySet:
        """Available plots that are not amenity land: what investors may take."""
        return self.filter(offered_q())


class Plot(Provenance, Timestamped):
    """A plot of a zone: offered on lease or for sale, held by a firm, or idle after allotment."""

    zone = models.ForeignKey(
        "zones.Zone", on_delete=models.CASCADE, related_name="plots", verbose_name=_("zone")
    )
    number = models.CharField(_("plot number"), max_length=50)
    acres = models.DecimalField(_("acres"), max_digits=10, decimal_places=2)
    land_use = models.CharField(_("land use"), max_length=20, choices=LandUse.choices)
    tenure = models.CharField(_("tenure offered"), max_length=10, choices=Tenure.choices)
    price_per_acre_pkr = models.DecimalField(
        _("price per acre (PKR)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    lease_years = models.PositiveSmallIntegerField(_("lease years"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlotStatus.choices, default=PlotStatus.AVAILABLE
    )
    firm = models.ForeignKey(
        "investors.Firm",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="plots",
        verbose_name=_("firm"),
        help_text=_("Required for reserved and allotted plots; empty otherwise."),
    )
    allotted_on = models.DateField(_("allotted on"), null=True, blank=True)
    possession_on = models.DateField(_("possession on"), null=True, blank=True)
    construction_started_on = models.DateField(_("construction started on"), null=True, blank=True)
    production_started_on = models.DateField(_("production started on"), null=True, blank=True)

    objects = PlotQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["zone", "number"]
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        triggers = [
            _firm_sync_trigger(pgtrigger.Insert, old=False, new=True),
            _firm_sync_trigger(pgtrigger.Update, old=True, new=True),
            _firm_sync_trigger(pgtrigger.Delete, old=True, new=False),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "number"],
                name="plot_unique_number_per_zone",
                violation_error_message=_("This zone already has a plot with this number."),
            ),
            models.CheckConstraint(
                name="plot_acres_positive",
                condition=Q(acres__gt=0),
                violation_error_message=_("A plot's acres must be greater than zero."),
            ),
            models.CheckConstraint(
                name="plot_price_non_negative",
                condition=Q(price_per_acre_pkr__gte=0) | Q(price_per_acre_pkr__isnull=True),
                violation_error_message=_("The price per acre cannot be negative."),
            ),
            models.CheckConstraint(
                name="plot_land_use_valid",
                condition=Q(land_use__in=[c.value for c in LandUse]),
                violation_error_message=_("Unknown land use."),
            ),
            models.CheckConstraint(
                name="plot_tenure_valid",
                condition=Q(tenure__in=[c.value for c in Tenure]),
                violation_error_message=_("Unknown tenure."),
            ),
            models.CheckConstraint(
                name="plot_status_valid",
                condition=Q(status__in=[c.value for c in PlotStatus]),
                violation_error_message=_("Unknown plot status."),
            ),
            models.CheckConstraint(
                name="plot_lease_years_for_lease_only",
                condition=Q(lease_years__isnull=True) | Q(tenure=Tenure.LEASE, lease_years__gt=0),
                violation_error_message=_(
                    "Lease years are given only for a plot offered on lease, and are above zero."
                ),
            ),
            models.CheckConstraint(
                name="plot_firm_when_held",
                condition=Q(status__in=FIRM_HOLDING_PLOT_STATUSES, firm__isnull=False)
                | (~Q(status__in=FIRM_HOLDING_PLOT_STATUSES) & Q(firm__isnull=True)),
                violation_error_message=_(
                    "A reserved or allotted plot needs its firm; other plots have none."
                ),
            ),
            models.CheckConstraint(
                name="plot_amenity_never_held",
                condition=~Q(land_use__in=NON_SALEABLE_LAND_USES)
                | ~Q(status__in=FIRM_HOLDING_PLOT_STATUSES),
                violation_error_message=_("An amenity plot is never reserved or allotted."),
            ),
            models.CheckConstraint(
                name="plot_dates_only_when_allotted",
                condition=Q(status=PlotStatus.ALLOTTED) | _no_dates(),
                violation_error_message=_("Only an allotted plot has allotment or later dates."),
            ),
            models.CheckConstraint(
                name="plot_dates_in_order",
                condition=_dates_in_order(),
                violation_error_message=_(
                    "Allotment, possession, construction and production dates must come in "
                    "that order."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "status"], name="plot_zone_status_idx"),
            models.Index(fields=["firm"], name="plot_firm_idx"),
            # The finder's plot_min: offered plots by size, with their zone.
            models.Index(
                fields=["acres", "zone"], condition=offered_q(), name="plot_offered_acres_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone}: {self.number}"

    def clean(self) -> None:
        """The firm holding a plot belongs to the plot's zone (a rule across two tables)."""
        super().clean()
        if self.firm_id and self.zone_id and self.firm.zone_id != self.zone_id:
            raise ValidationError({"firm": _("The firm must belong to the plot's zone.")})


class UtilityRequest(Provenance, Timestamped):
    """A firm's application for its own utility connection inside the zone."""

    zone = models.ForeignKey(
        "zones.Zone",
        on_delete=models.CASCADE,
        related_name="utility_requests",
        verbose_name=_("zone"),
    )
    reference = models.CharField(_("reference"), max_length=100)
    firm = models.ForeignKey(
        "investors.Firm",
        on_delete=models.CASCADE,
        related_name="utility_requests",
        verbose_name=_("firm"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    requested_capacity = models.DecimalField(
        _("requested capacity"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("MW, MMCFD, MGD…"))
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    applied_on = models.DateField(_("applied on"))
    connected_on = models.DateField(_("connected on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.WAITING
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["zone", "reference"]
        verbose_name = _("utility request")
        verbose_name_plural = _("utility requests")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "reference"],
                name="utility_request_unique_reference_per_zone",
                violation_error_message=_("This zone already has a request with this reference."),
            ),
            models.CheckConstraint(
                name="utility_request_kind_valid",
                condition=Q(kind__in=[c.value for c in RequestKind]),
                violation_error_message=_("Unknown utility kind for a request."),
            ),
            models.CheckConstraint(
                name="utility_request_status_valid",
                condition=Q(status__in=[c.value for c in RequestStatus]),
                violation_error_message=_("Unknown request status."),
            ),
            models.CheckConstraint(
                name="utility_request_capacity_non_negative",
                condition=Q(requested_capacity__gte=0) | Q(requested_capacity__isnull=True),
                violation_error_message=_("The requested capacity cannot be negative."),
            ),
            models.CheckConstraint(
                name="utility_request_connected_dates",
                condition=Q(
                    status=RequestStatus.CONNECTED,
                    connected_on__isnull=False,
                    connected_on__gte=F("applied_on"),
                )
                | (~Q(status=RequestStatus.CONNECTED) & Q(connected_on__isnull=True)),
                violation_error_message=_(
                    "A connected request needs a connection date on or after its application; "
                    "other requests have none."
                ),
            ),
        ]
        indexes = [models.Index(fields=["zone", "kind", "status"], name="request_zone_kind_idx")]

    def __str__(self) -> str:
        return f"{self.zone}: {self.reference}"

    def clean(self) -> None:
        super().clean()
        if self.firm_id and self.zone_id and self.firm.zone_id != self.zone_id:
            raise ValidationError({"firm": _("The firm must belong to the request's zone.")})


class DaysInMonth(Func):
    """The number of days of the month starting on a date (PostgreSQL date arithmetic)."""

    output_field = models.IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        # The date appears twice, and so do its parameters (when validating a new row).
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql} + interval '1 month')::date - {sql})", (*params, *params)


class OutageReport(Provenance, Timestamped):
    """Hours without supply in one month, as the developer or the tenants report them."""

    zone = models.ForeignKey(
        "zones.Zone", on_delete=models.CASCADE, related_name="outages", verbose_name=_("zone")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    reported_by = models.CharField(_("reported by"), max_length=20, choices=Reporter.choices)
    hours = models.DecimalField(_("hours without supply"), max_digits=6, decimal_places=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["zone", "kind", "-month", "reported_by"]
        verbose_name = _("outage report")
        verbose_name_plural = _("outage reports")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "kind", "month", "reported_by"],
                name="outage_unique_report",
                violation_error_message=_(
                    "This zone already has a report for this utility, month and reporter."
                ),
            ),
            models.CheckConstraint(
                name="outage_kind_valid",
                condition=Q(kind__in=[c.value for c in RequestKind]),
                violation_error_message=_("Unknown utility kind for an outage."),
            ),
            models.CheckConstraint(
                name="outage_reporter_valid",
                condition=Q(reported_by__in=[c.value for c in Reporter]),
                violation_error_message=_("Unknown reporter."),
            ),
            models.CheckConstraint(
                name="outage_month_first_day",
                condition=Q(month__day=1),
                violation_error_message=_("The month is given by its first day."),
            ),
            models.CheckConstraint(
                name="outage_hours_within_month",
                condition=Q(hours__gte=0) & Q(hours__lte=DaysInMonth(F("month")) * 24),
                violation_error_message=_(
                    "Hours without supply must be between 0 and the hours of the month."
                ),
            ),
        ]
        indexes = [models.Index(fields=["zone", "month"], name="outage_zone_month_idx")]

    def __str__(self) -> str:
        return f"{self.zone}: {self.get_kind_display()} {self.month:%Y-%m}"
