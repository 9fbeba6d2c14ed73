"""Reads for the dashboards' readiness figures: the spread of the latest scores per province
or district, every zone's score and location (or map cells when there are too many), and
the mean score over time. Aggregated in PostgreSQL, a fixed number of queries whatever the
number of zones; plain dataclasses (``dashboards.data``) for ``dashboards.readiness_charts``."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.db.models import Aggregate, Avg, Count, F, FloatField, Max, Min, QuerySet
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext

from aggregates.models import ReadinessTally
from zones.models import Zone

from .data import MapCell, ReadinessGroup, ReadinessSeries, ZonePoint, ZonePoints
from .selectors import as_float

#: Above this many zones, charts show distributions and map cells instead of every zone.
POINT_LIMIT = 1000
#: Map cells (degrees) used when there are too many zones to draw one by one.
MAP_CELL_DEGREES = 0.5


class Percentile(Aggregate):
    """PostgreSQL's ordered-set ``percentile_cont(fraction) WITHIN GROUP (ORDER BY expr)``."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def readiness_by_group(zones: QuerySet[Zone], *, by: str) -> list[ReadinessGroup]:
    """Readiness statistics per province (``by="province"``) or district. One query."""
    if by == "province":
        key, label = "province_id", "province__name"
    elif by == "district":
        key, label = "district", "district"
    else:
        raise ValueError(f"cannot group readiness by {by!r}")
    score = "readiness_score"
    # The filter set never joins rows in twice (no DISTINCT): the zones are grouped as they are.
    rows = (
        zones.values(key, label)
        .annotate(
            n=Count("id"),
            scored=Count(score),
            mean=Avg(score),
            minimum=Min(score),
            q1=Percentile(score, 0.25),
            median=Percentile(score, 0.5),
            q3=Percentile(score, 0.75),
            maximum=Max(score),
        )
        .order_by(label)
    )
    return [
        ReadinessGroup(
            key=row[key] or "",
            # Province names are stored in English; districts are proper names, kept as stored.
            label=(gettext(row[label]) if by == "province" else row[label]) or "",
            zones=row["n"],
            scored=row["scored"],
            mean=as_float(row["mean"]),
            minimum=as_float(row["minimum"]),
            q1=as_float(row["q1"]),
            median=as_float(row["median"]),
            q3=as_float(row["q3"]),
            maximum=as_float(row["maximum"]),
        )
        for row in rows
    ]


def zone_points(
    zones: QuerySet[Zone], *, limit: int = POINT_LIMIT, total: int | None = None
) -> ZonePoints:
    """Every zone with its location and score, or, above ``limit`` zones, map cells.

    One query; two when the limit is exceeded and ``total`` (how many zones there are, if
    the caller knows) does not say so."""
    if total is None or total <= limit:
        rows = list(
            zones.order_by("province__name", "name").values_list(
                "slug",
                "name",
                "province__name",
                "district",
                "status",
                "readiness_score",
                "latitude",
                "longitude",
            )[: limit + 1]
        )
        if len(rows) <= limit:
            points = [
                ZonePoint(
                    slug,
                    name,
                    gettext(province),
                    district,
                    status,
                    as_float(score),
                    as_float(lat),
                    as_float(lon),
                )
                for slug, name, province, district, status, score, lat, lon in rows
            ]
            return ZonePoints(points=points, truncated=False)
    step = Decimal(str(MAP_CELL_DEGREES))
    cells = (
        zones.filter(latitude__isnull=False, longitude__isnull=False)
        .annotate(
            cell_lat=Round(F("latitude") / step) * step,
            cell_lon=Round(F("longitude") / step) * step,
        )
        .values("cell_lat", "cell_lon")
        .annotate(n=Count("id"), scored=Count("readiness_score"), mean=Avg("readiness_score"))
        .order_by()  # grouped by hashing, sorted here: a few hundred cells, not every zone
    )
    return ZonePoints(
        points=[],
        truncated=True,
        cells=sorted(
            (
                MapCell(
                    float(c["cell_lat"]),
                    float(c["cell_lon"]),
                    c["n"],
                    c["scored"],
                    as_float(c["mean"]),
                )
                for c in cells
            ),
            key=lambda cell: (cell.latitude, cell.longitude),
        ),
    )


_READINESS_HISTORY_SQL = """
WITH s AS (
    SELECT t.day, {group_key} AS grp, min(t.first_at) AS first_at, max(t.last_at) AS last_at,
           sum(t.score - coalesce(t.previous, 0)) AS d_sum,
           count(*) FILTER (WHERE t.previous IS NULL) AS d_n
    FROM {tally} t
    JOIN ({zones}) AS z ON z.pk = t.zone_id
    GROUP BY 1, 2
),
unit AS (
    SELECT min(first_at) AS lo, max(last_at) AS hi,
           CASE WHEN max(last_at) - min(first_at) <= interval '62 days' THEN 'day'
                WHEN max(last_at) - min(first_at) <= interval '730 days' THEN 'week'
                ELSE 'month' END AS u
    FROM s HAVING count(*) > 0
),
periods AS (
    SELECT generate_series(date_trunc(u, lo), date_trunc(u, hi), ('1 ' || u)::interval) AS starts
    FROM unit
),
deltas AS (
    SELECT date_trunc(unit.u, s.day::timestamptz) AS starts, s.grp,
           sum(s.d_sum) AS d_sum, sum(s.d_n) AS d_n
    FROM s CROSS JOIN unit
    GROUP BY 1, 2
),
running AS (
    SELECT periods.starts, g.grp,
           sum(coalesce(deltas.d_sum, 0)) OVER cumulative AS total,
           sum(coalesce(deltas.d_n, 0)) OVER cumulative AS zones
    FROM periods
    CROSS JOIN (SELECT DISTINCT grp FROM s) AS g
    LEFT JOIN deltas ON deltas.starts = periods.starts AND deltas.grp = g.grp
    WINDOW cumulative AS (PARTITION BY g.grp ORDER BY periods.starts)
)
SELECT starts, grp, total / zones, zones FROM running WHERE zones > 0 ORDER BY grp, starts
"""


def readiness_history(
    zones: QuerySet[Zone], *, by: str, names: dict[str, str] | None = None
) -> list[ReadinessSeries]:
    """For each day, week or month (by the span of history), the mean of each zone's latest
    snapshot at the end of that period, per province (``by="province"``, labelled with
    ``names``) or for all the zones (``by="all"``).

    One SQL statement over the aggregate table of the zones' days
    (``aggregates.models.ReadinessTally``), not the snapshots: each zone's day adds its last
    score minus the zone's last score before that day (and one zone, if it is the zone's
    first), summed first per day and group (the rest of the statement reads those few rows),
    and running sums of those changes over the periods give the totals as of each period's
    end. The span (so the period) is that of the snapshots' exact times."""
    group_key = {"province": "z.province_id", "all": "''"}[by]
    zones_sql, zones_params = zones.order_by().values("pk", "province_id").query.sql_with_params()
    sql = _READINESS_HISTORY_SQL.format(
        group_key=group_key, zones=zones_sql, tally=ReadinessTally._meta.db_table
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, zones_params)
        rows = cursor.fetchall()
    names = names or {}
    series: dict[str, ReadinessSeries] = {}
    for starts, grp, mean, count in rows:
        item = series.get(grp)
        if item is None:
            item = series[grp] = ReadinessSeries(grp, names.get(grp, grp), [], [], [])
        item.periods.append(timezone.localdate(starts) if timezone.is_aware(starts) else starts)
        item.means.append(round(float(mean), 1))
        item.zones.append(count)
    return sorted(series.values(), key=lambda s: s.label)
