"""The synthetic country's annual returns (``generate_synthetic``): every operating firm files
a return for each of the last five whole years since it was allotted its land, its workforce
and trade growing towards its current figures, which its latest return carries (a firm's
current jobs, exports and markets are its latest return's: DOMAIN.md, version 3)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from investors.models import AnnualReturn, Firm
from investors.return_rules import overdue_year
from zones.models import Zone
from zones.vocabulary import FirmStatus

YEARS = 5
#: Markets a firm may add before reaching its current ones.
EARLIER_MARKETS = ("CN", "AE", "AF", "SA", "GB")


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


class SyntheticReturns:
    NAMES = ("returns",)

    def __init__(self, rng: random.Random, *, today: datetime.date):
        self.rng = rng
        self.last = overdue_year(today.year)  # the last whole year

    def rows(self, zones: list[Zone]) -> dict[str, tuple[type[AnnualReturn], list[dict]]]:
        """The returns of the operating firms of ``zones`` (stored already): one query."""
        firms = (
            Firm.objects.filter(zone__in=zones, status=FirmStatus.OPERATING)
            .order_by("zone_id", "id")
            .values_list("zone_id", "id", "allotted_on", "jobs_actual", "exports_usd",
                         "export_markets")
        )  # fmt: skip
        returns: list[dict] = []
        for zone_id, firm_id, allotted_on, jobs, exports, markets in firms:
            returns.extend(self._returns(zone_id, firm_id, allotted_on, jobs, exports, markets))
        return {"returns": (AnnualReturn, returns)}

    def _returns(self, zone_id, firm_id, allotted_on, jobs, exports, markets):
        rng = self.rng
        first = max(self.last - YEARS + 1, allotted_on.year if allotted_on else 0)
        years = list(range(first, self.last + 1))
        jobs = jobs or rng.randint(20, 400)
        local = rng.uniform(0.55, 0.98)
        women = rng.uniform(0.02, 0.45)
        import_ratio = rng.uniform(0.2, 1.4)
        for age, year in enumerate(reversed(years)):  # the latest first
            scale = (1 - 0.12 * age) * rng.uniform(0.95, 1.05) if age else 1
            employees = jobs if age == 0 else max(1, int(jobs * scale))
            if age == 0 or exports is None:
                year_exports = exports
            else:
                year_exports = _money(float(exports) * scale)
            year_markets = (
                list(markets)
                if age == 0
                else [m for m in markets if rng.random() < 1 - 0.2 * age]
                or rng.sample(EARLIER_MARKETS, k=rng.randint(0, 1))
            )
            gives_split = rng.random() < 0.85
            yield {
                "zone_id": zone_id,
                "firm_id": firm_id,
                "year": year,
                "employees": employees,
                "employees_local": int(employees * local) if gives_split else None,
                "employees_women": int(employees * women) if gives_split else None,
                "employees_trained": int(employees * rng.uniform(0, 0.2)),
                "exports_usd": year_exports,
                "export_markets": year_markets,
                "domestic_sales_usd": _money(rng.uniform(0.1, 20) * 1e6),
                "imports_usd": None
                if year_exports is None
                else _money(float(year_exports) * import_ratio),
                "local_inputs_share": Decimal(str(round(rng.uniform(0.1, 0.9), 4))),
                "investment_to_date_usd": _money(rng.uniform(0.5, 80) * 1e6),
                "is_illustrative": True,
            }
