"""The SQL of the evaluation engine: one statement per step and batch.

Each statement is assembled from a *scope* (``range_fragments`` or
``touched_fragments`` in ``slas.evaluation.scopes``) that says which SLAs
and periods are recomputed and how their measurements are aggregated: a
batch of contracts (optionally restricted to some SLAs and to periods ending
on/after ``since``), or the periods containing a set of touched (sla, date)
pairs. The steps, in order, inside one transaction holding the contracts'
advisory locks:

1. ``EVALUATE``: aggregate the measurements per SLA and period (GROUP BY),
   judge each period on the exact aggregate, upsert Results, delete Results of
   periods that lost their data, upsert Breaches (keeping workflow columns,
   re-opening withdrawn ones), withdraw Breaches whose period is no longer
   breached. One statement with data-modifying CTEs; all see one snapshot and
   touch disjoint rows.
2. ``SETTLE``: the service credits and the monthly cap of every affected
   contract-month, with window functions, and the earn-back state of every
   affected breach, from one index range scan over the Results of the N
   periods after it; each changed breach is written once.
3. ``TOTALS``: counts and credits in scope, for the summary.

Updates carry ``IS DISTINCT FROM`` guards so that an unchanged row is not
rewritten: recomputation writes nothing when nothing changed, and the audit
trail (pghistory triggers on Breach) records only real changes.
"""

from __future__ import annotations

from slas.evaluation.literals import (
    AT_RISK,
    BREACHED,
    CRITICAL,
    EB_EARNED_BACK,
    EB_NOT_APPLICABLE,
    EB_NOT_EARNED,
    EB_PENDING,
    HIGHER,
    MAJOR,
    MET,
    NOT_DUE,
    OPEN,
    SLA_KIND,
    WITHDRAWN,
)
from slas.evaluation.periods import (
    period_end_sql,
    period_index_sql,
    step_sql,
)

# Namespace of the engine's advisory locks (two-int form: namespace, contract id).
LOCK_NAMESPACE = 0x534C41  # "SLA"


# For the scopes whose stored side can miss a Result sharing a judged period's
# key (scopes.range_fragments with ``since``): an upsert instead of an insert.
# Elsewhere the stored side holds every Result that could share a key with a
# judged period, so a period without one has none: the contracts' advisory
# locks keep other evaluations out, and nothing else writes Results. A plain
# insert costs a quarter less than an upsert that finds no conflict.
RESULT_CONFLICT = """
    ON CONFLICT (sla_id, period_start) DO UPDATE SET
        period_end = EXCLUDED.period_end, actual = EXCLUDED.actual, status = EXCLUDED.status,
        measurement_count = EXCLUDED.measurement_count, target = EXCLUDED.target,
        warning_level = EXCLUDED.warning_level, critical_level = EXCLUDED.critical_level,
        aggregation = EXCLUDED.aggregation, last_date = EXCLUDED.last_date,
        value_sum = EXCLUDED.value_sum, updated_at = EXCLUDED.updated_at
    WHERE (r.period_end, r.actual, r.status, r.measurement_count, r.target,
           r.warning_level, r.critical_level, r.aggregation, r.last_date, r.value_sum)
          IS DISTINCT FROM
          (EXCLUDED.period_end, EXCLUDED.actual, EXCLUDED.status, EXCLUDED.measurement_count,
           EXCLUDED.target, EXCLUDED.warning_level, EXCLUDED.critical_level,
           EXCLUDED.aggregation, EXCLUDED.last_date, EXCLUDED.value_sum)"""

EVALUATE = f"""
WITH
{{aggregate}}
judged AS (
    -- DESIGN.md 2: "actual < target -> breached; else actual < warning level ->
    -- at_risk; else met. Exactly on target is met. Severity is critical when
    -- actual < critical level" (mirrored for lower_is_better). Compared on the
    -- exact aggregate; only the stored actual is rounded. A NULL level makes
    -- its comparison NULL, which falls through to the next branch.
    SELECT a.sla_id, a.period_start, p.period_end, a.actual, a.n,
           s.target, s.warning_level, s.critical_level,
           s.aggregation, a.last_date, a.value_sum,
           CASE WHEN s.direction = {HIGHER} THEN
                    CASE WHEN a.actual < s.target THEN {BREACHED}
                         WHEN a.actual < s.warning_level THEN {AT_RISK}
                         ELSE {MET} END
                ELSE
                    CASE WHEN a.actual > s.target THEN {BREACHED}
                         WHEN a.actual > s.warning_level THEN {AT_RISK}
                         ELSE {MET} END
           END AS status,
           CASE WHEN (s.direction = {HIGHER} AND a.actual < s.critical_level)
                  OR (s.direction <> {HIGHER} AND a.actual > s.critical_level)
                THEN {CRITICAL} ELSE {MAJOR} END AS severity
    FROM agg a
    JOIN slas_sla s ON s.id = a.sla_id
    CROSS JOIN LATERAL (SELECT {period_end_sql("s.period", "a.period_start")} AS period_end) p
    -- The whole period must lie within the effective window (periods.py).
    WHERE a.period_start >= s.effective_from
      AND (s.effective_to IS NULL OR p.period_end <= s.effective_to)
      {{since_filter}}
),
cmp AS (
    -- The judged periods side by side with the stored Results in scope, in one
    -- hash join: new or changed periods are written (res_new, res_upd), stored
    -- Results without a judged period are deleted (gone). Only those reach the
    -- writes because ON CONFLICT DO UPDATE locks, and so dirties, every
    -- conflicting row even when its WHERE then skips the update: a run with
    -- nothing to change rewrote every page of the table.
    SELECT j.sla_id, j.period_start, j.period_end, round(j.actual, 6) AS actual, j.status,
           j.n, j.target, j.warning_level, j.critical_level, j.aggregation, j.last_date,
           j.value_sum, o.id AS stored_id,
           (o.id IS NULL
            OR (o.period_end, o.actual, o.status, o.measurement_count, o.target,
                o.warning_level, o.critical_level, o.aggregation, o.last_date, o.value_sum)
               IS DISTINCT FROM
               (j.period_end, round(j.actual, 6), j.status, j.n::int, j.target,
                j.warning_level, j.critical_level, j.aggregation, j.last_date,
                j.value_sum)) AS changed
    FROM judged j
    FULL JOIN ({{stored}}) o
      ON o.sla_id = j.sla_id AND o.period_start = j.period_start
),
res_new AS (
    INSERT INTO slas_result AS r (
        created_at, updated_at, sla_id, period_start, period_end, actual, status,
        measurement_count, target, warning_level, critical_level, aggregation, last_date,
        value_sum)
    SELECT now(), now(), c.sla_id, c.period_start, c.period_end, c.actual,
           c.status, c.n, c.target, c.warning_level, c.critical_level, c.aggregation,
           c.last_date, c.value_sum
    FROM cmp c
    WHERE c.sla_id IS NOT NULL AND c.changed AND c.stored_id IS NULL
    {{result_conflict}}
    RETURNING 1
),
res_upd AS (
    -- A changed period with a stored Result is updated through its id: half
    -- the work of an upsert, which probes the unique index and locks the row
    -- before updating it (the daily feed changes every touched Result). By
    -- primary key, for the same reason as in wd.
    UPDATE slas_result r
    SET period_end = c.period_end, actual = c.actual, status = c.status,
        measurement_count = c.n, target = c.target, warning_level = c.warning_level,
        critical_level = c.critical_level, aggregation = c.aggregation,
        last_date = c.last_date, value_sum = c.value_sum, updated_at = now()
    FROM cmp c
    WHERE r.id = ANY(ARRAY(SELECT c2.stored_id FROM cmp c2
                           WHERE c2.sla_id IS NOT NULL AND c2.changed
                             AND c2.stored_id IS NOT NULL))
      AND r.id = c.stored_id AND c.sla_id IS NOT NULL AND c.changed
    RETURNING 1
),
gone AS (
    -- A period in scope without data (or now outside the window) has no Result.
    DELETE FROM slas_result r
    USING cmp c
    WHERE c.sla_id IS NULL AND r.id = c.stored_id
    RETURNING 1
),
br AS (
    -- Computed columns are refreshed; the workflow status is kept, except that
    -- a withdrawn breach breached again is re-opened in its previous status.
    INSERT INTO slas_breach AS b (
        created_at, updated_at, sla_id, period_start, period_end, actual, severity, status,
        credit_month, credit_uncapped, credit, earn_back, root_cause, corrective_action,
        remediation_owner, waiver_reason, status_before_withdrawal)
    SELECT now(), now(), j.sla_id, j.period_start, j.period_end, round(j.actual, 6),
           j.severity, {OPEN}, date_trunc('month', j.period_end::timestamp)::date, 0, 0,
           {EB_NOT_APPLICABLE}, '', '', '', '', ''
    FROM judged j
    -- As for results: only new, re-opened or changed breaches reach the upsert.
    LEFT JOIN {{stored_breaches}} o ON o.sla_id = j.sla_id AND o.period_start = j.period_start
    WHERE j.status = {BREACHED}
      AND (o.id IS NULL OR o.status = {WITHDRAWN}
           OR (o.period_end, o.actual, o.severity, o.credit_month)
              IS DISTINCT FROM
              (j.period_end, round(j.actual, 6), j.severity,
               date_trunc('month', j.period_end::timestamp)::date))
    ON CONFLICT (sla_id, period_start) DO UPDATE SET
        period_end = EXCLUDED.period_end, actual = EXCLUDED.actual,
        severity = EXCLUDED.severity, credit_month = EXCLUDED.credit_month,
        status = CASE WHEN b.status = {WITHDRAWN}
                      THEN COALESCE(NULLIF(b.status_before_withdrawal, ''), {OPEN})
                      ELSE b.status END,
        status_before_withdrawal = CASE WHEN b.status = {WITHDRAWN} THEN ''
                                        ELSE b.status_before_withdrawal END,
        updated_at = EXCLUDED.updated_at
    WHERE b.status = {WITHDRAWN}
       OR (b.period_end, b.actual, b.severity, b.credit_month)
          IS DISTINCT FROM
          (EXCLUDED.period_end, EXCLUDED.actual, EXCLUDED.severity, EXCLUDED.credit_month)
    RETURNING (xmax = 0) AS inserted, b.sla_id, b.credit_month
),
cured AS MATERIALIZED (
    -- The breaches in scope without a breached period, found with a FULL JOIN
    -- because PostgreSQL runs one only as a hash or merge join: as NOT EXISTS,
    -- a `since` filter that made judged look 35 times smaller than it was got
    -- a nested-loop anti join rescanning judged per breach (30 million row
    -- comparisons, 36 s, for a batch with nothing to withdraw).
    -- (OFFSET 0 keeps the IS NULL test outside, or the planner would turn the
    -- FULL JOIN back into that anti join.)
    SELECT x.id FROM (
        SELECT o.id, j.sla_id AS judged_sla_id
        FROM (SELECT j.sla_id, j.period_start FROM judged j WHERE j.status = {BREACHED}) j
        FULL JOIN ({{live_breaches}}) o
          ON o.sla_id = j.sla_id AND o.period_start = j.period_start
        OFFSET 0) x
    WHERE x.judged_sla_id IS NULL
),
wd AS (
    -- "A corrected measurement that turns a breached period into met marks its
    -- breach withdrawn, never deletes it."
    UPDATE slas_breach b
    SET status_before_withdrawal = b.status, status = {WITHDRAWN}, credit = 0,
        credit_uncapped = 0, earn_back = {EB_NOT_APPLICABLE}, updated_at = now()
    FROM cured
    -- The cured ones are found by primary key (an estimate of many would
    -- otherwise have the whole table hashed).
    WHERE b.id = ANY(ARRAY(SELECT cured.id FROM cured)) AND b.id = cured.id
    RETURNING b.sla_id, b.credit_month
)
SELECT (SELECT count(*) FROM judged),
       (SELECT count(*) FROM res_new) + (SELECT count(*) FROM res_upd),
       (SELECT count(*) FROM gone),
       (SELECT count(*) FROM br WHERE inserted),
       (SELECT count(*) FROM judged j
          JOIN {{stored_breaches}} b ON b.sla_id = j.sla_id AND b.period_start = j.period_start
         WHERE j.status = {BREACHED} AND b.status = {WITHDRAWN}),
       (SELECT count(*) FROM wd),
       ch.contracts, ch.months
FROM (
    -- The contract-months whose set of credit-carrying breaches changed: a
    -- breach inserted, re-opened or withdrawn, or moved to another month
    -- because its period kind changed (the same period start now ends in
    -- another month). A credit does not depend on the breach's actual or
    -- severity, so only these months can need their caps shared out again.
    -- The main query sees the rows as they were before this statement, which
    -- is how the old month of a moved breach is found.
    SELECT COALESCE(array_agg(x.contract_id ORDER BY x.contract_id, x.credit_month),
                    ARRAY[]::bigint[]) AS contracts,
           COALESCE(array_agg(x.credit_month ORDER BY x.contract_id, x.credit_month),
                    ARRAY[]::date[]) AS months
    FROM (SELECT DISTINCT s.contract_id, y.credit_month
          FROM (SELECT br.sla_id, br.credit_month FROM br WHERE br.inserted
                UNION ALL
                SELECT wd.sla_id, wd.credit_month FROM wd
                UNION ALL
                SELECT j.sla_id, unnest(ARRAY[
                           b.credit_month,
                           date_trunc('month', j.period_end::timestamp)::date])
                FROM judged j
                JOIN {{stored_breaches}} b
                  ON b.sla_id = j.sla_id AND b.period_start = j.period_start
                WHERE j.status = {BREACHED}
                  AND (b.status = {WITHDRAWN}
                       OR b.credit_month <> date_trunc('month', j.period_end::timestamp)::date)
               ) y
          JOIN slas_sla s ON s.id = y.sla_id) x
) ch
"""

# The cap: the contract's at-risk amount, a column the database computes
# (contracts.models.Contract.at_risk_amount).
_AT_RISK = "ct.at_risk_amount"

_CREDIT_CTES = f"""
grp AS (
    {{groups}}
    UNION
    SELECT * FROM unnest(%(changed_contracts)s::bigint[], %(changed_months)s::date[])
),
c AS (
    -- DESIGN.md 2: at-risk amount = monthly charge x at-risk percent / 100; a
    -- breach's credit = at-risk amount x allocation percent / 100. KPIs carry
    -- none; waived and withdrawn breaches carry none and take no part in the
    -- cap (a waived breach keeps its uncapped figure to show what was waived).
    SELECT b.id, b.sla_id, b.period_start, grp.contract_id, grp.credit_month,
           b.credit_uncapped AS stored_uncapped, b.credit AS stored_credit,
           {_AT_RISK} AS cap,
           CASE WHEN s.kind = {SLA_KIND} AND b.status <> {WITHDRAWN}
                THEN round({_AT_RISK} * s.allocation_percent / 100, 2)
                ELSE 0 END AS uncapped,
           (s.kind = {SLA_KIND} AND b.status NOT IN {NOT_DUE}) AS due
    FROM grp
    JOIN contracts_contract ct ON ct.id = grp.contract_id
    JOIN slas_sla s ON s.contract_id = grp.contract_id
    -- A breach credited to month M ends in M, and no period is longer than a
    -- quarter (92 days): that range of period_start lets the unique
    -- (sla_id, period_start) index find the month's breaches of each SLA, one
    -- probe per SLA and month (OFFSET 0 keeps the planner from turning the
    -- probes into a hash of every breach).
    CROSS JOIN LATERAL (
        SELECT b.id, b.sla_id, b.period_start, b.status, b.credit_uncapped, b.credit
        FROM slas_breach b
        WHERE b.sla_id = s.id AND b.credit_month = grp.credit_month
          AND b.period_start BETWEEN grp.credit_month - 92
                                 AND (grp.credit_month + interval '1 month')::date - 1
        OFFSET 0) b
),
t AS (
    SELECT c.*,
           COALESCE(sum(c.uncapped) FILTER (WHERE c.due) OVER w, 0) AS total,
           -- The largest share settles the rounding difference: largest uncapped
           -- credit, then the lowest SLA id, then the earliest period.
           row_number() OVER (PARTITION BY c.contract_id, c.credit_month
                              ORDER BY c.due DESC, c.uncapped DESC, c.sla_id, c.period_start) AS rk
    FROM c
    WINDOW w AS (PARTITION BY c.contract_id, c.credit_month)
),
sh AS (
    SELECT t.*,
           CASE WHEN NOT t.due THEN 0
                WHEN t.total <= t.cap THEN t.uncapped
                ELSE round(t.cap * t.uncapped / t.total, 2) END AS share
    FROM t
),
fin AS (
    SELECT sh.id, sh.uncapped, sh.stored_uncapped, sh.stored_credit,
           sh.share + CASE WHEN sh.rk = 1 AND sh.due AND sh.total > sh.cap
                           THEN sh.cap - sum(sh.share) OVER (PARTITION BY sh.contract_id,
                                                                          sh.credit_month)
                           ELSE 0 END AS credit
    FROM sh
),
credit_changes AS (
    SELECT fin.id, fin.uncapped, fin.credit
    FROM fin
    WHERE (fin.stored_uncapped, fin.stored_credit) IS DISTINCT FROM (fin.uncapped, fin.credit)
)"""

EB_LAST_START = f"(b.period_start::timestamp + ct.earn_back_periods * {step_sql('s.period')})::date"


def _eb_start(row: str, k: str) -> str:
    """Start of the ``k``-th period after the breached one: ``k`` steps on from its start."""
    return f"({row}.period_start::timestamp + ({k}) * {step_sql(f'{row}.period')})::date"


# Last day of period t - 1 after the breached one (t: the period holding today).
_EB_BEFORE_LAST_END = period_end_sql("eb.period", _eb_start("eb", "eb.t - 1"))

_EARN_BACK_CTES = f"""
eb AS (
    SELECT b.id, b.sla_id, b.period_start, b.earn_back AS stored, s.period,
           ct.earn_back_periods AS n,
           (ct.earn_back_periods > 0 AND s.kind = {SLA_KIND}
            AND b.status NOT IN {NOT_DUE}) AS applies,
           {EB_LAST_START} AS last_start,
           -- t: index of the period holding today, counted from the breached one.
           {period_index_sql("s.period", "b.period_start", "%(today)s::date")} AS t
    FROM slas_breach b
    JOIN slas_sla s ON s.id = b.sla_id
    JOIN contracts_contract ct ON ct.id = s.contract_id
    WHERE {{earn_back_scope}}
),
ended AS (
    -- e: how many of the N have ended (last day before today), computed
    -- rather than counted. They are a prefix 1..e: with t the index of the
    -- period holding today, periods up to t - 2 have ended and t onwards have
    -- not; t - 1 has ended unless its last day is today or later. That never
    -- happens to a breach on a period boundary (t - 1 ends the day before t
    -- starts), only to one kept from an earlier period kind, whose steps from
    -- a 29th-31st are shortened by short months (periods.period_index_sql).
    SELECT eb.*,
           greatest(0, least(eb.n,
               CASE WHEN {_EB_BEFORE_LAST_END} < %(today)s::date
                    THEN eb.t - 1 ELSE eb.t - 2 END)) AS e
    FROM eb
),
calc AS (
    -- DESIGN.md 2: earned back when the SLA is met or at risk in each of the N
    -- periods right after the breached one; a breached period, or one with no
    -- data, among them means no earn-back; pending until those N have ended.
    -- One range scan of the (sla_id, period_start) index per breach reads the
    -- Results of those N periods: any breached one, and how many of the e
    -- ended ones have a Result (fewer than e: an ended period had no data).
    SELECT en.id, en.stored,
           CASE WHEN NOT en.applies THEN {EB_NOT_APPLICABLE}
                WHEN w.breached OR w.ended_with_result < en.e THEN {EB_NOT_EARNED}
                WHEN en.e = en.n THEN {EB_EARNED_BACK}
                ELSE {EB_PENDING} END AS earn_back
    FROM ended en
    LEFT JOIN LATERAL (
        SELECT bool_or(r.status = {BREACHED}) AS breached,
               count(*) FILTER (WHERE x.k <= en.e) AS ended_with_result
        FROM slas_result r
        CROSS JOIN LATERAL (
            SELECT {period_index_sql("en.period", "en.period_start", "r.period_start")} AS k) x
        WHERE en.applies
          AND r.sla_id = en.sla_id
          AND r.period_start > en.period_start AND r.period_start <= en.last_start
          -- Only the Results of periods on the breach's grid (not a Result
          -- left from an earlier period kind that starts in between).
          AND {_eb_start("en", "x.k")} = r.period_start
    ) w ON true
),
earn_back_changes AS (
    SELECT calc.id, calc.earn_back FROM calc WHERE calc.earn_back <> calc.stored
)"""

SETTLE = f"""
WITH
{_CREDIT_CTES},
{_EARN_BACK_CTES},
settled AS MATERIALIZED (
    -- Credits and earn-back do not depend on each other (both only on the
    -- breach's status and definitions), so a breach whose credit and earn-back
    -- both change is written once: a first evaluation rewrote every new breach
    -- twice after inserting it, each time a new row version and audit event.
    SELECT COALESCE(cc.id, ec.id) AS id, cc.uncapped, cc.credit, ec.earn_back
    FROM credit_changes cc
    FULL JOIN earn_back_changes ec ON ec.id = cc.id
)
-- Only the changed breaches are written, found by id: joined to the table as a
-- set, the months' breaches (estimated at 20 times their number when the
-- months come from a touched batch) made PostgreSQL hash the whole breach
-- table to update a few thousand rows. The guard repeats the comparison for
-- a concurrent writer.
UPDATE slas_breach b
SET credit_uncapped = COALESCE(st.uncapped, b.credit_uncapped),
    credit = COALESCE(st.credit, b.credit),
    earn_back = COALESCE(st.earn_back, b.earn_back),
    updated_at = now()
FROM settled st
WHERE b.id = ANY(ARRAY(SELECT id FROM settled)) AND b.id = st.id
  AND (b.credit_uncapped, b.credit, b.earn_back)
      IS DISTINCT FROM
      (COALESCE(st.uncapped, b.credit_uncapped), COALESCE(st.credit, b.credit),
       COALESCE(st.earn_back, b.earn_back))
"""

TOTALS = f"""
SELECT count(*) FILTER (WHERE b.status <> {WITHDRAWN}),
       count(*) FILTER (WHERE b.status = {WITHDRAWN}),
       COALESCE(sum(b.credit), 0)
FROM slas_breach b
WHERE {{breach_scope}}
"""

LOCK = """
WITH keys AS ({lock_keys})
SELECT count(*) FROM (
    SELECT pg_advisory_xact_lock(%(lock_ns)s, k.contract_id::int)
    FROM (SELECT contract_id FROM keys ORDER BY contract_id OFFSET 0) k
) q
"""


def render(template: str, fragments: dict[str, str]) -> str:
    """Fill a statement template with a scope's fragments."""
    return template.format(**fragments)
