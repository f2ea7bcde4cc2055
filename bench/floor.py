"""The floor: one hand-written SQL statement doing the core of a full evaluation.

It reads every measurement once, groups it by SLA and calendar period
(date_trunc per the SLA's period), applies the SLA's aggregation and the
status rule, and writes one row per SLA and period into a scratch table. No
breaches, credits, caps or earn-back, no upsert against existing rows: the
least any full evaluation must do. The engine's ratio to it is the figure.

Two variants, both reported (each the best of two runs):

* ``CREATE UNLOGGED TABLE … AS SELECT`` — PostgreSQL may run the SELECT with
  parallel workers (it may not for an INSERT … SELECT). The strict floor.
* ``INSERT INTO <unlogged table> SELECT …`` — always serial, as every
  INSERT … SELECT the engine runs is.

"last" is the value at the latest date: ``(max(ARRAY[day number, value]))[2]``
picks it in the same single pass (dates are unique per SLA), without the
per-group sort that ``array_agg(… ORDER BY date DESC)`` would need.
"""

from __future__ import annotations

import time

from bench import db

_SELECT = """
WITH m AS (
    SELECT m.sla_id, m.date, m.value, s.aggregation,
        CASE s.period
            WHEN 'daily' THEN m.date
            WHEN 'weekly' THEN date_trunc('week', m.date)::date
            WHEN 'monthly' THEN date_trunc('month', m.date)::date
            ELSE date_trunc('quarter', m.date)::date
        END AS period_start
    FROM slas_measurement AS m
    JOIN slas_sla AS s ON s.id = m.sla_id
    WHERE m.date >= s.effective_from AND (s.effective_to IS NULL OR m.date <= s.effective_to)
), a AS (
    SELECT sla_id, period_start, count(*) AS n,
        coalesce(
            avg(value) FILTER (WHERE aggregation = 'mean'),
            sum(value) FILTER (WHERE aggregation = 'sum'),
            min(value) FILTER (WHERE aggregation = 'min'),
            max(value) FILTER (WHERE aggregation = 'max'),
            (max(ARRAY[(date - DATE '2000-01-01')::numeric, value])
                FILTER (WHERE aggregation = 'last'))[2]
        ) AS actual
    FROM m
    GROUP BY sla_id, period_start
)
SELECT a.sla_id, a.period_start,
    CASE s.period
        WHEN 'daily' THEN a.period_start
        WHEN 'weekly' THEN a.period_start + 6
        WHEN 'monthly' THEN (a.period_start + interval '1 month' - interval '1 day')::date
        ELSE (a.period_start + interval '3 months' - interval '1 day')::date
    END AS period_end,
    round(a.actual, 6) AS actual,
    CASE WHEN s.direction = 'higher_is_better' THEN
        CASE WHEN a.actual < s.target THEN 'breached'
            WHEN s.warning_level IS NOT NULL AND a.actual < s.warning_level THEN 'at_risk'
            ELSE 'met' END
    ELSE
        CASE WHEN a.actual > s.target THEN 'breached'
            WHEN s.warning_level IS NOT NULL AND a.actual > s.warning_level THEN 'at_risk'
            ELSE 'met' END
    END AS status,
    a.n
FROM a
JOIN slas_sla AS s ON s.id = a.sla_id
"""


def run(*, explain: bool = False, repeat: int = 2) -> dict:
    """Time both variants (best of ``repeat``); leave the result in ``bench_floor``."""
    out: dict = {"ctas_runs_s": [], "insert_select_runs_s": []}
    conn = db.connect()
    try:
        with conn.cursor() as cur:
            for _ in range(repeat):
                cur.execute("DROP TABLE IF EXISTS bench_floor")
                t0 = time.perf_counter()
                cur.execute(f"CREATE UNLOGGED TABLE bench_floor AS {_SELECT}")
                out["ctas_runs_s"].append(time.perf_counter() - t0)
            cur.execute("SELECT count(*) FROM bench_floor")
            out["rows"] = cur.fetchone()[0]
            for _ in range(repeat):
                cur.execute("DROP TABLE IF EXISTS bench_floor_serial")
                cur.execute(
                    "CREATE UNLOGGED TABLE bench_floor_serial (LIKE bench_floor INCLUDING DEFAULTS)"
                )
                t0 = time.perf_counter()
                cur.execute(f"INSERT INTO bench_floor_serial {_SELECT}")
                out["insert_select_runs_s"].append(time.perf_counter() - t0)
            cur.execute("DROP TABLE bench_floor_serial")
            out["ctas_s"] = min(out["ctas_runs_s"])
            out["insert_select_s"] = min(out["insert_select_runs_s"])
            out["seconds"] = min(out["ctas_s"], out["insert_select_s"])
            cur.execute("SELECT status, count(*) FROM bench_floor GROUP BY status ORDER BY status")
            out["statuses"] = dict(cur.fetchall())
            if explain:
                cur.execute(f"EXPLAIN (ANALYZE, BUFFERS) {_SELECT}")
                out["explain"] = [row[0] for row in cur.fetchall()]
    finally:
        conn.close()
    return out


def compare_with_results() -> dict:
    """How many (SLA, period) rows the engine's Results and the floor disagree on.

    A cross-check, not a test: the tests own correctness. Actuals are compared
    to 1e-6 (the column's precision).
    """
    conn = db.connect()
    try:
        with conn.cursor() as cur:
            cur.execute(
                """
                SELECT count(*) FILTER (WHERE r.id IS NULL) AS missing_in_results,
                    count(*) FILTER (WHERE f.sla_id IS NULL) AS extra_in_results,
                    count(*) FILTER (WHERE r.id IS NOT NULL AND f.sla_id IS NOT NULL
                        AND (r.status <> f.status OR abs(r.actual - f.actual) > 0.000001
                             OR r.period_end <> f.period_end)) AS different
                FROM bench_floor AS f
                FULL JOIN slas_result AS r
                    ON r.sla_id = f.sla_id AND r.period_start = f.period_start
                """
            )
            missing, extra, different = cur.fetchone()
            cur.execute("SELECT status, count(*) FROM slas_result GROUP BY status ORDER BY status")
            statuses = dict(cur.fetchall())
            cur.execute("SELECT count(*), count(*) FILTER (WHERE credit > 0) FROM slas_breach")
            breaches, with_credit = cur.fetchone()
    finally:
        conn.close()
    return {
        "missing_in_results": missing,
        "extra_in_results": extra,
        "different": different,
        "result_statuses": statuses,
        "breaches": breaches,
        "breaches_with_credit": with_credit,
    }
