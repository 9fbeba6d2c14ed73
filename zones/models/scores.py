"""Readiness snapshots and scoring profiles: the readiness app's tables, kept in ``zones``
(their app label and tables predate the readiness app)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import Timestamped


class ReadinessSnapshot(models.Model):
    """A zone's readiness score at one moment, with its components and the weights used."""

    zone = models.ForeignKey(
        "zones.Zone",
        on_delete=models.CASCADE,
        related_name="readiness_snapshots",
        verbose_name=_("zone"),
    )
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1)
    utilities = models.DecimalField(_("utilities"), max_digits=5, decimal_places=4)
    land = models.DecimalField(_("land"), max_digits=5, decimal_places=4)
    milestones = models.DecimalField(_("milestones"), max_digits=5, decimal_places=4)
    occupancy = models.DecimalField(_("occupancy"), max_digits=5, decimal_places=4)
    weights = models.JSONField(_("weights"))
    profile_version = models.PositiveIntegerField(_("profile version"))
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    inputs_digest = models.CharField(_("inputs digest"), max_length=64)
    changes = models.JSONField(_("changes since previous snapshot"), default=dict, blank=True)
    inputs = models.JSONField(
        _("inputs"),
        default=dict,
        blank=True,
        help_text=_("What the formula read: area, core utilities and the summed records."),
    )

    class Meta:
        ordering = ["zone", "-computed_at"]
        get_latest_by = "computed_at"
        verbose_name = _("readiness snapshot")
        verbose_name_plural = _("readiness snapshots")
        constraints = [
            models.CheckConstraint(
                name="snapshot_score_range", condition=Q(score__gte=0, score__lte=100)
            ),
            models.CheckConstraint(
                name="snapshot_components_range",
                condition=Q(utilities__gte=0, utilities__lte=1)
                & Q(land__gte=0, land__lte=1)
                & Q(milestones__gte=0, milestones__lte=1)
                & Q(occupancy__gte=0, occupancy__lte=1),
            ),
        ]
        indexes = [models.Index(fields=["zone", "-computed_at"], name="snapshot_zone_latest_idx")]

    def __str__(self) -> str:
        return f"{self.zone}: {self.score} ({self.computed_at:%Y-%m-%d})"


def _weight_field(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=4,
        validators=[
            MinValueValidator(0, message=_("A weight cannot be negative.")),
            MaxValueValidator(1, message=_("A weight cannot be more than 1.")),
        ],
    )


class ScoringProfile(Timestamped):
    """A version of the readiness weights. Exactly one profile is active at a time.

    Version 1 holds the default weights of the formula; administrators may add versions
    with other weights (each at least 0, together exactly 1). Activating a profile
    recomputes every zone's score with its weights.
    """

    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100, blank=True)
    utilities = _weight_field(_("utilities weight"))
    land = _weight_field(_("land weight"))
    milestones = _weight_field(_("milestones weight"))
    occupancy = _weight_field(_("occupancy weight"))
    is_active = models.BooleanField(_("active"), default=False, editable=False)
    activated_at = models.DateTimeField(
        _("last activated at"), null=True, blank=True, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("scoring profile")
        verbose_name_plural = _("scoring profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="scoring_profile_one_active",
            ),
            models.CheckConstraint(
                name="scoring_profile_weights_non_negative",
                condition=Q(utilities__gte=0, land__gte=0, milestones__gte=0, occupancy__gte=0),
                violation_error_message=_("A weight cannot be negative."),
            ),
            models.CheckConstraint(
                name="scoring_profile_weights_sum_to_one",
                condition=models.lookups.Exact(
                    F("utilities") + F("land") + F("milestones") + F("occupancy"), Decimal("1")
                ),
                violation_error_message=_(
                    "The four weights (utilities, land, milestones, occupancy) must add up "
                    "to exactly 1."
                ),
            ),
        ]

    def __str__(self) -> str:
        label = _("Scoring profile v%(version)s") % {"version": self.version}
        return f"{label} · {self.name}" if self.name else label
