"""The dashboards' figures computed here, in Python, from the records themselves: the
reference the aggregate tables are checked against (``check``)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import connection

from aggregates.tallies import TALLIES
from dashboards import selectors
from investors.models import Firm
from zones.models import LandDispute, Milestone, Province, UtilityConnection, Zone
from zones.vocabulary import (
    CLOSED_MILESTONE_STATUSES,
    CORE_UTILITY_KINDS,
    IDLE_AFTER_DAYS,
    LAND_HOLDING_FIRM_STATUSES,
    OPEN_DISPUTE_STATUSES,
    FirmStatus,
    MilestoneStatus,
    ResponsibleLevel,
    UtilityStatus,
    origin_group,
)


def expected_firms(records: list[Firm], today: datetime.date) -> dict:
    holding = [f for f in records if f.status in LAND_HOLDING_FIRM_STATUSES]
    groups: dict[tuple[str, str], int] = defaultdict(int)
    for firm in records:
        groups[(origin_group(firm.ownership, firm.origin_country).value, firm.status)] += 1

    def total(field):
        known = [getattr(f, field) for f in holding if getattr(f, field) is not None]
        return (float(sum(known)) if known else None), len(known)

    idle_before = today - datetime.timedelta(days=IDLE_AFTER_DAYS)
    return {
        "groups": dict(groups),
        "operating": sum(f.status == FirmStatus.OPERATING for f in records),
        "holding_land": len(holding),
        "idle": sum(
            f.status == FirmStatus.ALLOTTED
            and f.allotted_on is not None
            and f.allotted_on < idle_before
            for f in records
        ),
        "jobs": total("jobs_actual"),
        "exports": total("exports_usd"),
        "investment": total("investment_usd"),
    }


def shown_firms(summary) -> dict:
    jobs = None if summary.jobs_actual is None else float(summary.jobs_actual)
    return {
        "groups": {(g.origin_group, g.status): g.count for g in summary.groups if g.count},
        "operating": summary.operating,
        "holding_land": summary.holding_land,
        "idle": summary.idle,
        "jobs": (jobs, summary.jobs_reported),
        "exports": (summary.exports_usd, summary.exports_reported),
        "investment": (summary.investment_usd, summary.investment_reported),
    }


def expected_overdue(records: list[Milestone], today: datetime.date) -> dict:
    open_ = [m for m in records if m.status not in CLOSED_MILESTONE_STATUSES]
    by_level = dict.fromkeys(ResponsibleLevel.values, 0)
    for m in open_:
        if m.planned_date is not None and m.planned_date < today:
            by_level[m.responsible] += 1
    return {
        "by_level": by_level,
        "open": len(open_),
        "dated": sum(m.planned_date is not None for m in open_),
    }


def expected_slippage(records: list[Milestone], limit: int, today: datetime.date) -> list[tuple]:
    bars: dict[tuple, list] = {}
    for m in records:
        ends = m.actual_date or m.planned_date
        if m.status == MilestoneStatus.CANCELLED or m.baseline_date is None or ends is None:
            continue
        key = (m.zone.slug, m.responsible, "actual" if m.actual_date else "plan")
        slip = (ends - m.baseline_date).days
        overdue = m.status not in CLOSED_MILESTONE_STATUSES and (
            m.planned_date is not None and m.planned_date < today
        )
        days, n, late = bars.get(key, (-(10**9), 0, 0))
        bars[key] = [max(days, slip), n + 1, late + overdue]
    worst: dict[str, tuple[int, int]] = {}
    for (slug, *_), (days, *_) in bars.items():
        zone_id = Zone.objects.get(slug=slug).pk
        worst[slug] = (max(worst.get(slug, (-(10**9), 0))[0], days), zone_id)
    kept = sorted(worst, key=lambda s: (-worst[s][0], worst[s][1]))[:limit]
    return sorted((*k, *v) for k, v in bars.items() if k[0] in kept)


def expected_utilities(records: list[UtilityConnection], zone_count: int) -> dict:
    counts = {k: dict.fromkeys(UtilityStatus.values, 0) for k in CORE_UTILITY_KINDS}
    for u in records:
        if u.kind in counts:
            counts[u.kind][u.status] += 1
    return {k: (c, zone_count - sum(c.values())) for k, c in counts.items()}


def expected_disputes(records: list[LandDispute]) -> dict:
    rows: dict[str, list] = {}
    for d in records:
        if d.status not in OPEN_DISPUTE_STATUSES:
            continue
        n, acres, unknown = rows.get(d.zone.province_id, (0, None, 0))
        if d.affected_acres is not None:
            acres = (acres or 0) + float(d.affected_acres)
        rows[d.zone.province_id] = [n + 1, acres, unknown + (d.affected_acres is None)]
    return {code: tuple(row) for code, row in rows.items()}


def check(zones, include: bool, today: datetime.date, whole=None) -> None:
    """Every figure the selectors read from the tallies, against the records (the day's
    figures as of ``today``, the day the tallies were counted for); with ``whole`` (a
    ``dashboards.selectors.Whole``), from the province rollups, ``zones`` being the
    published ones it stands for."""
    real = {} if include else {"is_illustrative": False}
    ids = list(zones.values_list("pk", flat=True))

    def records(model):
        return list(model.objects.filter(zone_id__in=ids, **real).select_related("zone"))

    counted = {"include_illustrative": include}
    rolled = {**counted, "whole": whole}
    assert shown_firms(selectors.firm_summary(zones, **rolled)) == expected_firms(
        records(Firm), today
    )

    overdue = selectors.overdue_milestones(zones, **rolled)
    assert {"by_level": overdue.by_level, "open": overdue.open, "dated": overdue.dated} == (
        expected_overdue(records(Milestone), today)
    )
    assert overdue.total == sum(overdue.by_level.values())

    bars = selectors.milestone_slippage(zones, limit=2, **rolled)
    assert sorted(
        (b.zone_slug, b.responsible, b.measure, b.days, b.milestones, b.overdue) for b in bars
    ) == expected_slippage(records(Milestone), limit=2, today=today)

    counts = selectors.utility_counts(zones, zone_count=len(ids), **rolled)
    assert {c.kind: (c.by_status, c.no_record) for c in counts} == expected_utilities(
        records(UtilityConnection), len(ids)
    )

    disputes = selectors.open_disputes_by_province(zones, list(Province.objects.all()), **rolled)
    assert {d.code: (d.count, d.acres, d.without_acres) for d in disputes} == expected_disputes(
        records(LandDispute)
    )


def assert_rollups_hold_their_zone_rows() -> None:
    """Every province rollup holds the sums of its tally's zone rows, key by key (a rollup
    row left at 0 by records that have gone aside)."""
    with connection.cursor() as cursor:
        for tally in TALLIES:
            if tally.rollup is None:
                continue
            keys, sums = tally.rollup_keys, tally.rollup_sums
            cursor.execute(
                f"SELECT {', '.join(keys)}, {', '.join(sums.values())} "  # noqa: S608
                f"FROM {tally.table} GROUP BY {', '.join(keys)}"
            )
            expected = {row[: len(keys)]: row[len(keys) :] for row in cursor.fetchall()}
            cursor.execute(
                f"SELECT {', '.join(keys)}, {', '.join(sums)} "  # noqa: S608
                f"FROM {tally.rollup._meta.db_table}"
            )
            held = {
                row[: len(keys)]: row[len(keys) :]
                for row in cursor.fetchall()
                if any(row[len(keys) :])
            }
            assert held == expected, tally.rollup.__name__
