"""Checks on a bundle's final state, across sheets: what no single row can tell.

Allotted acres have one source of truth (DOMAIN.md, version 2): where a zone records plots,
a firm's allotted acres is the sum of its ``allotted`` plots. A firm row that disagrees with
the plots its zone will hold once the bundle is applied (stored plots, updated by the
bundle's plot rows) by more than :data:`ALLOTTED_ACRES_TOLERANCE` is refused.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from investors.models import Firm
from zones.models import Plot
from zones.vocabulary import PlotStatus

from .planning import PlannedRow
from .reading import RowError

ALLOTTED_ACRES_TOLERANCE = Decimal("0.01")


def allotted_acres_errors(rows: list[PlannedRow]) -> list[RowError]:
    """Firm rows whose allotted acres disagree with their allotted plots (two queries)."""
    firm_rows = [row for row in rows if row.sheet == "firms"]
    plot_rows = [row for row in rows if row.sheet == "plots"]
    if not firm_rows:
        return []
    zones = {row.key[0] for row in firm_rows}
    # The final plots of those zones: as stored, then as the bundle leaves them.
    plots: dict[tuple[str, str], dict] = {
        (slug, number): {"status": status, "acres": acres, "firm_id": firm}
        for slug, number, status, acres, firm in Plot.objects.filter(
            zone__slug__in=zones
        ).values_list("zone__slug", "number", "status", "acres", "firm__name")
    }
    for row in plot_rows:
        if row.key[0] in zones:
            plots.setdefault(row.key, {}).update(
                {
                    name: row.values[name]
                    for name in ("status", "acres", "firm_id")
                    if name in row.values
                }
            )
    zones_with_plots = {slug for slug, _number in plots}
    held: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (slug, _number), plot in plots.items():
        if plot.get("status") == PlotStatus.ALLOTTED and plot.get("firm_id"):
            held[(slug, plot["firm_id"])] += plot["acres"]
    stored = {
        (slug, name): acres
        for slug, name, acres in Firm.objects.filter(zone__slug__in=zones_with_plots).values_list(
            "zone__slug", "name", "allotted_acres"
        )
    }
    errors = []
    for row in firm_rows:
        if row.key[0] not in zones_with_plots:
            continue  # no plots: the firm's own figure stands
        stated = (
            row.values["allotted_acres"] if "allotted_acres" in row.values else stored.get(row.key)
        )
        from_plots = held.get(row.key, Decimal(0))
        if abs((stated or Decimal(0)) - from_plots) > ALLOTTED_ACRES_TOLERANCE:
            errors.append(
                RowError(
                    "firms",
                    row.line,
                    "allotted_acres",
                    _(
                        "The firm's allotted plots add up to %(plots)s acres but this row says "
                        "%(row)s: where a zone records plots, they decide a firm's allotted acres."
                    )
                    % {"plots": from_plots, "row": stated if stated is not None else "—"},
                )
            )
    return errors
