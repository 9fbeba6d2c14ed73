"""Totals reported by an authority for a zone, kept beside what our records sum to."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from zones.vocabulary import ReportedMetric

from .base import Timestamped


class ReportedTotal(Timestamped):
    """A figure an authority reported for a whole zone (allotted or saleable acres, firms
    operating, jobs, investment, exports), as of a day, with its source. Like targets,
    every statement is kept, keyed by [zone, metric, as_of]; the latest is the current one,
    and every edit of a statement is kept in its history.
    Pages show it beside the sum of our records, with coverage (recorded ÷ reported)."""

    zone = models.ForeignKey(
        "zones.Zone",
        on_delete=models.CASCADE,
        related_name="reported_totals",
        verbose_name=_("zone"),
    )
    metric = models.CharField(_("metric"), max_length=20, choices=ReportedMetric.choices)
    value = models.DecimalField(_("reported value"), max_digits=16, decimal_places=2)
    as_of = models.DateField(_("as of"))
    reported_by = models.CharField(_("reported by"), max_length=200)
    source_url = models.URLField(_("source URL"), max_length=500)
    notes = models.TextField(_("notes"), blank=True)

    #: Every edit (admin, reviewed update, import) is kept, like the targets'.
    history = HistoricalRecords()

    class Meta:
        ordering = ["zone", "metric", "-as_of"]
        verbose_name = _("reported total")
        verbose_name_plural = _("reported totals")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "metric", "as_of"],
                name="reported_unique_statement",
                violation_error_message=_(
                    "This zone already has a reported total for this metric as of that day."
                ),
            ),
            models.CheckConstraint(
                name="reported_value_non_negative",
                condition=Q(value__gte=0),
                violation_error_message=_("A reported total cannot be negative."),
            ),
            models.CheckConstraint(
                name="reported_metric_valid",
                condition=Q(metric__in=[c.value for c in ReportedMetric]),
                violation_error_message=_("Unknown metric."),
            ),
            models.CheckConstraint(
                name="reported_has_source",
                condition=~Q(source_url=""),
                violation_error_message=_("A reported total needs its source."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone}: {self.get_metric_display()} ({self.as_of})"
