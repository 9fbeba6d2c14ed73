"""The dashboards' plot charts read the aggregate tables; for random plots, utility requests
and outage reports over a few zones (real and illustrative), every figure they read equals
the same figure worked out here from the records, with and without illustrative records, for
every zone and for the zones a finder filter keeps, after edits as after the first write."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aggregates.services import aggregates_rebuild, aggregates_refresh
from dashboards import plot_selectors
from dashboards.data import IdlePlots, PlotAllocation, ProviderClock, ZoneOutages
from dashboards.selectors import Whole
from tests.aggregates.figures import assert_rollups_hold_their_zone_rows
from tests.factories import (
    FirmFactory,
    OutageFactory,
    PlotFactory,
    UtilityRequestFactory,
    ZoneFactory,
)
from zones import plot_rules
from zones.models import OutageReport, Plot, Province, UtilityRequest, Zone
from zones.vocabulary import (
    FIRM_HOLDING_PLOT_STATUSES,
    LandUse,
    PlotStatus,
    Reporter,
    RequestKind,
    RequestStatus,
)

pytestmark = pytest.mark.django_db

#: The zones of each example: three in Punjab (the filtered subset), one in Sindh. Zone 1 is
#: illustrative and zone 3 unpublished, which the province rollups keep apart.
PROVINCES = ("PK-PB", "PK-PB", "PK-SD", "PK-PB")
#: Small limits, so that the ranking of zones and of providers is exercised.
LIMIT = 2

zone_index = st.integers(0, len(PROVINCES) - 1)
plots = st.lists(
    st.fixed_dictionaries(
        {
            "zone": zone_index,
            "status": st.sampled_from(PlotStatus.values),
            "amenity": st.booleans(),
            "acres": st.integers(1, 80).map(lambda n: Decimal(n) / 2),
            "illustrative": st.booleans(),
            # Days before today of the allotment (None: no date), then to the construction
            # and production starts (None: not started).
            "allotted": st.none() | st.integers(0, 1500),
            "built": st.none() | st.integers(0, 400),
            "producing": st.none() | st.integers(0, 400),
        }
    ),
    max_size=14,
)
requests = st.lists(
    st.fixed_dictionaries(
        {
            "zone": zone_index,
            "kind": st.sampled_from(RequestKind.values),
            "provider": st.sampled_from(("LESCO", "SSGC", "")),
            "status": st.sampled_from(RequestStatus.values),
            "applied": st.integers(1, 900),
            "took": st.integers(0, 400),
            "illustrative": st.booleans(),
        }
    ),
    max_size=12,
)
outages = st.dictionaries(
    st.tuples(
        zone_index,
        st.sampled_from(RequestKind.values),
        st.integers(0, 14),  # months before the current one
        st.sampled_from(Reporter.values),
    ),
    st.tuples(st.floats(0, 1), st.booleans()),
    max_size=12,
)


def month_before(today: datetime.date, months: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def create(plot_data, request_data, outage_data, today) -> list[Zone]:
    zones = [
        ZoneFactory(name=f"Zone {i}", province__code=code, is_illustrative=i == 1, published=i != 3)
        for i, code in enumerate(PROVINCES)
    ]
    firms = [FirmFactory(zone=zone) for zone in zones]
    for number, data in enumerate(plot_data):
        held = data["status"] in FIRM_HOLDING_PLOT_STATUSES
        amenity = data["amenity"] and not held
        dates = {}
        if data["status"] == PlotStatus.ALLOTTED and data["allotted"] is not None:
            allotted_on = today - datetime.timedelta(days=data["allotted"])
            dates["allotted_on"] = allotted_on
            if data["built"] is not None:
                dates["construction_started_on"] = allotted_on + datetime.timedelta(
                    days=data["built"]
                )
            if data["producing"] is not None:
                start = dates.get("construction_started_on", allotted_on)
                dates["production_started_on"] = start + datetime.timedelta(days=data["producing"])
        PlotFactory(
            zone=zones[data["zone"]],
            number=f"N{number}",
            status=data["status"],
            land_use=LandUse.AMENITY if amenity else LandUse.INDUSTRIAL,
            lease_years=None if amenity else 99,
            acres=data["acres"],
            firm=firms[data["zone"]] if held else None,
            is_illustrative=data["illustrative"],
            **dates,
        )
    for number, data in enumerate(request_data):
        applied_on = today - datetime.timedelta(days=data["applied"])
        connected = data["status"] == RequestStatus.CONNECTED
        UtilityRequestFactory(
            zone=zones[data["zone"]],
            firm=firms[data["zone"]],
            reference=f"R{number}",
            kind=data["kind"],
            provider=data["provider"],
            status=data["status"],
            applied_on=applied_on,
            connected_on=applied_on + datetime.timedelta(days=data["took"]) if connected else None,
            is_illustrative=data["illustrative"],
        )
    for (zone, kind, months, reporter), (share, illustrative) in outage_data.items():
        month = month_before(today, months)
        most = plot_rules.hours_in_month(month.year, month.month)
        OutageFactory(
            zone=zones[zone],
            kind=kind,
            month=month,
            reported_by=reporter,
            hours=Decimal(f"{share * most:.1f}"),
            is_illustrative=illustrative,
        )
    return zones


# --- the oracle: each figure from the records --------------------------------------------


def allocation(zones, provinces, plot_records, today) -> list[PlotAllocation]:
    result = []
    for province in provinces:
        records = [p for p in plot_records if p.zone.province_id == province.code]
        if not records:
            continue
        rules = [plot_record(p) for p in records]
        figures = plot_rules.plot_indicators(rules, today)
        held = sum((p.acres for p in records if p.status in FIRM_HOLDING_PLOT_STATUSES), Decimal(0))
        result.append(
            PlotAllocation(
                province.code,
                str(province),
                len(records),
                float(figures.saleable_acres),
                float(held - figures.allotted_acres),
                float(figures.allotted_acres),
                float(figures.available_acres),
                None if figures.allocation_rate is None else float(figures.allocation_rate),
            )
        )
    return result


def plot_record(plot: Plot) -> plot_rules.PlotRecord:
    return plot_rules.PlotRecord(
        plot.acres,
        plot.land_use,
        plot.status,
        plot.allotted_on,
        plot.construction_started_on,
        plot.production_started_on,
    )


def idle_of(key, label, records, today) -> IdlePlots:
    idle = [p for p in records if plot_rules.is_idle(plot_record(p), today)]
    ages = [plot_rules.age_days(p.allotted_on, today) for p in idle]
    bands = [0] * len(plot_rules.IDLE_AGE_BANDS)
    for age in ages:
        bands[plot_rules.idle_age_band(age)] += 1
    median = plot_rules.median(ages)
    return IdlePlots(
        key,
        label,
        sum(1 for p in records if p.status == PlotStatus.ALLOTTED),
        len(idle),
        float(sum((p.acres for p in idle), Decimal(0))),
        tuple(bands),
        None if median is None else float(median),
        max(ages, default=None),
    )


def idle_by_province(provinces, plot_records, today) -> list[IdlePlots]:
    result = []
    for province in provinces:
        records = [p for p in plot_records if p.zone.province_id == province.code]
        if any(p.status == PlotStatus.ALLOTTED for p in records):
            result.append(idle_of(province.code, str(province), records, today))
    return result


def idle_by_zone(zones, plot_records, today) -> list[IdlePlots]:
    rows = [
        idle_of(zone.slug, zone.name, [p for p in plot_records if p.zone_id == zone.pk], today)
        for zone in sorted(zones, key=lambda z: (z.name, z.pk))
    ]
    ranked = sorted((row for row in rows if row.idle), key=lambda row: -row.idle)
    return ranked[:LIMIT]


def clock(request_records, today) -> list[ProviderClock]:
    pairs = defaultdict(list)
    for request in request_records:
        pairs[(request.kind, request.provider)].append(request)
    rows = []
    for (kind, provider), records in sorted(pairs.items()):
        connected = [r for r in records if r.status == RequestStatus.CONNECTED]
        waiting = [r for r in records if r.status == RequestStatus.WAITING]
        if not (connected or waiting):
            continue
        median = plot_rules.median((r.connected_on - r.applied_on).days for r in connected)
        earliest = min((r.applied_on for r in waiting), default=None)
        rows.append(
            ProviderClock(
                kind,
                str(RequestKind(kind).label),
                provider,
                len(connected),
                None if median is None else float(median),
                len(waiting),
                None if earliest is None else (today - earliest).days,
            )
        )
    kept = sorted(rows, key=lambda r: -(r.connected + r.waiting))[:LIMIT]
    kinds = list(RequestKind.values)
    return sorted(
        (r for r in rows if r in kept), key=lambda r: (kinds.index(r.kind), r.provider.casefold())
    )


def outage_lines(zones, outage_records, today) -> list[ZoneOutages]:
    by_zone = {}
    for zone in zones:
        reports = [
            plot_rules.OutageRecord(r.kind, r.month, r.reported_by, r.hours)
            for r in outage_records
            if r.zone_id == zone.pk
        ]
        if reports:
            by_zone[zone] = plot_rules.outages(reports, today)
    hours = {
        zone: sum(f.hours_12m for by_reporter in figures.values() for f in by_reporter.values())
        for zone, figures in by_zone.items()
    }
    worst = sorted((z for z in by_zone if hours[z] > 0), key=lambda z: (-hours[z], z.pk))[:LIMIT]
    lines = []
    for zone in worst:
        for kind, by_reporter in by_zone[zone].items():
            developer = by_reporter.get(Reporter.DEVELOPER)
            tenant = by_reporter.get(Reporter.TENANT)
            lines.append(
                ZoneOutages(
                    zone.slug,
                    zone.name,
                    kind,
                    str(RequestKind(kind).label),
                    *figures_of(developer),
                    *figures_of(tenant),
                )
            )
    totals = defaultdict(float)
    for line in lines:
        totals[line.zone_slug] += line.total
    kinds = list(RequestKind.values)
    return sorted(
        lines, key=lambda r: (-totals[r.zone_slug], r.zone_name, r.zone_slug, kinds.index(r.kind))
    )


def figures_of(figures: plot_rules.OutageFigures | None) -> tuple[float | None, float | None]:
    if figures is None:
        return None, None
    share = figures.share_12m
    return float(figures.hours_12m), None if share is None else float(share)


def assert_every_figure_matches_the_records(today: datetime.date) -> None:
    provinces = list(Province.objects.order_by("code"))
    published = Zone.objects.filter(published=True)
    for include in (False, True):
        shown_by_public = published if include else published.filter(is_illustrative=False)
        for zones, whole in (
            (Zone.objects.all(), None),
            (Zone.objects.filter(province__code="PK-PB"), None),
            # The public's unfiltered pages: the province rollups of the published zones.
            (shown_by_public, Whole()),
            (shown_by_public.filter(province__code="PK-PB"), Whole("PK-PB")),
        ):
            shown = list(zones.select_related("province"))
            counted = {"zone__in": shown} | ({} if include else {"is_illustrative": False})
            plot_records = list(Plot.objects.filter(**counted).select_related("zone"))
            request_records = list(UtilityRequest.objects.filter(**counted))
            outage_records = list(OutageReport.objects.filter(**counted))
            read = {"include_illustrative": include, "whole": whole}

            assert plot_selectors.allocation_by_province(zones, provinces, **read) == allocation(
                shown, provinces, plot_records, today
            )
            assert plot_selectors.idle_plots(
                zones, by="province", provinces=provinces, today=today, **read
            ) == idle_by_province(provinces, plot_records, today)
            assert plot_selectors.idle_plots(
                zones, by="zone", today=today, limit=LIMIT, **read
            ) == idle_by_zone(shown, plot_records, today)
            assert plot_selectors.clock_by_provider(
                zones, today=today, limit=LIMIT, **read
            ) == clock(request_records, today)
            assert plot_selectors.outages_by_zone(zones, limit=LIMIT, **read) == outage_lines(
                shown, outage_records, today
            )


@given(plot_data=plots, request_data=requests, outage_data=outages, edit=st.integers(0, 100))
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_plot_figure_read_from_the_aggregates_equals_the_records(
    plot_data, request_data, outage_data, edit
):
    today = timezone.localdate()
    with transaction.atomic():
        zones = create(plot_data, request_data, outage_data, today)
        aggregates_refresh()  # the worker's catch-up
        assert_every_figure_matches_the_records(today)

        # Edits: a plot and an outage report move zone, a request is withdrawn, a plot goes.
        target = zones[edit % len(zones)]
        plot = Plot.objects.filter(firm=None).order_by("pk").first()
        if plot is not None:
            plot.zone = target
            plot.save()
        report = OutageReport.objects.order_by("pk").first()
        if (
            report is not None
            and not OutageReport.objects.filter(
                zone=target, kind=report.kind, month=report.month, reported_by=report.reported_by
            ).exists()
        ):
            report.zone = target
            report.save()
        request = UtilityRequest.objects.order_by("-pk").first()
        if request is not None:
            request.status, request.connected_on = RequestStatus.WITHDRAWN, None
            request.save()
        plot = Plot.objects.order_by("-pk").first()
        if plot is not None:
            plot.delete()
        aggregates_refresh()
        assert_every_figure_matches_the_records(today)
        assert_rollups_hold_their_zone_rows()

        rebuilt = aggregates_rebuild()
        assert rebuilt.drift_zones == 0 and not any(rebuilt.drift.values())
        transaction.set_rollback(True)


def test_plots_and_requests_that_have_gone_leave_the_public_pages_figures():
    """The province rollups keep a row at 0 when its last record goes: a day of allotment no
    idle plot has any more is neither the oldest age nor part of the median, and a number of
    days to connect no request took any more is not in the median."""
    today = timezone.localdate()
    days = datetime.timedelta(days=1)
    with transaction.atomic():
        first = ZoneFactory(province__code="PK-PB")
        second = ZoneFactory(province=first.province)
        firm = FirmFactory(zone=first)

        def allotted(zone, number, age):
            return PlotFactory(
                zone=zone,
                number=number,
                status=PlotStatus.ALLOTTED,
                land_use=LandUse.INDUSTRIAL,
                lease_years=99,
                acres=Decimal(10),
                firm=firm if zone == first else FirmFactory(zone=zone),
                allotted_on=today - age * days,
            )

        def request(reference, provider, took=None):
            return UtilityRequestFactory(
                zone=first,
                firm=firm,
                reference=reference,
                kind=RequestKind.ELECTRICITY,
                provider=provider,
                status=RequestStatus.WAITING if took is None else RequestStatus.CONNECTED,
                applied_on=today - 100 * days,
                connected_on=None if took is None else today - (100 - took) * days,
            )

        oldest = allotted(first, "A", 900)
        allotted(second, "B", 500)
        fastest = request("R1", "LESCO", took=10)
        request("R2", "LESCO", took=60)
        only = request("R3", "FESCO", took=20)
        request("R4", "FESCO")
        aggregates_refresh()
        oldest.delete()
        fastest.delete()
        only.delete()
        aggregates_refresh()

        read = {"whole": Whole(), "today": today}
        provinces = [first.province]
        (idle,) = plot_selectors.idle_plots(
            Zone.objects.all(), by="province", provinces=provinces, **read
        )
        assert (idle.allotted, idle.idle, idle.median_age_days, idle.oldest_age_days) == (
            1,
            1,
            500,
            500,
        )
        clock = plot_selectors.clock_by_provider(Zone.objects.all(), **read)
        assert [(c.provider, c.connected, c.median_days_to_connect, c.waiting) for c in clock] == [
            ("FESCO", 0, None, 1),
            ("LESCO", 1, 60, 0),
        ]
        transaction.set_rollback(True)
