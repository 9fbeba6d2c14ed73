"""The zone domain: provinces, sectors, zones and what stands between a zone and factories.

The records common to every table are in ``base``; readiness snapshots and scoring
profiles in ``scores``; plots, the units' utility requests and outage reports in ``plots``.
Everything is importable from ``zones.models``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..vocabulary import (
    CLOSED_MILESTONE_STATUSES,
    OPEN_DISPUTE_STATUSES,
    CoordinatePrecision,
    DisputeStatus,
    MilestoneStatus,
    ResponsibleLevel,
    TargetMetric,
    UtilityKind,
    UtilityStatus,
    ZoneStatus,
    target_names_milestone,
)
from .base import Provenance, Timestamped, counted_q


class Province(models.Model):
    """A province or territory of Pakistan, keyed by its ISO 3166-2:PK code."""

    code = models.CharField(_("ISO code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        # The database holds the English name (see reference_data); show it translated.
        return gettext(self.name)

    def get_absolute_url(self) -> str:
        return reverse("dashboards:province", kwargs={"code": self.code})


class Sector(models.Model):
    """An industry sector that zones target and firms belong to."""

    slug = models.SlugField(_("slug"), max_length=50, primary_key=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return gettext(self.name)


class ZoneQuerySet(models.QuerySet):
    def published(self) -> ZoneQuerySet:
        return self.filter(published=True)


class Zone(Provenance, Timestamped):
    """A special economic zone: where it is, who runs it, how far it has come."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="zones", verbose_name=_("province")
    )
    district = models.CharField(_("district"), max_length=100, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    coordinate_precision = models.CharField(
        _("coordinate precision"),
        max_length=20,
        choices=CoordinatePrecision.choices,
        default=CoordinatePrecision.APPROXIMATE,
    )
    area_acres = models.DecimalField(
        _("gross area (acres)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    developer = models.CharField(_("developer"), max_length=300, blank=True)
    zone_authority = models.CharField(_("zone authority"), max_length=200, blank=True)
    investor_contact = models.CharField(
        _("contact for investors"),
        max_length=300,
        blank=True,
        help_text=_("Whom investors ask about plots: the developer's or authority's office."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ZoneStatus.choices, default=ZoneStatus.PROPOSED
    )
    cpec_priority = models.BooleanField(_("CPEC priority zone"), default=False)
    sectors = models.ManyToManyField(
        Sector, related_name="zones", blank=True, verbose_name=_("target sectors")
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    notified_on = models.DateField(_("notified on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    internal_notes = models.TextField(
        _("internal notes"), blank=True, help_text=_("Visible to officials only.")
    )
    published = models.BooleanField(
        _("published to investors"),
        default=True,
        help_text=_("Unpublished zones are visible to officials only."),
    )
    is_synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated for scale tests.")
    )
    # The latest readiness, kept on the zone for fast listing (see ReadinessSnapshot).
    readiness_score = models.DecimalField(
        _("readiness score"), max_digits=4, decimal_places=1, null=True, blank=True, editable=False
    )
    readiness_computed_at = models.DateTimeField(
        _("readiness computed at"), null=True, blank=True, editable=False
    )
    readiness_stale = models.BooleanField(
        _("readiness needs recompute"), default=True, editable=False
    )

    objects = ZoneQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["readiness_score", "readiness_computed_at", "readiness_stale"]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        constraints = [
            models.CheckConstraint(
                name="zone_latitude_range",
                condition=Q(latitude__gte=-90, latitude__lte=90) | Q(latitude__isnull=True),
                violation_error_message=_("Latitude must be between -90 and 90."),
            ),
            models.CheckConstraint(
                name="zone_longitude_range",
                condition=Q(longitude__gte=-180, longitude__lte=180) | Q(longitude__isnull=True),
                violation_error_message=_("Longitude must be between -180 and 180."),
            ),
            models.CheckConstraint(
                name="zone_area_non_negative",
                condition=Q(area_acres__gte=0) | Q(area_acres__isnull=True),
                violation_error_message=_("Area cannot be negative."),
            ),
            models.CheckConstraint(
                name="zone_status_valid",
                condition=Q(status__in=[c.value for c in ZoneStatus]),
                violation_error_message=_("Unknown zone status."),
            ),
            models.CheckConstraint(
                name="zone_readiness_range",
                condition=Q(readiness_score__gte=0, readiness_score__lte=100)
                | Q(readiness_score__isnull=True),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "status"], name="zone_province_status_idx"),
            models.Index(fields=["readiness_score"], name="zone_readiness_idx"),
            # What the public sees by default: published zones, real records only. Every
            # chart of a dashboard narrows by it; where most zones are illustrative (a demo,
            # the synthetic benches) it spares each of them a scan of the whole table.
            models.Index(
                fields=["province"],
                name="zone_public_real_idx",
                condition=Q(published=True, is_illustrative=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("zones:detail", kwargs={"slug": self.slug})


class ZoneAllotment(models.Model):
    """The acres of a zone allotted to firms that hold land, kept by the database itself.

    Statement triggers on the firms table (``investors.models.Firm.Meta.triggers``) rewrite the
    rows of the zones a statement touched, in that statement: ORM saves, bulk writes, imports
    and COPY alike. So the finder filters and sorts 10,000 zones by free land without summing
    a million firm rows per request. The application only reads it; a zone with no row has
    allotted nothing. The database deletes a zone's row with the zone (``ON DELETE CASCADE``,
    added by the migration), which is why Django is told to do nothing here.
    """

    zone = models.OneToOneField(
        Zone,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="allotment",
    )
    allotted_acres = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))

    class Meta:
        db_table = "zones_zoneallotment"
        verbose_name = _("zone allotment")
        verbose_name_plural = _("zone allotments")

    def __str__(self) -> str:
        return f"{self.zone_id}: {self.allotted_acres}"


class UtilityConnection(Provenance, Timestamped):
    """One utility for one zone: delivered to the zone's zero point, or really connected."""

    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, related_name="utilities", verbose_name=_("zone")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=UtilityKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=UtilityStatus.choices, default=UtilityStatus.NOT_STARTED
    )
    required_capacity = models.DecimalField(
        _("required capacity"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    available_capacity = models.DecimalField(
        _("available capacity"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("MW, MMCFD, MGD…"))
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["zone", "kind"]
        verbose_name = _("utility connection")
        verbose_name_plural = _("utility connections")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "kind"],
                name="utility_one_per_zone_and_kind",
                violation_error_message=_("This zone already has a record for this utility."),
            ),
            models.CheckConstraint(
                name="utility_capacity_non_negative",
                condition=(Q(required_capacity__gte=0) | Q(required_capacity__isnull=True))
                & (Q(available_capacity__gte=0) | Q(available_capacity__isnull=True)),
                violation_error_message=_("Capacities cannot be negative."),
            ),
            models.CheckConstraint(
                name="utility_kind_valid",
                condition=Q(kind__in=[c.value for c in UtilityKind]),
                violation_error_message=_("Unknown utility kind."),
            ),
            models.CheckConstraint(
                name="utility_status_valid",
                condition=Q(status__in=[c.value for c in UtilityStatus]),
                violation_error_message=_("Unknown utility status."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone}: {self.get_kind_display()}"


class LandDispute(Provenance, Timestamped):
    """A dispute over a zone's land: acres at stake, where it is heard, where it stands."""

    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, related_name="disputes", verbose_name=_("zone")
    )
    reference = models.CharField(_("reference"), max_length=100)
    affected_acres = models.DecimalField(
        _("affected acres"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    forum = models.CharField(_("forum"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    parties = models.TextField(_("parties"), blank=True, help_text=_("Visible to officials only."))
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["zone", "reference"]
        verbose_name = _("land dispute")
        verbose_name_plural = _("land disputes")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "reference"],
                name="dispute_unique_reference_per_zone",
                violation_error_message=_("This zone already has a dispute with this reference."),
            ),
            models.CheckConstraint(
                name="dispute_acres_non_negative",
                condition=Q(affected_acres__gte=0) | Q(affected_acres__isnull=True),
                violation_error_message=_("Affected acres cannot be negative."),
            ),
            models.CheckConstraint(
                name="dispute_resolved_after_opened",
                condition=Q(resolved_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(resolved_on__gte=F("opened_on")),
                violation_error_message=_("A dispute cannot be resolved before it was opened."),
            ),
            models.CheckConstraint(
                name="dispute_status_valid",
                condition=Q(status__in=[c.value for c in DisputeStatus]),
                violation_error_message=_("Unknown dispute status."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone}: {self.reference}"

    @property
    def is_active(self) -> bool:
        return self.status in OPEN_DISPUTE_STATUSES


def overdue_q(today: datetime.date | None = None, *, prefix: str = "") -> Q:
    """Overdue milestones: not done, not cancelled, and planned for a day already past.

    ``prefix`` reaches them through a relation, e.g. ``"milestones__"`` from zones.
    """
    today = today or timezone.localdate()
    return Q(**{f"{prefix}planned_date__lt": today}) & ~Q(
        **{f"{prefix}status__in": CLOSED_MILESTONE_STATUSES}
    )


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date | None = None) -> MilestoneQuerySet:
        """Not done, not cancelled, and planned for a day already past."""
        return self.filter(overdue_q(today))


class Milestone(Provenance, Timestamped):
    """A step on a zone's road to factories, with the level of government that owns it."""

    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("zone")
    )
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=Decimal("1"))
    responsible = models.CharField(
        _("responsible level"), max_length=20, choices=ResponsibleLevel.choices
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.NOT_STARTED,
    )
    baseline_date = models.DateField(
        _("baseline date"), null=True, blank=True, help_text=_("The date in the first plan.")
    )
    planned_date = models.DateField(
        _("planned date"), null=True, blank=True, help_text=_("The date in the current plan.")
    )
    actual_date = models.DateField(_("actual date"), null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["zone", "baseline_date", "code"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "code"],
                name="milestone_unique_code_per_zone",
                violation_error_message=_("This zone already has a milestone with this code."),
            ),
            models.CheckConstraint(
                name="milestone_weight_positive",
                condition=Q(weight__gt=0),
                violation_error_message=_("Weight must be greater than zero."),
            ),
            models.CheckConstraint(
                name="milestone_status_valid",
                condition=Q(status__in=[c.value for c in MilestoneStatus]),
                violation_error_message=_("Unknown milestone status."),
            ),
            models.CheckConstraint(
                name="milestone_responsible_valid",
                condition=Q(responsible__in=[c.value for c in ResponsibleLevel]),
                violation_error_message=_("Unknown responsible level."),
            ),
        ]
        indexes = [models.Index(fields=["status", "planned_date"], name="milestone_due_idx")]

    def __str__(self) -> str:
        return f"{self.zone}: {self.title}"

    @property
    def slippage_days(self) -> int | None:
        """(actual or planned) minus baseline, in days; None when either end is unknown."""
        end = self.actual_date or self.planned_date
        if end is None or self.baseline_date is None:
            return None
        return (end - self.baseline_date).days

    @property
    def is_overdue(self) -> bool:
        return (
            self.status not in CLOSED_MILESTONE_STATUSES
            and self.planned_date is not None
            and self.planned_date < timezone.localdate()
        )


class Target(Timestamped):
    """An announced promise for a zone. Targets get restated; every statement is kept, keyed
    by [zone, metric, milestone, announced_on]; the milestone is '' (never NULL) for the
    quantity metrics, so two of their statements on one day collide in the constraint."""

    zone = models.ForeignKey(
        Zone, on_delete=models.CASCADE, related_name="targets", verbose_name=_("zone")
    )
    metric = models.CharField(_("metric"), max_length=20, choices=TargetMetric.choices)
    announced_on = models.DateField(_("announced on"))
    value = models.DecimalField(
        _("target value"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    target_date = models.DateField(_("promised by"), null=True, blank=True)
    milestone_code = models.SlugField(
        _("milestone"),
        max_length=60,
        blank=True,
        help_text=_("For completion dates: the code of the milestone promised."),
    )
    announced_by = models.CharField(_("announced by"), max_length=200, blank=True)
    source_url = models.URLField(_("source URL"), max_length=500)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["zone", "metric", "-announced_on", "milestone_code"]  # one day: by milestone
        verbose_name = _("announced target")
        verbose_name_plural = _("announced targets")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "metric", "milestone_code", "announced_on"],
                name="target_unique_statement",
                violation_error_message=_(
                    "This zone already has a target for this metric announced on that day."
                ),
            ),
            models.CheckConstraint(
                name="target_value_non_negative",
                condition=Q(value__gte=0) | Q(value__isnull=True),
                violation_error_message=_("A target value cannot be negative."),
            ),
            models.CheckConstraint(
                name="target_has_value_or_date",
                condition=Q(value__isnull=False) | Q(target_date__isnull=False),
                violation_error_message=_("A target needs a value or a promised date."),
            ),
            models.CheckConstraint(
                name="target_has_source",
                condition=~Q(source_url=""),
                violation_error_message=_("A target needs the source that announced it."),
            ),
        ]

    def __str__(self) -> str:
        milestone = f" {self.milestone_code}" if self.milestone_code else ""
        return f"{self.zone}: {self.get_metric_display()}{milestone} ({self.announced_on})"

    def clean(self) -> None:
        """Only a completion date names a milestone (it would make a quantity target's second
        statement on one day look distinct)."""
        super().clean()
        if self.milestone_code and self.metric and not target_names_milestone(self.metric):
            raise ValidationError(
                {"milestone_code": _("Only a completion-date target names a milestone.")}
            )


from .plots import OutageReport, Plot, UtilityRequest  # noqa: E402  (they point at Zone)
from .reported import ReportedTotal  # noqa: E402
from .scores import ReadinessSnapshot, ScoringProfile  # noqa: E402  (they point at Zone)

__all__ = [
    "LandDispute",
    "Milestone",
    "MilestoneQuerySet",
    "OutageReport",
    "Plot",
    "Provenance",
    "Province",
    "ReadinessSnapshot",
    "ReportedTotal",
    "ScoringProfile",
    "Sector",
    "Target",
    "Timestamped",
    "UtilityConnection",
    "UtilityRequest",
    "Zone",
    "ZoneAllotment",
    "ZoneQuerySet",
    "counted_q",
    "overdue_q",
]
