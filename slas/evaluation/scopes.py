"""The scopes of the evaluation statements: which SLAs and periods, and how they are read.

A scope is a dict of SQL fragments that ``slas.evaluation.sql.render`` puts
into the statement templates of ``slas.evaluation.sql``: ``range_fragments``
for a batch of contracts (all periods, or those ending on/after ``since``),
``touched_fragments`` for the periods holding a set of touched (sla, date)
pairs, which ``TOUCHED_TARGETS`` first writes to a temporary table.
"""

from __future__ import annotations

from slas.evaluation.literals import LAST, MAX, MEAN, MIN, SUM, WITHDRAWN
from slas.evaluation.periods import period_end_sql, period_start_sql, step_sql
from slas.evaluation.sql import EB_LAST_START, RESULT_CONFLICT

# "last": the value of the latest date, as the larger of the [day number, value]
# pairs (dates are unique per SLA): one pass, no sort of each period's rows as
# array_agg(ORDER BY) needs.
_LAST = "(max(ARRAY[(m.date - DATE '2000-01-01')::numeric, m.value]){filter})[2]"


def _actual(x: str, aggregation: str) -> str:
    """The exact aggregate from its parts (a mean is the exact sum over the count, as avg is)."""
    return f"""CASE {aggregation} WHEN {MEAN} THEN {x}.v_sum / {x}.n WHEN {SUM} THEN {x}.v_sum
                WHEN {MIN} THEN {x}.v_min WHEN {MAX} THEN {x}.v_max ELSE {x}.v_last END"""


def _stored_columns(r: str) -> str:
    return ", ".join(
        f"{r}.{c}"
        for c in (
            "id", "sla_id", "period_start", "period_end", "actual", "status",
            "measurement_count", "target", "warning_level", "critical_level",
            "aggregation", "last_date", "value_sum",
        )
    )  # fmt: skip


def range_fragments(*, with_ids: bool, with_since: bool) -> dict[str, str]:
    """Fragments for a batch of contracts [lo, hi], optionally some SLAs and ``since``."""
    batch = "s.contract_id BETWEEN %(contract_lo)s AND %(contract_hi)s"
    if with_ids:
        batch += " AND s.id = ANY(%(sla_ids)s::bigint[])"
    batch_ids = f"(SELECT s.id FROM slas_sla s WHERE {batch})"
    since_m = " AND m.date >= %(since_floor)s" if with_since else ""
    # Every period from all its measurements; only the aggregate the SLA uses
    # is computed (FILTER), plus the state a later day is folded into.
    aggregate = f"""
agg AS (
    SELECT x.sla_id, x.period_start, x.n, x.last_date,
           CASE WHEN x.aggregation = {MEAN} THEN x.v_sum END AS value_sum,
           {_actual("x", "x.aggregation")} AS actual
    FROM (
        SELECT s.id AS sla_id, s.aggregation,
               {period_start_sql("s.period", "m.date")} AS period_start,
               count(*) AS n, max(m.date) AS last_date,
               sum(m.value) FILTER (WHERE s.aggregation IN ({MEAN}, {SUM})) AS v_sum,
               min(m.value) FILTER (WHERE s.aggregation = {MIN}) AS v_min,
               max(m.value) FILTER (WHERE s.aggregation = {MAX}) AS v_max,
               {_LAST.format(filter=f" FILTER (WHERE s.aggregation = {LAST})")} AS v_last
        FROM slas_sla s
        JOIN slas_measurement m ON m.sla_id = s.id
        WHERE {batch}
          AND m.sla_id BETWEEN %(sla_lo)s AND %(sla_hi)s
          AND m.date >= s.effective_from
          AND (s.effective_to IS NULL OR m.date <= s.effective_to){since_m}
        GROUP BY s.id, 3
    ) x
),"""
    since_end = lambda col: f" AND {col} >= %(since)s" if with_since else ""  # noqa: E731
    # The batch's SLA ids lie in [sla_lo, sla_hi]: saying so lets the unique
    # (sla_id, …) indexes read just that range of results and breaches; with the
    # id list alone the planner scanned all 2 million results once per batch.
    in_batch = lambda a: (  # noqa: E731
        f"{a}.sla_id BETWEEN %(sla_lo)s AND %(sla_hi)s AND {a}.sla_id IN {batch_ids}"
    )
    breach_scope = f"{in_batch('b')}{since_end('b.period_end')}"
    eb_scope = in_batch("b")
    if with_since:
        eb_scope += f" AND {period_end_sql('s.period', EB_LAST_START)} >= %(since)s"
    return {
        "aggregate": aggregate,
        "since_filter": since_end("p.period_end"),
        "stored": f"""SELECT {_stored_columns("r")} FROM slas_result r
                      WHERE {in_batch("r")}{since_end("r.period_end")}""",
        "breach_scope": breach_scope,
        # Stored Results ending before ``since`` are outside the stored side.
        "result_conflict": RESULT_CONFLICT if with_since else "",
        # The stored breach of a judged period, looked up by its key.
        "stored_breaches": "slas_breach",
        "live_breaches": f"""SELECT b.id, b.sla_id, b.period_start FROM slas_breach b
                             WHERE {breach_scope} AND b.status <> {WITHDRAWN}""",
        "groups": f"""
            SELECT DISTINCT s.contract_id, b.credit_month
            FROM slas_breach b JOIN slas_sla s ON s.id = b.sla_id
            WHERE {batch} AND b.sla_id BETWEEN %(sla_lo)s AND %(sla_hi)s
                  {since_end("b.period_end")}""",
        "earn_back_scope": eb_scope,
        "lock_keys": f"SELECT DISTINCT s.contract_id FROM slas_sla s WHERE {batch}",
    }


# A touched scope reads a few rows of each period it holds, in pages the
# ingestion just read or wrote: index probes cost little more than sequential
# reads there, and at the default cost (4) the planner preferred scanning whole
# indexes of results and breaches to probing them once per period.
TOUCHED_TARGETS = f"""
SET LOCAL random_page_cost = 1.1;
DROP TABLE IF EXISTS pg_temp.eval_targets;
CREATE TEMP TABLE eval_targets ON COMMIT DROP AS
SELECT s.id AS sla_id, s.contract_id, q.period_start,
       {period_end_sql("s.period", "q.period_start")} AS period_end,
       min(t.day) AS first_day
FROM unnest(%(t_ids)s::bigint[], %(t_dates)s::date[]) AS t(sla_id, day)
JOIN slas_sla s ON s.id = t.sla_id AND s.contract_id BETWEEN %(contract_lo)s AND %(contract_hi)s
CROSS JOIN LATERAL (SELECT {period_start_sql("s.period", "t.day")} AS period_start) q
GROUP BY 1, 2, 3, 4
-- In key order, so that the index probes driven by the targets (results,
-- breaches, measurements) walk each index and table forwards instead of
-- jumping between pages: with a small buffer cache each jump can cost a read.
ORDER BY 1, 3;
ANALYZE eval_targets;
"""


def touched_fragments() -> dict[str, str]:
    """Fragments for the periods containing the touched (sla_id, date) pairs.

    The periods are first written to the temporary table ``eval_targets``
    (``TOUCHED_TARGETS``, once per batch) and analyzed: with a CTE the planner
    guessed 20 times the real number of rows and hashed whole tables (every
    breach, every result) where a few thousand index probes do.
    """
    # The breaches of the touched periods, by id: one index probe per period
    # (OFFSET 0 keeps the planner from merging the targets with the whole
    # breach index instead), then a primary-key lookup of that id list.
    breach_ids = """b.id = ANY(ARRAY(
            SELECT x.id FROM eval_targets t
            CROSS JOIN LATERAL (
                SELECT b0.id FROM slas_breach b0
                WHERE b0.sla_id = t.sla_id AND b0.period_start = t.period_start
                OFFSET 0) x))"""
    # A period is read whole, unless its stored Result holds the aggregate up
    # to a date before every touched day of the period (and was computed with
    # the same aggregation and period end): then only the measurements after
    # that date are read and folded in. Exact, because every change to a
    # measurement is followed by an evaluation touching its date (ingestion,
    # forms, admin, imports) or a range evaluation, and either reads the
    # period whole: a stored aggregate is complete up to its date whenever
    # no change at or before that date is still waiting for its evaluation,
    # and when one is waiting, that evaluation rebuilds the period. The state
    # is read here, after the contracts' locks are held.
    aggregate = f"""
base AS MATERIALIZED (
    SELECT t.sla_id, t.period_start, s.aggregation,
           GREATEST(t.period_start, s.effective_from) AS lo,
           LEAST(t.period_end, COALESCE(s.effective_to, t.period_end)) AS hi,
           r.id AS r_id, r.period_end AS r_period_end, r.actual AS r_actual,
           r.status AS r_status, r.measurement_count AS r_n, r.target AS r_target,
           r.warning_level AS r_warning_level, r.critical_level AS r_critical_level,
           r.aggregation AS r_aggregation, r.last_date AS r_last_date,
           r.value_sum AS r_value_sum,
           ob.id AS ob_id, ob.status AS ob_status, ob.period_end AS ob_period_end,
           ob.actual AS ob_actual, ob.severity AS ob_severity,
           ob.credit_month AS ob_credit_month,
           (r.aggregation = s.aggregation AND r.period_end = t.period_end
            AND r.last_date < t.first_day
            AND (s.aggregation <> {MEAN} OR r.value_sum IS NOT NULL)) IS TRUE AS fast
    FROM eval_targets t
    JOIN slas_sla s ON s.id = t.sla_id
    LEFT JOIN LATERAL (
        SELECT r0.* FROM slas_result r0
        WHERE r0.sla_id = t.sla_id AND r0.period_start = t.period_start
        OFFSET 0) r ON true
    -- The period's stored breach, read once here for every step of EVALUATE
    -- that compares with it (upsert, re-opening, withdrawal, changed months).
    LEFT JOIN LATERAL (
        SELECT b0.id, b0.status, b0.period_end, b0.actual, b0.severity, b0.credit_month
        FROM slas_breach b0
        WHERE b0.sla_id = t.sla_id AND b0.period_start = t.period_start
        OFFSET 0) ob ON true
),
fresh AS (
    -- One range, so that both of its ends bound the (sla_id, date) index scan:
    -- with the window as separate conditions the planner read every
    -- measurement of the SLA and filtered (500 rows instead of one period's).
    SELECT b.sla_id, b.period_start, count(*) AS n, max(m.date) AS last_date,
           sum(m.value) AS v_sum, min(m.value) AS v_min, max(m.value) AS v_max,
           {_LAST.format(filter="")} AS v_last
    FROM base b
    JOIN slas_measurement m
      ON m.sla_id = b.sla_id
     AND m.date BETWEEN CASE WHEN b.fast THEN b.r_last_date + 1 ELSE b.lo END AND b.hi
    GROUP BY b.sla_id, b.period_start
),
agg AS (
    -- Folding in: the stored actual of a sum, minimum, maximum or last value is
    -- exact (values have six decimals, like the column); a mean keeps its sum.
    SELECT b.sla_id, b.period_start, x.n, x.last_date,
           CASE WHEN b.aggregation = {MEAN} THEN x.v_sum END AS value_sum,
           {_actual("x", "b.aggregation")} AS actual
    FROM base b
    LEFT JOIN fresh f ON f.sla_id = b.sla_id AND f.period_start = b.period_start
    CROSS JOIN LATERAL (
        SELECT CASE WHEN b.fast THEN b.r_n + COALESCE(f.n, 0) ELSE f.n END AS n,
               CASE WHEN b.fast THEN GREATEST(b.r_last_date, f.last_date)
                    ELSE f.last_date END AS last_date,
               CASE WHEN NOT b.fast THEN f.v_sum
                    WHEN b.aggregation = {MEAN} THEN b.r_value_sum + COALESCE(f.v_sum, 0)
                    ELSE b.r_actual + COALESCE(f.v_sum, 0) END AS v_sum,
               CASE WHEN b.fast THEN LEAST(b.r_actual, f.v_min) ELSE f.v_min END AS v_min,
               CASE WHEN b.fast THEN GREATEST(b.r_actual, f.v_max) ELSE f.v_max END AS v_max,
               CASE WHEN b.fast THEN COALESCE(f.v_last, b.r_actual) ELSE f.v_last END AS v_last
    ) x
    WHERE b.fast OR f.n IS NOT NULL
),"""
    stored = """SELECT b.r_id AS id, b.sla_id, b.period_start, b.r_period_end AS period_end,
                       b.r_actual AS actual, b.r_status AS status,
                       b.r_n AS measurement_count, b.r_target AS target,
                       b.r_warning_level AS warning_level,
                       b.r_critical_level AS critical_level,
                       b.r_aggregation AS aggregation, b.r_last_date AS last_date,
                       b.r_value_sum AS value_sum
                FROM base b WHERE b.r_id IS NOT NULL"""
    step = step_sql("s2.period")
    return {
        "aggregate": aggregate,
        "since_filter": "",
        "stored": stored,
        "breach_scope": breach_ids,
        # base probed every target's key: a target without a Result has none.
        "result_conflict": "",
        "stored_breaches": """(SELECT b.ob_id AS id, b.sla_id, b.period_start,
                                      b.ob_period_end AS period_end, b.ob_actual AS actual,
                                      b.ob_severity AS severity,
                                      b.ob_credit_month AS credit_month, b.ob_status AS status
                               FROM base b WHERE b.ob_id IS NOT NULL)""",
        "live_breaches": f"""SELECT b.ob_id AS id, b.sla_id, b.period_start FROM base b
                            WHERE b.ob_id IS NOT NULL AND b.ob_status <> {WITHDRAWN}""",
        # Only the months whose breaches changed (EVALUATE's answer) have their
        # caps shared out again, unless ``refresh_credits``: a workflow change
        # (waiving) alters what a month owes without changing any computed
        # column, so it asks for the contract-month of each touched period.
        "groups": """
            SELECT contract_id, date_trunc('month', period_end::timestamp)::date AS credit_month
            FROM eval_targets
            WHERE %(refresh_credits)s""",
        # The touched breaches themselves and the earlier ones whose earn-back
        # window (the N periods after them) holds a touched period. Driven from
        # the targets: each finds its SLA's breaches of the N periods before it
        # by an index range (a week wider than N steps, for month-end clamping;
        # the exact condition follows).
        "earn_back_scope": f"""b.id = ANY(ARRAY(
            SELECT DISTINCT b2.id
            FROM eval_targets t
            JOIN slas_sla s2 ON s2.id = t.sla_id
            JOIN contracts_contract ct2 ON ct2.id = t.contract_id
            CROSS JOIN LATERAL (
                SELECT b0.id, b0.period_start FROM slas_breach b0
                WHERE b0.sla_id = t.sla_id
                  AND b0.period_start <= t.period_start
                  AND b0.period_start >= (t.period_start::timestamp
                                          - ct2.earn_back_periods * {step}
                                          - interval '7 days')::date
                OFFSET 0) b2
            WHERE t.period_start
                  <= (b2.period_start::timestamp + ct2.earn_back_periods * {step})::date))""",
        "lock_keys": "SELECT DISTINCT contract_id FROM eval_targets",
    }
