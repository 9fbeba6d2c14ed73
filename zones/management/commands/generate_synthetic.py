"""A synthetic country for scale tests: N zones with realistic utilities, disputes, milestones
and firms, loaded with bulk inserts and PostgreSQL COPY (10,000 zones in a few minutes)."""

from __future__ import annotations

import csv
import datetime
import io
import random
import time
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from investors.models import AnnualReturn, Firm
from zones.models import (
    LandDispute,
    Milestone,
    OutageReport,
    Plot,
    Province,
    Sector,
    UtilityConnection,
    UtilityRequest,
    Zone,
)
from zones.vocabulary import UtilityKind

from ..synthetic_plots import SyntheticPlots
from ..synthetic_returns import SyntheticReturns

ZONES_PER_CHUNK = 250
PLOT_MODELS = (Plot, UtilityRequest, OutageReport)
PROVINCE_WEIGHTS = {
    "PK-PB": 34, "PK-SD": 24, "PK-KP": 18, "PK-BA": 10, "PK-GB": 4, "PK-JK": 5, "PK-IS": 5,
}  # fmt: skip
# Rough bounding boxes (latitude, longitude) per province, for plausible map positions.
PROVINCE_BOXES = {
    "PK-PB": ((28.5, 33.0), (70.0, 75.0)),
    "PK-SD": ((24.5, 28.5), (66.8, 71.0)),
    "PK-KP": ((31.5, 35.5), (70.0, 73.5)),
    "PK-BA": ((25.2, 31.0), (61.5, 69.5)),
    "PK-GB": ((35.0, 37.0), (72.5, 77.0)),
    "PK-JK": ((33.2, 35.0), (73.3, 74.6)),
    "PK-IS": ((33.55, 33.75), (72.9, 73.3)),
}
ZONE_STATUSES = {
    "proposed": 10, "approved": 15, "notified": 20, "under_development": 35,
    "operational": 15, "stalled": 5,
}  # fmt: skip
UTILITY_STATUSES = {
    "not_started": 15, "planned": 20, "under_construction": 25, "at_zero_point": 20,
    "connected": 20,
}  # fmt: skip
UTILITY_UNITS = {"electricity": ("MW", 5, 150), "gas": ("MMCFD", 1, 25), "water": ("MGD", 1, 12)}
DISPUTE_STATUSES = {"open": 30, "in_court": 20, "in_mediation": 10, "resolved": 30, "dismissed": 10}
MILESTONES = (
    ("approved", "Approved by the Board of Approval"),
    ("notified", "Notified"),
    ("development_agreement", "Development agreement signed"),
    ("land_acquired", "Land acquired"),
    ("master_plan", "Master plan approved"),
    ("boundary_wall", "Boundary wall built"),
    ("groundbreaking", "Groundbreaking"),
    ("internal_roads", "Internal roads built"),
    ("power_at_zero_point", "Power delivered to zero point"),
    ("gas_at_zero_point", "Gas delivered to zero point"),
    ("water_at_zero_point", "Water delivered to zero point"),
    ("grid_station", "Grid station energised"),
    ("one_window", "One-window facilitation office open"),
    ("first_plot_allotted", "First plot allotted"),
    ("first_firm_operating", "First firm operating"),
    ("effluent_treatment", "Effluent treatment plant commissioned"),
)
MILESTONE_STATUSES = {
    "not_started": 25,
    "in_progress": 25,
    "done": 35,
    "blocked": 10,
    "cancelled": 5,
}
FIRM_STATUSES = {
    "interested": 20, "allotted": 30, "under_construction": 20, "operating": 25, "withdrawn": 5,
}  # fmt: skip
OTHER_ORIGINS = ("AE", "TR", "SA", "KR", "DE", "GB", "US", "MY", "QA", "JP")
EXPORT_MARKETS = ("CN", "AE", "US", "GB", "DE", "AF", "SA", "IT", "NL", "ES")


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(tuple(weights), weights=tuple(weights.values()))[0]


def _money(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


class Command(BaseCommand):
    help = (
        "Generate a synthetic country for scale tests: N zones, each with 4-7 utilities, "
        "0-3 land disputes, 8-15 milestones and 20-200 firms, about 20 plots (one for each of "
        "up to 12 firms holding land, the rest offered, reserved, cancelled or amenity land), "
        "0-6 utility requests and 24 months of outage reports, all marked synthetic. "
        "Refuses to run on a database that holds real zones unless --allow-real-zones."
    )

    def add_arguments(self, parser):
        parser.add_argument("--zones", type=int, required=True, help="how many zones")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--allow-real-zones",
            action="store_true",
            help="run even though the database holds real (non-synthetic) zones",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete the synthetic zones already in the database first",
        )

    def handle(self, *args, zones, seed, allow_real_zones, replace, verbosity=1, **options):
        self._verbosity = verbosity
        if zones < 1:
            raise CommandError("--zones must be at least 1.")
        real = Zone.objects.filter(is_synthetic=False).count()
        if real and not allow_real_zones:
            raise CommandError(
                f"This database holds {real} real (non-synthetic) zone(s); refusing to add "
                "synthetic data next to them. Use a scratch database, or pass "
                "--allow-real-zones if you really mean it."
            )
        existing = Zone.objects.filter(is_synthetic=True).count()
        if existing and not replace:
            raise CommandError(
                f"This database already holds {existing} synthetic zone(s); pass --replace to "
                "delete them first."
            )
        if not Province.objects.exists():
            raise CommandError("No provinces: run migrate first.")

        started = time.monotonic()
        with transaction.atomic():
            if existing:
                _delete_synthetic_zones()
            counts = SyntheticCountry(seed=seed).load(zones, progress=self._progress)
        with connection.cursor() as cursor:
            for model in (
                Zone, Zone.sectors.through, UtilityConnection, LandDispute, Milestone, Firm,
                *PLOT_MODELS, AnnualReturn,
            ):  # fmt: skip
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Generated {summary} in {elapsed:.1f} s."))
        self.stdout.write("Score them with: manage.py recompute_readiness --sync")

    def _progress(self, done: int, total: int) -> None:
        if self._verbosity >= 2:
            self.stderr.write(f"  {done:,} / {total:,} zones")


class SyntheticCountry:
    """Deterministic for a given seed: the same seed gives the same country."""

    def __init__(self, *, seed: int):
        self.rng = random.Random(seed)
        self.seed = seed
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.sectors = list(Sector.objects.values_list("slug", flat=True))
        stored = set(Province.objects.values_list("code", flat=True))
        self.provinces = [code for code in PROVINCE_WEIGHTS if code in stored]

    def load(self, total: int, progress=None) -> dict[str, int]:
        counts = dict.fromkeys(
            (
                "zones", "utilities", "disputes", "milestones", "firms", *SyntheticPlots.NAMES,
                *SyntheticReturns.NAMES,
            ),
            0,
        )  # fmt: skip
        plots = SyntheticPlots(self.rng, today=self.today)
        returns = SyntheticReturns(self.rng, today=self.today)
        for start in range(0, total, ZONES_PER_CHUNK):
            size = min(ZONES_PER_CHUNK, total - start)
            zones = Zone.objects.bulk_create([self.zone(start + i) for i in range(size)])
            self._sectors(zones)
            rows = {"utilities": [], "disputes": [], "milestones": [], "firms": []}
            for zone in zones:
                rows["utilities"].extend(self.utilities(zone))
                rows["disputes"].extend(self.disputes(zone))
                rows["milestones"].extend(self.milestones(zone))
                rows["firms"].extend(self.firms(zone))
            copy_rows(UtilityConnection, rows["utilities"], now=self.now)
            copy_rows(LandDispute, rows["disputes"], now=self.now)
            copy_rows(Milestone, rows["milestones"], now=self.now)
            copy_rows(Firm, rows["firms"], now=self.now)
            counts["zones"] += len(zones)
            for name, items in rows.items():
                counts[name] += len(items)
            for name, (model, items) in plots.rows(zones).items():
                copy_rows(model, items, now=self.now)
                counts[name] += len(items)
            plots.align_firms(zones)
            # The returns' own triggers give each firm its latest return's figures (its own).
            for name, (model, items) in returns.rows(zones).items():
                copy_rows(model, items, now=self.now)
                counts[name] += len(items)
            if progress:
                progress(start + size, total)
        return counts

    def zone(self, number: int) -> Zone:
        rng = self.rng
        province = rng.choices(
            self.provinces, weights=[PROVINCE_WEIGHTS[p] for p in self.provinces]
        )[0]
        (lat_lo, lat_hi), (lon_lo, lon_hi) = PROVINCE_BOXES[province]
        area = None if rng.random() < 0.02 else _money(min(20000, rng.lognormvariate(6.8, 0.8)))
        label = f"{number + 1:05d}"
        zone = Zone(
            name=f"Synthetic Zone {label}",
            slug=f"synthetic-{self.seed}-{label}",
            province_id=province,
            district=f"District {rng.randint(1, 40)}",
            latitude=Decimal(f"{rng.uniform(lat_lo, lat_hi):.6f}"),
            longitude=Decimal(f"{rng.uniform(lon_lo, lon_hi):.6f}"),
            area_acres=area,
            developer=f"Synthetic Developer {rng.randint(1, 300)}",
            status=_pick(rng, ZONE_STATUSES),
            cpec_priority=rng.random() < 0.05,
            description="Generated for scale tests.",
            is_synthetic=True,
            is_illustrative=True,
        )
        zone._synthetic_label = label
        zone._synthetic_sectors = rng.sample(
            self.sectors, k=min(len(self.sectors), rng.randint(1, 4))
        )
        return zone

    def _sectors(self, zones: list[Zone]) -> None:
        through = Zone.sectors.through
        through.objects.bulk_create(
            [
                through(zone_id=zone.pk, sector_id=slug)
                for zone in zones
                for slug in zone._synthetic_sectors
            ]
        )

    def utilities(self, zone: Zone) -> Iterator[dict]:
        rng = self.rng
        for kind in rng.sample(list(UtilityKind.values), k=rng.randint(4, 7)):
            row = {"zone_id": zone.pk, "kind": kind, "status": _pick(rng, UTILITY_STATUSES)}
            if kind in UTILITY_UNITS and rng.random() < 0.8:
                unit, low, high = UTILITY_UNITS[kind]
                required = rng.uniform(low, high)
                row.update(
                    unit=unit,
                    required_capacity=_money(required),
                    available_capacity=_money(required * rng.uniform(0, 1.2)),
                )
            yield row

    def disputes(self, zone: Zone) -> Iterator[dict]:
        rng = self.rng
        area = float(zone.area_acres or 500)
        for number in range(rng.randint(0, 3)):
            status = _pick(rng, DISPUTE_STATUSES)
            opened = self.today - datetime.timedelta(days=rng.randint(60, 3000))
            resolved = None
            if status in ("resolved", "dismissed"):
                resolved = opened + datetime.timedelta(days=rng.randint(30, 900))
                resolved = min(resolved, self.today)
            yield {
                "zone_id": zone.pk,
                "reference": f"SYN-{zone._synthetic_label}-{number + 1}",
                "affected_acres": None
                if rng.random() < 0.05
                else _money(area * rng.uniform(0.005, 0.15)),
                "forum": rng.choice(("Civil court", "High Court", "Revenue board", "Mediation")),
                "status": status,
                "opened_on": opened,
                "resolved_on": resolved,
                "description": "Synthetic land dispute.",
            }

    def milestones(self, zone: Zone) -> Iterator[dict]:
        rng = self.rng
        count = rng.randint(8, 15)
        start = self.today - datetime.timedelta(days=rng.randint(365, 3650))
        for index, (code, title) in enumerate(MILESTONES[:count]):
            baseline = start + datetime.timedelta(days=120 * index)
            planned = baseline + datetime.timedelta(days=max(0, int(rng.gauss(120, 200))))
            status = _pick(rng, MILESTONE_STATUSES)
            yield {
                "zone_id": zone.pk,
                "code": code,
                "title": title,
                "weight": Decimal(rng.choice(("1", "1", "1", "2", "3"))),
                "responsible": rng.choice(("federal", "provincial", "developer")),
                "status": status,
                "baseline_date": baseline,
                "planned_date": planned,
                "actual_date": min(planned, self.today) if status == "done" else None,
                "is_illustrative": True,
            }

    def firms(self, zone: Zone) -> Iterator[dict]:
        rng = self.rng
        count = rng.randint(20, 200)
        area = float(zone.area_acres or 500)
        # Active firms together hold between a tenth of the zone and a little more than all.
        mean_acres = area * rng.uniform(0.1, 1.1) / (count * 0.75)
        sectors = zone._synthetic_sectors
        for number in range(count):
            origin = rng.choices(("PK", "CN", "other"), weights=(50, 35, 15))[0]
            origin = rng.choice(OTHER_ORIGINS) if origin == "other" else origin
            if rng.random() < 0.1:
                ownership = "joint_venture"
            else:
                ownership = "domestic" if origin == "PK" else "foreign"
            status = _pick(rng, FIRM_STATUSES)
            holds_land = status != "interested"
            operating = status == "operating"
            jobs = rng.randint(20, 2000)
            yield {
                "zone_id": zone.pk,
                "name": f"Synthetic Firm {zone._synthetic_label}-{number + 1:03d}",
                "sector_id": rng.choice(sectors) if sectors else None,
                "origin_country": origin,
                "ownership": ownership,
                "status": status,
                "allotted_acres": _money(rng.uniform(0.3, 1.7) * mean_acres)
                if holds_land
                else None,
                "allotted_on": (
                    self.today - datetime.timedelta(days=rng.randint(30, 2500))
                    if holds_land
                    else None
                ),
                "investment_usd": _money(rng.uniform(0.5, 80) * 1e6),
                "jobs_planned": jobs,
                "jobs_actual": int(jobs * rng.uniform(0.2, 1.1)) if operating else None,
                "exports_usd": _money(rng.uniform(0, 30) * 1e6) if operating else None,
                "export_markets": rng.sample(EXPORT_MARKETS, k=rng.randint(0, 3))
                if operating
                else [],
                "is_illustrative": True,
            }


def copy_rows(model: type[models.Model], rows: Iterable[dict], *, now: datetime.datetime) -> None:
    """Insert ``rows`` into ``model``'s table with one COPY; absent fields take their default."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    defaults = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults.append(now)
        elif field.has_default():
            defaults.append(field.get_default())
        else:
            defaults.append(None if field.null else "")
    names = [field.attname for field in fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow(
            [
                _copy_text(row.get(name, default))
                for name, default in zip(names, defaults, strict=True)
            ]
        )
    buffer.seek(0)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN "
            "WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, list | tuple):
        return "{" + ",".join(value) + "}"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def _delete_synthetic_zones() -> None:
    """Delete synthetic zones and every row that points at them, table by table, in SQL.

    (The ORM would load each of a million firms to send its signals.)
    """
    quote = connection.ops.quote_name
    zones = (
        f"SELECT {quote(Zone._meta.pk.column)} FROM {quote(Zone._meta.db_table)} "  # noqa: S608
        "WHERE is_synthetic"
    )
    statements = []
    # Hidden relations too (``related_name="+"``: the aggregate tables), not views.
    relations = [
        f for f in Zone._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete
    ]
    for relation in relations:
        if not relation.related_model._meta.managed:
            continue
        if relation.many_to_many:
            through = relation.through._meta
            column = next(
                f.column for f in through.fields if f.is_relation and f.related_model is Zone
            )
            statements.append((through.db_table, column))
        else:
            statements.append((relation.related_model._meta.db_table, relation.field.column))
    for field in Zone._meta.many_to_many:
        through = field.remote_field.through._meta
        statements.append((through.db_table, field.m2m_column_name()))
    with connection.cursor() as cursor:
        for table, column in statements:
            cursor.execute(f"DELETE FROM {quote(table)} WHERE {quote(column)} IN ({zones})")  # noqa: S608
        cursor.execute(f"DELETE FROM {quote(Zone._meta.db_table)} WHERE is_synthetic")  # noqa: S608
