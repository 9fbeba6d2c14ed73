"""The zone page's plots section: for investors the plots on offer and whom to ask; for
officials also the possession register (each allotted plot's stage, idle plots with their
age), the utility clock per kind and provider, and outages as developers and tenants report
them, side by side. Built by ``zones.page``; at most five queries whatever the zone holds, and
the long lists a page at a time."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from . import plot_rules, plot_selectors
from .models import Plot, Zone, counted_q
from .selectors import Listed, listed
from .vocabulary import PlotStage, PlotStatus, Reporter, RequestKind, plot_stage


@dataclass(frozen=True)
class RegisterRow:
    """One allotted plot in the possession register."""

    plot: Plot
    stage: PlotStage
    idle: bool
    #: Days since allotment; None when the allotment date is unknown.
    age_days: int | None


@dataclass(frozen=True)
class OutageLine:
    """One utility's outages over the last 12 whole months, developer beside tenants."""

    kind: str
    label: str
    developer: plot_rules.OutageFigures | None
    tenant: plot_rules.OutageFigures | None


@dataclass(frozen=True)
class PlotsSection:
    figures: plot_rules.PlotFigures
    #: Available plots that are not amenity land, the largest first (the first of them, or
    #: all when the page asks for them in full).
    available: Listed[Plot]
    #: Whom investors ask: the zone's contact, else its developer, else its authority.
    contact: str
    #: Officials only (None for everyone else); listed like ``available``.
    register: Listed[RegisterRow] | None
    clock: list[plot_selectors.ClockRow] | None
    outages: list[OutageLine] | None
    window: tuple[datetime.date, datetime.date]

    @property
    def has_plots(self) -> bool:
        return bool(self.available) or self.figures.saleable_acres > 0 or bool(self.register)


def investor_contact(zone: Zone) -> str:
    return zone.investor_contact or zone.developer or zone.zone_authority


def build_plots_section(
    *,
    zone: Zone,
    internal: bool,
    today: datetime.date | None = None,
    include_illustrative: bool = False,
    limit: int | None = None,
) -> PlotsSection:
    """The zone page's plots: real records only unless ``include_illustrative``; the
    available plots and the possession register the first ``limit`` rows of each (None:
    all), with how many there are."""
    today = today or timezone.localdate()
    counted = {"today": today, "include_illustrative": include_illustrative}
    real = counted_q(include_illustrative=include_illustrative)
    figures = plot_selectors.plot_figures_by_zone([zone.pk], **counted)[zone.pk]
    available = listed(
        Plot.objects.offered().filter(real, zone=zone).order_by("-acres", "number"), limit=limit
    )
    register = clock = outages = None
    if internal:
        allotted = (
            Plot.objects.filter(real, zone=zone, status=PlotStatus.ALLOTTED)
            .select_related("firm")
            .order_by("allotted_on", "number")
        )
        allotted = listed(allotted, limit=limit)
        register = Listed(
            [
                RegisterRow(
                    plot=plot,
                    stage=plot_stage(
                        possession_on=plot.possession_on,
                        construction_started_on=plot.construction_started_on,
                        production_started_on=plot.production_started_on,
                    ),
                    idle=plot_rules.is_idle(_record(plot), today),
                    age_days=(today - plot.allotted_on).days if plot.allotted_on else None,
                )
                for plot in allotted
            ],
            allotted.total,
        )
        clock = plot_selectors.clock_by_zone([zone.pk], by_provider=True, **counted).get(
            zone.pk, []
        )
        by_kind: dict[str, dict[str, plot_rules.OutageFigures]] = {}
        for row in plot_selectors.outages_by_zone([zone.pk], **counted).get(zone.pk, []):
            by_kind.setdefault(row.kind, {})[row.reported_by] = row.figures
        outages = [
            OutageLine(
                kind.value,
                str(kind.label),
                by_kind[kind.value].get(Reporter.DEVELOPER),
                by_kind[kind.value].get(Reporter.TENANT),
            )
            for kind in RequestKind
            if kind.value in by_kind
        ]
    return PlotsSection(
        figures=figures,
        available=available,
        contact=investor_contact(zone),
        register=register,
        clock=clock,
        outages=outages,
        window=plot_rules.outage_window(today),
    )


def _record(plot: Plot) -> plot_rules.PlotRecord:
    return plot_rules.PlotRecord(
        acres=plot.acres,
        land_use=plot.land_use,
        status=plot.status,
        allotted_on=plot.allotted_on,
        construction_started_on=plot.construction_started_on,
        production_started_on=plot.production_started_on,
    )
