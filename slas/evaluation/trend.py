"""Early warning: is an SLA trending towards a breach?

For each SLA, a least-squares line through its last 6 Results (x = 0 … n-1
in period order, oldest first; y = actual) is projected one period ahead
(x = n). The SLA is **trending to breach** when that projection falls on the
breached side of the current target (below it when higher is better, above it
when lower is better) and it has at least 3 Results — two points always fit a
line exactly, so they say nothing about a trend.

Results are taken in period order; a period without data (no Result) is
skipped, not counted as a gap. One SQL query: the last 6 Results per SLA by
an index scan each (LATERAL … LIMIT 6), then ``regr_slope`` /
``regr_intercept`` per SLA.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

WINDOW = 6
MIN_RESULTS = 3
_Q = Decimal("0.000001")


@dataclass(frozen=True)
class Trend:
    """The fitted line of one SLA: slope per period, the next period's projection, the warning."""

    slope: Decimal
    projected: Decimal
    trending_to_breach: bool
    results: int = 0


_SQL = f"""
SELECT s.id, s.direction, s.target, count(r.actual),
       regr_slope(r.actual, r.x), regr_intercept(r.actual, r.x)
FROM slas_sla s
CROSS JOIN LATERAL (
    SELECT last.actual,
           (count(*) OVER () - row_number() OVER (ORDER BY last.period_start DESC))::float AS x
    FROM (SELECT actual, period_start FROM slas_result
          WHERE sla_id = s.id ORDER BY period_start DESC LIMIT {WINDOW}) last
) r
WHERE s.id = ANY(%(ids)s)
GROUP BY s.id, s.direction, s.target
"""


def sla_trends(*, sla_ids: Iterable[int]) -> dict[int, Trend]:
    """The trend of each SLA that has at least 2 Results (fewer cannot fit a line)."""
    ids = sorted({int(i) for i in sla_ids})
    if not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_SQL, {"ids": ids})
        rows = cursor.fetchall()
    trends: dict[int, Trend] = {}
    for sla_id, direction, target, n, slope, intercept in rows:
        if n < 2 or slope is None:
            continue
        slope_d = Decimal(repr(slope)).quantize(_Q)
        projected = Decimal(repr(intercept + slope * n)).quantize(_Q)
        higher = direction == "higher_is_better"
        bad_side = projected < target if higher else projected > target
        trends[sla_id] = Trend(
            slope=slope_d,
            projected=projected,
            trending_to_breach=n >= MIN_RESULTS and bad_side,
            results=n,
        )
    return trends
