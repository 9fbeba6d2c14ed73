"""The synthetic country's plots, the units' utility requests and 24 months of outages
(``generate_synthetic``): about 20 plots a zone, each allotted one carrying exactly its firm's
allotted acres, so that the plots are the zone's source of truth (DOMAIN.md, version 2)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import connection, models

from investors.models import Firm
from zones.models import OutageReport, Plot, UtilityRequest, Zone
from zones.vocabulary import LAND_HOLDING_FIRM_STATUSES, FirmStatus, hours_in_month

PLOTS_PER_ZONE = 20
MAX_ALLOTTED_PLOTS = 12
PROVIDERS = {
    "electricity": ("FESCO", "LESCO", "PESCO", "HESCO", "K-Electric", "QESCO"),
    "gas": ("SNGPL", "SSGC"),
    "water": ("WASA", "Zone developer"),
}
OUTAGE_MONTHS = 24


class SyntheticPlots:
    NAMES = ("plots", "utility_requests", "outages")

    def __init__(self, rng: random.Random, *, today: datetime.date):
        self.rng = rng
        self.today = today

    def rows(self, zones: list[Zone]) -> dict[str, tuple[type[models.Model], list[dict]]]:
        """Plots, requests and outages for ``zones`` (whose firms are stored): one query."""
        holding: dict[int, list[tuple]] = {zone.pk: [] for zone in zones}
        firms = (
            Firm.objects.filter(zone__in=zones, status__in=LAND_HOLDING_FIRM_STATUSES)
            .exclude(allotted_acres=None)
            .filter(allotted_acres__gt=0)
            .order_by("zone_id", "id")
            .values_list("zone_id", "id", "allotted_acres", "allotted_on", "status")
        )
        for zone_id, *firm in firms:
            holding[zone_id].append(tuple(firm))
        plots, requests, outages = [], [], []
        for zone in zones:
            allotted = holding[zone.pk][:MAX_ALLOTTED_PLOTS]
            plots.extend(self._plots(zone, allotted))
            requests.extend(self._requests(zone, allotted))
            outages.extend(self._outages(zone))
        return {
            "plots": (Plot, plots),
            "utility_requests": (UtilityRequest, requests),
            "outages": (OutageReport, outages),
        }

    def _plots(self, zone: Zone, allotted: list[tuple]):
        rng, today = self.rng, self.today
        label = zone._synthetic_label
        number = 0
        for firm_id, acres, allotted_on, status in allotted:
            number += 1
            allotted_on = allotted_on or today - datetime.timedelta(days=rng.randint(30, 2000))
            possession = construction = production = None
            if (
                status in (FirmStatus.UNDER_CONSTRUCTION, FirmStatus.OPERATING)
                or rng.random() < 0.3
            ):
                possession = min(today, allotted_on + datetime.timedelta(days=rng.randint(10, 120)))
            if status in (FirmStatus.UNDER_CONSTRUCTION, FirmStatus.OPERATING) and possession:
                construction = min(
                    today, possession + datetime.timedelta(days=rng.randint(10, 200))
                )
            if status == FirmStatus.OPERATING and construction:
                production = min(
                    today, construction + datetime.timedelta(days=rng.randint(90, 700))
                )
            yield self._plot(zone, label, number, acres, "allotted", firm_id=firm_id,
                             allotted_on=allotted_on, possession_on=possession,
                             construction_started_on=construction,
                             production_started_on=production)  # fmt: skip
        area = float(zone.area_acres or 500)
        for _ in range(max(0, PLOTS_PER_ZONE - len(allotted) + rng.randint(-3, 3))):
            number += 1
            acres = Decimal(f"{max(0.5, rng.lognormvariate(1.6, 0.9)) * area / 1000:.2f}")
            acres = max(acres, Decimal("0.50"))
            kind = rng.choices(("available", "cancelled", "amenity"), (75, 10, 15))[0]
            if kind == "amenity":
                yield self._plot(zone, label, number, acres, "available", land_use="amenity")
            else:
                yield self._plot(zone, label, number, acres, kind)

    def _plot(self, zone, label, number, acres, status, *, land_use=None, **values) -> dict:
        rng = self.rng
        tenure = "lease" if rng.random() < 0.6 else "sale"
        land_use = (
            land_use or rng.choices(("industrial", "commercial", "warehousing"), (80, 8, 12))[0]
        )
        return {
            "zone_id": zone.pk,
            "number": f"S{label}-{number:03d}",
            "acres": acres,
            "land_use": land_use,
            "tenure": tenure,
            "price_per_acre_pkr": None
            if rng.random() < 0.2
            else Decimal(rng.randint(30, 250) * 100_000),
            "lease_years": rng.choice((30, 33, 50, 99))
            if tenure == "lease" and land_use != "amenity"
            else None,
            "status": status,
            "is_illustrative": True,
            **values,
        }

    @staticmethod
    def align_firms(zones: list[Zone]) -> None:
        """Where a zone records plots, a firm's allotted acres is the sum of its allotted plots:
        the firms holding land beyond the plots drawn hold none (one statement; the firms'
        triggers carry it to the zones' allotments)."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE investors_firm AS firm SET allotted_acres = 0
                WHERE firm.zone_id = ANY(%s) AND firm.allotted_acres <> 0
                  AND NOT EXISTS (SELECT 1 FROM zones_plot AS plot
                                  WHERE plot.firm_id = firm.id AND plot.status = 'allotted')
                """,
                [[zone.pk for zone in zones]],
            )

    def _requests(self, zone: Zone, allotted: list[tuple]):
        rng, today = self.rng, self.today
        for index in range(rng.randint(0, 6) if allotted else 0):
            firm_id = allotted[index % len(allotted)][0]
            kind = rng.choices(("electricity", "gas", "water"), (60, 30, 10))[0]
            applied = today - datetime.timedelta(days=rng.randint(20, 1500))
            status = rng.choices(("connected", "waiting", "withdrawn"), (60, 30, 10))[0]
            connected = None
            if status == "connected":
                connected = applied + datetime.timedelta(days=rng.randint(7, 400))
                if connected > today:
                    status, connected = "waiting", None
            yield {
                "zone_id": zone.pk,
                "reference": f"R{zone._synthetic_label}-{index + 1:02d}",
                "firm_id": firm_id,
                "kind": kind,
                "provider": rng.choice(PROVIDERS[kind]),
                "applied_on": applied,
                "connected_on": connected,
                "status": status,
                "is_illustrative": True,
            }

    def _outages(self, zone: Zone):
        rng = self.rng
        month = self.today.replace(day=1)
        kinds = ["electricity"] + (["gas"] if rng.random() < 0.5 else [])
        tenants = rng.random() < 0.7
        base = rng.uniform(5, 120)
        for _ in range(OUTAGE_MONTHS):
            month = (month - datetime.timedelta(days=1)).replace(day=1)
            most = hours_in_month(month.year, month.month)
            for kind in kinds:
                hours = min(most, base * rng.uniform(0.3, 1.8))
                yield self._outage(zone, kind, month, "developer", hours)
                if tenants:
                    yield self._outage(
                        zone, kind, month, "tenant", min(most, hours * rng.uniform(1, 2.5))
                    )

    @staticmethod
    def _outage(zone, kind, month, reporter, hours) -> dict:
        return {
            "zone_id": zone.pk,
            "kind": kind,
            "month": month,
            "reported_by": reporter,
            "hours": Decimal(f"{hours:.1f}"),
            "is_illustrative": True,
        }
