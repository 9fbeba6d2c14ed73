"""Policy events and one-window applications (DOMAIN.md, version 3).

A policy event is national: an Act, an SRO, a Finance Act clause or a board decision that
grants, changes or withdraws an incentive, or changes a procedure or a tariff, federally or
in one province, for every zone in its scope or for the zones it names. An application is
one firm's (or applicant's) request to a zone's one-window, with its decision.

Every rule of DOMAIN.md is a named constraint here, so the database refuses what the admin
and the bundle importer refuse. Zones and provinces are named by label: the records of
``zones`` import nothing of this app.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zones.models import Provenance, Timestamped

from .vocabulary import ApplicationKind, Decision, PolicyEffect, PolicyLevel


class PolicyEvent(Provenance, Timestamped):
    """A dated change to what zones offer or how they work, with the instrument behind it."""

    reference = models.SlugField(
        _("reference"),
        max_length=100,
        unique=True,
        help_text=_("A short, stable key, e.g. sez-act-2012."),
    )
    date = models.DateField(_("date"))
    level = models.CharField(_("level"), max_length=20, choices=PolicyLevel.choices)
    province = models.ForeignKey(
        "zones.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="policy_events",
        verbose_name=_("province"),
        help_text=_("For a provincial event only."),
    )
    instrument = models.CharField(
        _("instrument"),
        max_length=300,
        help_text=_("The Act, SRO, Finance Act clause or board decision."),
    )
    title = models.CharField(_("title"), max_length=300)
    effect = models.CharField(_("effect"), max_length=30, choices=PolicyEffect.choices)
    incentive = models.SlugField(
        _("incentive"),
        max_length=100,
        blank=True,
        help_text=_(
            "The incentive an incentive event grants, changes or withdraws (e.g. "
            "income-tax-exemption), so later events find it; the title serves when empty."
        ),
    )
    zones = models.ManyToManyField(
        "zones.Zone",
        related_name="policy_events",
        blank=True,
        verbose_name=_("zones"),
        help_text=_("Empty: every zone in the event's scope (all zones, or the province's)."),
    )

    history = HistoricalRecords(m2m_fields=[zones])

    class Meta:
        ordering = ["-date", "reference"]
        verbose_name = _("policy event")
        verbose_name_plural = _("policy events")
        constraints = [
            models.CheckConstraint(
                name="policy_event_level_valid",
                condition=Q(level__in=[c.value for c in PolicyLevel]),
                violation_error_message=_("Unknown level: use federal or provincial."),
            ),
            models.CheckConstraint(
                name="policy_event_effect_valid",
                condition=Q(effect__in=[c.value for c in PolicyEffect]),
                violation_error_message=_("Unknown effect."),
            ),
            models.CheckConstraint(
                name="policy_event_province_for_provincial",
                condition=Q(level=PolicyLevel.PROVINCIAL, province__isnull=False)
                | Q(level=PolicyLevel.FEDERAL, province__isnull=True),
                violation_error_message=_(
                    "A provincial event names its province; a federal event names none."
                ),
            ),
        ]
        indexes = [models.Index(fields=["date"], name="policy_event_date_idx")]

    def __str__(self) -> str:
        return f"{self.date}: {self.title}"

    @property
    def incentive_key(self) -> str:
        return self.incentive or self.title


class Application(Provenance, Timestamped):
    """An application to a zone's one-window: enterprise status, a plot, or an NOC."""

    zone = models.ForeignKey(
        "zones.Zone",
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("zone"),
    )
    reference = models.CharField(_("reference"), max_length=100)
    applicant = models.CharField(_("applicant"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ApplicationKind.choices)
    applied_on = models.DateField(_("applied on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["zone", "-applied_on", "reference"]
        verbose_name = _("one-window application")
        verbose_name_plural = _("one-window applications")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "reference"],
                name="application_unique_reference_per_zone",
                violation_error_message=_(
                    "This zone already has an application with this reference."
                ),
            ),
            models.CheckConstraint(
                name="application_kind_valid",
                condition=Q(kind__in=[c.value for c in ApplicationKind]),
                violation_error_message=_("Unknown application kind."),
            ),
            models.CheckConstraint(
                name="application_decision_valid",
                condition=Q(decision__in=[c.value for c in Decision]),
                violation_error_message=_("Unknown decision."),
            ),
            models.CheckConstraint(
                name="application_decision_dates",
                condition=Q(decision=Decision.PENDING, decided_on__isnull=True)
                | (
                    ~Q(decision=Decision.PENDING)
                    & Q(decided_on__isnull=False, decided_on__gte=F("applied_on"))
                ),
                violation_error_message=_(
                    "A decided application needs its decision date, on or after the "
                    "application; a pending one has none."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["zone", "kind", "decision"], name="application_zone_kind_idx")
        ]

    def __str__(self) -> str:
        return f"{self.zone}: {self.reference}"
