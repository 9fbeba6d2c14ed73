"""The maintained aggregate tables: each zone's records summed by the keys the dashboards
group by, one row per zone and key. A dashboard is a sum over the rows of the zones it
shows, so the finder's filters narrow every figure without touching the records.

Every tally row keeps real and illustrative records apart (``is_illustrative``), so that the
default (real records only) and the demonstration (``?illustrative=include``) read the same
rows. What each column sums, and from which records, is in ``aggregates.tallies``; how the
rows are kept current, in ``aggregates.services``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zones.models import Zone
from zones.vocabulary import (
    FirmStatus,
    OriginGroup,
    Reporter,
    RequestKind,
    ResponsibleLevel,
    UtilityKind,
    UtilityStatus,
)

#: How acres are kept in the tally tables (sums over a zone's plots).
ACRES = {"max_digits": 14, "decimal_places": 2}


class ZoneTally(models.Model):
    """What every tally row carries: the zone, and whether its records are illustrative."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    is_illustrative = models.BooleanField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} of zone {self.zone_id}"


class FirmTally(ZoneTally):
    """A zone's firms of one origin group and status."""

    origin_group = models.CharField(max_length=20, choices=OriginGroup.choices)
    status = models.CharField(max_length=20, choices=FirmStatus.choices)
    firms = models.IntegerField()
    #: Allotted but idle (``investors.models.idle_q``) on the day the row was written.
    idle = models.IntegerField()
    # Sums over the firms that hold land, and how many of them report each figure.
    jobs = models.BigIntegerField()
    jobs_reported = models.IntegerField()
    exports_usd = models.DecimalField(max_digits=20, decimal_places=2)
    exports_reported = models.IntegerField()
    investment_usd = models.DecimalField(max_digits=20, decimal_places=2)
    investment_reported = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "is_illustrative", "origin_group", "status"],
                name="firmtally_one_row_per_key",
            )
        ]


class MilestoneTally(ZoneTally):
    """A zone's milestones owned by one level of government (or the developer)."""

    responsible = models.CharField(max_length=20, choices=ResponsibleLevel.choices)
    #: Not done and not cancelled; of those, with a planned date; and planned for a past day
    #: (on the day the row was written).
    open = models.IntegerField()
    dated = models.IntegerField()
    overdue = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "is_illustrative", "responsible"],
                name="milestonetally_one_row_per_key",
            )
        ]


class SlippageTally(ZoneTally):
    """A zone's slippage per level and measure: milestones not cancelled with a baseline and
    an actual (``measure`` "actual") or only a planned (``"plan"``) date."""

    responsible = models.CharField(max_length=20, choices=ResponsibleLevel.choices)
    measure = models.CharField(max_length=6)
    #: The most days any of them slipped ((actual or planned) − baseline).
    worst_days = models.IntegerField()
    milestones = models.IntegerField()
    overdue = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "is_illustrative", "responsible", "measure"],
                name="slippagetally_one_row_per_key",
            )
        ]


class UtilityTally(ZoneTally):
    """A zone's utility records of one kind and status."""

    kind = models.CharField(max_length=20, choices=UtilityKind.choices)
    status = models.CharField(max_length=20, choices=UtilityStatus.choices)
    records = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "is_illustrative", "kind", "status"],
                name="utilitytally_one_row_per_key",
            )
        ]


class DisputeTally(ZoneTally):
    """A zone's land disputes not yet settled (``OPEN_DISPUTE_STATUSES``)."""

    disputes = models.IntegerField()
    #: The acres they affect, over those that say; and how many do not say.
    acres = models.DecimalField(max_digits=14, decimal_places=2, null=True)
    without_acres = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "is_illustrative"], name="disputetally_one_row_per_key"
            )
        ]


class PlotTally(ZoneTally):
    """A zone's plots and their acres by what they are for (``zones.plot_rules``): saleable
    (not amenity, not cancelled), available (offered), allotted, and held by a firm (reserved
    or allotted)."""

    plots = models.IntegerField()
    saleable_acres = models.DecimalField(**ACRES)
    available_acres = models.DecimalField(**ACRES)
    allotted_acres = models.DecimalField(**ACRES)
    held_acres = models.DecimalField(**ACRES)
    allotted_plots = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "is_illustrative"], name="plottally_one_row_per_key"
            )
        ]


class UnbuiltPlotTally(ZoneTally):
    """A zone's allotted plots with nothing built or produced yet (``unbuilt_q``), by their
    day of allotment: those allotted over a year before the day a page is read are idle, and
    their ages (and its median) follow from these days, so no row changes with the date."""

    allotted_on = models.DateField()
    plots = models.IntegerField()
    acres = models.DecimalField(**ACRES)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "is_illustrative", "allotted_on"],
                name="unbuiltplottally_one_row_per_key",
            )
        ]


class RequestTally(ZoneTally):
    """A zone's utility requests of one kind to one provider, connected or waiting (withdrawn
    ones count nowhere)."""

    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    provider = models.CharField(max_length=200)
    connected = models.IntegerField()
    waiting = models.IntegerField()
    #: When the oldest waiting request was made (None: none waits); its age is read time's.
    earliest_waiting_applied_on = models.DateField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "is_illustrative", "kind", "provider"],
                name="requesttally_one_row_per_key",
            )
        ]


class ConnectionDaysTally(ZoneTally):
    """How many of a zone's requests of one kind to one provider were connected in so many
    whole days: a histogram, from which the median days to connect of any set of zones is
    exact (medians cannot be added)."""

    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    provider = models.CharField(max_length=200)
    days = models.IntegerField()
    requests = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "is_illustrative", "kind", "provider", "days"],
                name="connectiondaystally_one_row_per_key",
            )
        ]


class OutageTally(ZoneTally):
    """A zone's outage reports of one kind by one reporter, summed over the 12 whole months
    before the month of the day the row was written (``plot_rules.outage_window``); a row for
    every kind and reporter with any report, 0 hours when none falls in the window."""

    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    reported_by = models.CharField(max_length=20, choices=Reporter.choices)
    hours_12m = models.DecimalField(max_digits=10, decimal_places=1)
    #: The hours of the window's months that have a report (the share's denominator).
    reported_month_hours = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "is_illustrative", "kind", "reported_by"],
                name="outagetally_one_row_per_key",
            )
        ]


class PendingZone(models.Model):
    """A zone whose records changed since its tally rows were written. Flagged in the
    transaction of the edit, cleared by the refresh that rewrote its rows. A plain id, not a
    foreign key: deleting a zone deletes its records, which flag the zone as they go."""

    zone_id = models.IntegerField(primary_key=True)
    flagged_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"zone {self.zone_id}, pending since {self.flagged_at:%Y-%m-%d %H:%M:%S}"


class AggregateRun(models.Model):
    """One refresh (some zones) or rebuild (every zone) of the tally tables, as it committed:
    when, how many zones, how long, and for a rebuild how many zones' rows it had to correct."""

    class Kind(models.TextChoices):
        REFRESH = "refresh", _("refresh")
        REBUILD = "rebuild", _("nightly rebuild")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    finished_at = models.DateTimeField(db_index=True)
    #: The day date-dependent figures (overdue, idle) were counted for.
    as_of = models.DateField()
    zones = models.IntegerField()
    seconds = models.FloatField()
    #: Zones whose rows the rebuild found wrong, missing or extra (drift), in all and per
    #: table; 0 for a refresh.
    drift_zones = models.IntegerField(default=0)
    drift = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-finished_at"]
        get_latest_by = "finished_at"

    def __str__(self) -> str:
        return f"{self.kind} of {self.zones} zones at {self.finished_at:%Y-%m-%d %H:%M:%S}"
