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

from investors.models import Firm
from zones.models import Province, Zone
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
    """What every tally row carries: the zone, whether its records are illustrative, and
    the zone's province and flags as they were when the row was written (its province
    rollup's keys: a refresh takes the row out of the rollup it was added to)."""

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="+")
    is_illustrative = models.BooleanField()
    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    zone_published = models.BooleanField()
    zone_illustrative = models.BooleanField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} of zone {self.zone_id}"


class ProvinceTally(models.Model):
    """What every rollup row carries: the sums of the zone rows of one province, over its
    published or unpublished, real or illustrative zones, of real or illustrative records.
    The pages that show every published zone of the country or of a province read these."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    zone_published = models.BooleanField()
    zone_illustrative = models.BooleanField()
    is_illustrative = models.BooleanField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} of {self.province_id}"


def _one_row_per(model: str, *keys: str, per: str = "zone") -> list[models.UniqueConstraint]:
    """The unique constraint naming a tally's row (``per`` "zone") or a rollup's."""
    owner = ["zone"] if per == "zone" else ["province", "zone_published", "zone_illustrative"]
    return [
        models.UniqueConstraint(
            fields=[*owner, "is_illustrative", *keys], name=f"{model}_one_row_per_key"
        )
    ]


class FirmFigures(models.Model):
    """Firms of one origin group and status."""

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
        abstract = True


class FirmTally(ZoneTally, FirmFigures):
    """A zone's firms of one origin group and status."""

    class Meta:
        constraints = _one_row_per("firmtally", "origin_group", "status")


class ProvinceFirmTally(ProvinceTally, FirmFigures):
    class Meta:
        constraints = _one_row_per("provincefirmtally", "origin_group", "status", per="province")


class MilestoneFigures(models.Model):
    """Milestones owned by one level of government (or the developer)."""

    responsible = models.CharField(max_length=20, choices=ResponsibleLevel.choices)
    #: Not done and not cancelled; of those, with a planned date; and planned for a past day
    #: (on the day the row was written).
    open = models.IntegerField()
    dated = models.IntegerField()
    overdue = models.IntegerField()

    class Meta:
        abstract = True


class MilestoneTally(ZoneTally, MilestoneFigures):
    class Meta:
        constraints = _one_row_per("milestonetally", "responsible")


class ProvinceMilestoneTally(ProvinceTally, MilestoneFigures):
    class Meta:
        constraints = _one_row_per("provincemilestonetally", "responsible", per="province")


class SlippageTally(ZoneTally):
    """A zone's slippage per level and measure: milestones not cancelled with a baseline and
    an actual (``measure`` "actual") or only a planned (``"plan"``) date. No rollup: the
    chart ranks zones."""

    responsible = models.CharField(max_length=20, choices=ResponsibleLevel.choices)
    measure = models.CharField(max_length=6)
    #: The most days any of them slipped ((actual or planned) − baseline).
    worst_days = models.IntegerField()
    milestones = models.IntegerField()
    overdue = models.IntegerField()

    class Meta:
        constraints = _one_row_per("slippagetally", "responsible", "measure")


class UtilityFigures(models.Model):
    """Utility records of one kind and status."""

    kind = models.CharField(max_length=20, choices=UtilityKind.choices)
    status = models.CharField(max_length=20, choices=UtilityStatus.choices)
    records = models.IntegerField()

    class Meta:
        abstract = True


class UtilityTally(ZoneTally, UtilityFigures):
    class Meta:
        constraints = _one_row_per("utilitytally", "kind", "status")


class ProvinceUtilityTally(ProvinceTally, UtilityFigures):
    class Meta:
        constraints = _one_row_per("provinceutilitytally", "kind", "status", per="province")


class DisputeFigures(models.Model):
    """Land disputes not yet settled (``OPEN_DISPUTE_STATUSES``)."""

    disputes = models.IntegerField()
    #: The acres they affect, over those that say (0 when none says); and how many do not.
    acres = models.DecimalField(max_digits=14, decimal_places=2)
    without_acres = models.IntegerField()

    class Meta:
        abstract = True


class DisputeTally(ZoneTally, DisputeFigures):
    class Meta:
        constraints = _one_row_per("disputetally")


class ProvinceDisputeTally(ProvinceTally, DisputeFigures):
    class Meta:
        constraints = _one_row_per("provincedisputetally", per="province")


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
    #: The zone's latest year with a return, of all its returns and of its real ones (the
    #: latter null when it has none): the rows of that year are the zone's latest figures,
    #: for a page that counts illustrative returns and for one that does not. Not summed by
    #: the rollup.
    zone_latest_year = models.PositiveSmallIntegerField()
    zone_latest_real_year = models.PositiveSmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "is_illustrative", "year"], name="returntally_one_row_per_key"
            )
        ]


class ProvinceReturnTally(ProvinceTally):
    """The return tally's sums per province and year. A rollup row is added to and taken
    from, so a sum no return gives (null in the zones' rows) is kept as the sum of the zones
    giving it, 0 when none does, beside how many zone rows give it (``…_zones``): its readers
    make it null again when that is 0 (``aggregates.tallies.Tally.rollup_sums``)."""

    year = models.PositiveSmallIntegerField()
    firms_reporting = models.IntegerField()
    employees_sum = models.BigIntegerField()
    employees_sum_zones = models.IntegerField()
    local = models.BigIntegerField()
    local_zones = models.IntegerField()
    local_base = models.BigIntegerField()
    local_base_zones = models.IntegerField()
    women = models.BigIntegerField()
    women_zones = models.IntegerField()
    women_base = models.BigIntegerField()
    women_base_zones = models.IntegerField()
    trained = models.BigIntegerField()
    trained_zones = models.IntegerField()
    exports = models.DecimalField(max_digits=20, decimal_places=2)
    exports_zones = models.IntegerField()
    imports = models.DecimalField(max_digits=20, decimal_places=2)
    imports_zones = models.IntegerField()
    net = models.DecimalField(max_digits=20, decimal_places=2)
    net_zones = models.IntegerField()

    class Meta:
        constraints = _one_row_per("provincereturntally", "year", per="province")


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


class ProvinceReturnMarketTally(ProvinceTally):
    """How many zones of a province first listed a market in a year: the least year with
    any is the province's first year of the market (a least value cannot be taken away)."""

    market = models.CharField(max_length=2)
    first_year = models.PositiveSmallIntegerField()
    zones = models.IntegerField()

    class Meta:
        constraints = _one_row_per(
            "provincereturnmarkettally", "market", "first_year", per="province"
        )


class MarketTally(ZoneTally):
    """A zone's firms holding land that list one destination market (ISO 3166-1 alpha-2)."""

    market = models.CharField(max_length=2)
    firms = models.IntegerField()
    #: Their reported annual exports (all markets together), and how many report them.
    exports_usd = models.DecimalField(max_digits=20, decimal_places=2)
    exports_reported = models.IntegerField()
    #: The first year one of them listed the market: in the firm's first annual return
    #: listing it, else its allotment year (``FirmMarket``); counting real returns only, and
    #: counting illustrative ones too. Null when none of them says.
    first_year = models.IntegerField(null=True)
    first_year_with_illustrative = models.IntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "is_illustrative", "market"],
                name="markettally_one_row_per_key",
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


class FirmMarket(models.Model):
    """A database view, not a table (migration ``firm_markets``): one row per firm and
    market its export markets list (each market once), with the first year the firm's
    annual returns listed that market (real returns only, and any return) and the firm's
    allotment year, the stand-in where no return lists it. The market tally sums it."""

    pk = models.CompositePrimaryKey("firm", "market")
    firm = models.ForeignKey(Firm, on_delete=models.DO_NOTHING, related_name="+")
    zone = models.ForeignKey(Zone, on_delete=models.DO_NOTHING, related_name="+")
    is_illustrative = models.BooleanField()
    status = models.CharField(max_length=20, choices=FirmStatus.choices)
    market = models.CharField(max_length=2)
    exports_usd = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    allotted_year = models.IntegerField(null=True)
    returned_year = models.IntegerField(null=True)
    returned_year_with_illustrative = models.IntegerField(null=True)

    class Meta:
        managed = False
        db_table = "aggregates_firm_market"

    def __str__(self) -> str:
        return f"firm {self.firm_id} exports to {self.market}"


class PlotFigures(models.Model):
    """Plots and their acres by what they are for (``zones.plot_rules``): saleable (not
    amenity, not cancelled), available (offered), allotted, and held by a firm (reserved or
    allotted)."""

    plots = models.IntegerField()
    saleable_acres = models.DecimalField(**ACRES)
    available_acres = models.DecimalField(**ACRES)
    allotted_acres = models.DecimalField(**ACRES)
    held_acres = models.DecimalField(**ACRES)
    allotted_plots = models.IntegerField()

    class Meta:
        abstract = True


class PlotTally(ZoneTally, PlotFigures):
    class Meta:
        constraints = _one_row_per("plottally")


class ProvincePlotTally(ProvinceTally, PlotFigures):
    class Meta:
        constraints = _one_row_per("provinceplottally", per="province")


class UnbuiltPlotFigures(models.Model):
    """Allotted plots with nothing built or produced yet (``unbuilt_q``), by their day of
    allotment: those allotted over a year before the day a page is read are idle, and their
    ages (and its median) follow from these days, so no row changes with the date."""

    allotted_on = models.DateField()
    plots = models.IntegerField()
    acres = models.DecimalField(**ACRES)

    class Meta:
        abstract = True


class UnbuiltPlotTally(ZoneTally, UnbuiltPlotFigures):
    class Meta:
        constraints = _one_row_per("unbuiltplottally", "allotted_on")


class ProvinceUnbuiltPlotTally(ProvinceTally, UnbuiltPlotFigures):
    class Meta:
        constraints = _one_row_per("provinceunbuiltplottally", "allotted_on", per="province")


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


class ConnectionDaysFigures(models.Model):
    """How many requests of one kind to one provider were connected in so many whole days: a
    histogram, from which the median days to connect of any set of zones is exact (medians
    cannot be added)."""

    kind = models.CharField(max_length=20, choices=RequestKind.choices)
    provider = models.CharField(max_length=200)
    days = models.IntegerField()
    requests = models.IntegerField()

    class Meta:
        abstract = True


class ConnectionDaysTally(ZoneTally, ConnectionDaysFigures):
    class Meta:
        constraints = _one_row_per("connectiondaystally", "kind", "provider", "days")


class ProvinceConnectionDaysTally(ProvinceTally, ConnectionDaysFigures):
    class Meta:
        constraints = _one_row_per(
            "provinceconnectiondaystally", "kind", "provider", "days", per="province"
        )


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
