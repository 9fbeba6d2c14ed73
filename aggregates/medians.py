"""Exact medians over the aggregate tables' histograms, in SQL.

Medians do not add, so a tally keeps how many records had each value (per zone and key), and
a page sums those counts over its zones and finds the middle. :func:`middle_values` returns
the middle two values of each group (one and the same for an odd count), so that the caller
takes their mean in its own terms (days from two dates, say): the median of
``zones.plot_rules.median``, percentile_cont's, without sending every value to Python. A value
counted 0 times (a province rollup's row whose records have all gone) is not there."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet


def middle_values(
    histogram: QuerySet, *, keys: Sequence[str], value: str, count: str
) -> dict[object, tuple[object, object]]:
    """For each group of ``keys`` (field lookups) in ``histogram`` (tally rows: a ``value``
    occurring ``count`` times; rows of one value may repeat, from several zones), the values
    at the middle two positions in order: ``{key (a tuple when several): (lower, upper)}``.
    One query."""
    try:
        sql, params = histogram.values_list(*keys, value, count).order_by().query.sql_with_params()
    except EmptyResultSet:  # a filter no row can pass (``zone_id__in=[]``)
        return {}
    names = [f"k{i}" for i in range(len(keys))]
    group = ", ".join(names)
    middle = "upto > {at} AND upto - n <= {at}"
    lower = middle.format(at="(total - 1) / 2")
    upper = middle.format(at="total / 2")
    # Each group is told apart by its keys as bytes (``part``): sorting by the keys' own
    # collation costs more than the rest of the query put together.
    query = f"""
        SELECT {", ".join(f"(array_agg({name}))[1]" for name in names)},
               min(v) FILTER (WHERE {lower}), min(v) FILTER (WHERE {upper})
        FROM (
            SELECT part, {group}, v, n,
                   sum(n) OVER (PARTITION BY part ORDER BY v) AS upto,
                   sum(n) OVER (PARTITION BY part) AS total
            FROM (
                SELECT ROW({group})::text COLLATE "C" AS part, {group}, v, sum(n)::integer AS n
                FROM ({sql}) AS tally ({group}, v, n)
                GROUP BY {group}, v
                HAVING sum(n) > 0
            ) AS counted
        ) AS running
        GROUP BY part
    """  # noqa: S608 - the inner query is Django's, the rest our own names
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        found = cursor.fetchall()
    width = len(keys)
    return {
        (row[0] if width == 1 else tuple(row[:width])): (row[width], row[width + 1])
        for row in found
    }
