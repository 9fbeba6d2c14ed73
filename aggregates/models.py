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
    ResponsibleLevel,
    UtilityKind,
    UtilityStatus,
)


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


class ReturnTally(ZoneTally):
    """A zone's annual returns of one year: the sums its yearly figures are made of, as
    ``investors.return_selectors.year_sums`` names them. Null sums (no return gives the
    field) stay null when summed over zones, as the figures want (an unknown is not 0)."""

    year = models.PositiveSmallIntegerField()
    firms_reporting = models.IntegerField()
    employees_sum = models.BigIntegerField(null=True)
    #: Σ employees_local and Σ employees over the returns giving both; women's likewise.
    local = models.BigIntegerField(null=True)
    local_base = models.BigIntegerField(null=True)
    women = models.BigIntegerField(null=True)
    women_base = models.BigIntegerField(null=True)
    trained = models.BigIntegerField(null=True)
    exports = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    imports = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    #: Σ (exports − imports) over the returns giving both.
    net = models.DecimalField(max_digits=20, decimal_places=2, null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "is_illustrative", "year"], name="returntally_one_row_per_key"
            )
        ]


class ReturnMarketTally(ZoneTally):
    """The first year a zone's returns listed an export market. A market is new in a year
    for a set of zones when that year is the least of their first years (new markets
    against every earlier year of any of them)."""

    market = models.CharField(max_length=2)
    first_year = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "is_illustrative", "market"],
                name="returnmarkettally_one_row_per_key",
            )
        ]


class ReadinessTally(models.Model):
    """A zone's readiness snapshots of one day (the database session's day): its last score
    of the day and its last score before that day (null on its first day), and when the
    day's first and last snapshots were taken. Summing ``score - previous`` over a zone's
    days up to a date gives its latest score at that date, so the dashboards' readiness over
    time is running sums over these rows. Snapshots belong to the zone, never illustrative
    on their own: the zone's flag (the zones table) decides whether it counts."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    score = models.DecimalField(max_digits=4, decimal_places=1)
    previous = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["zone", "day"], name="readinesstally_one_row_per_key")
        ]

    def __str__(self) -> str:
        return f"Readiness of zone {self.zone_id} on {self.day}"


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
