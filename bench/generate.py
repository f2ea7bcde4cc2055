"""The benchmark portfolio, generated set-based in SQL and re-used between runs.

Shape (for N SLAs over D days, defaults 20,000 × 500 = 10 million measurements):

* 400 vendors, 1,000 contracts (at-risk 10–15 % of a 50–100 k€ monthly charge,
  earn-back 0, 1 or 2 periods), N SLAs spread evenly over the contracts, 20
  per contract at the default size, with consecutive ids per contract (SLAs
  are entered contract by contract).
* Every 5th SLA is a KPI (no allocation); the SLAs carry 8 % of the at-risk
  pool each, so a contract's allocations add up to more than 100 % and the
  monthly cap bites when many of them breach together.
* Periods: 1/7 daily, 2/7 weekly, 3/7 monthly, 1/7 quarterly. Aggregations:
  mean (1/3), sum, min, max, last. Half higher-is-better, half lower-is-better
  (the values are mirrored around 100). 6 in 7 have warning and critical levels.
* One measurement per SLA per day from 2024-01-01 (a Monday and a quarter
  start, so every SLA's first period is whole): a slow sine drift (period
  180–300 days) plus uniform noise, so that results are a realistic mix of
  met, at risk and breached, with runs of consecutive breaches.

The audit triggers (pghistory) are bypassed ONLY for these generation
statements, with ``SET session_replication_role = replica`` on the generating
connection; every measured step runs with the triggers on, as in production.
A marker table (``bench_meta``) records the size, so a later run of the same
size re-uses the data.
"""

from __future__ import annotations

import json
import time
from datetime import date, timedelta

from bench import db

START = date(2024, 1, 1)
GENERATOR_VERSION = 3
VENDORS = 400
CONTRACTS = 1000
CHUNK_SLAS = 1000  # measurements are inserted per 1,000 SLAs, one commit each

_VENDORS_SQL = """
INSERT INTO vendors_vendor (created_at, updated_at, name, legal_name, country, service_type,
    services_description, tier, tier_reason, status)
SELECT now(), now(), format('Bench vendor %%s', lpad(g::text, 5, '0')),
    format('Bench vendor %%s Ltd', g), 'France', (ARRAY['bpo', 'ito', 'both'])[1 + g %% 3],
    '', 1 + g %% 4, '', 'active'
FROM generate_series(1, %(vendors)s) AS g
"""

_CONTRACTS_SQL = """
INSERT INTO contracts_contract (created_at, updated_at, reference, title, contract_type,
    start_date, end_date, renewal, renewal_months, notice_days, notice_deadline, currency,
    monthly_charge, total_value, at_risk_percent, earn_back_periods, baseline_annual_cost,
    target_savings_percent, transition_cost, scope_in, scope_out, status, parent_id, vendor_id)
SELECT now(), now(), format('BENCH-%%s', lpad(g::text, 6, '0')), format('Bench contract %%s', g),
    'msa', %(start)s::date - 30, %(start)s::date + 1500, 'automatic', 12, 90,
    %(start)s::date + 1410, 'EUR', 50000 + (g %% 51) * 1000, (50000 + (g %% 51) * 1000) * 50,
    10 + g %% 6, g %% 3, 700000, 15, 0, '', '', 'active', NULL, v.id
FROM generate_series(1, %(contracts)s) AS g
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM vendors_vendor) AS v
    ON v.rn = (g - 1) %% %(vendors)s
"""

# t_hi: the target as if higher were better; scale: how many days a "sum"
# aggregates (targets of sums scale with the period). Lower-is-better SLAs get
# the mirror image around 100 (value 200 - x), so their rules mirror too.
_SLAS_SQL = """
WITH p AS (
    SELECT g,
        CASE WHEN g %% 5 = 0 THEN 'kpi' ELSE 'sla' END AS kind,
        g %% 2 = 0 AS hib,
        (ARRAY['daily', 'weekly', 'weekly', 'monthly', 'monthly', 'monthly', 'quarterly'])
            [1 + (g / 2) %% 7] AS period,
        (ARRAY['mean', 'mean', 'sum', 'min', 'max', 'last'])[1 + (g / 14) %% 6] AS aggregation,
        g %% 7 <> 3 AS has_levels
    FROM generate_series(1, %(slas)s) AS g
), s AS (
    SELECT p.*,
        CASE WHEN aggregation = 'sum' THEN
            CASE period WHEN 'daily' THEN 1 WHEN 'weekly' THEN 7 WHEN 'monthly' THEN 30 ELSE 90 END
        ELSE 1 END AS scale
    FROM p
), t AS (
    SELECT s.*,
        CASE aggregation WHEN 'min' THEN 90 WHEN 'max' THEN 97 ELSE 96 * scale END AS t_hi
    FROM s
)
INSERT INTO slas_sla (created_at, updated_at, name, kind, category, focus, description, unit,
    direction, target, warning_level, critical_level, period, aggregation, allocation_percent,
    effective_from, effective_to, contract_id)
SELECT now(), now(), format('Bench SLA %%s', g), kind,
    (ARRAY['availability', 'responsiveness', 'quality', 'efficiency', 'satisfaction'])[1 + g %% 5],
    CASE WHEN g %% 3 = 0 THEN 'outcome' ELSE 'operational' END, '', 'pts',
    CASE WHEN hib THEN 'higher_is_better' ELSE 'lower_is_better' END,
    CASE WHEN hib THEN t_hi ELSE 200 * scale - t_hi END,
    CASE WHEN NOT has_levels THEN NULL
        WHEN hib THEN t_hi + 2 * scale ELSE 200 * scale - t_hi - 2 * scale END,
    CASE WHEN NOT has_levels THEN NULL
        WHEN hib THEN t_hi - 4 * scale ELSE 200 * scale - t_hi + 4 * scale END,
    period, aggregation, CASE WHEN kind = 'sla' THEN 8 ELSE 0 END,
    %(start)s::date, NULL, c.id
FROM t
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM contracts_contract) AS c
    ON c.rn = ((g - 1)::bigint * %(contracts)s) / %(slas)s
ORDER BY g
"""

_MEASUREMENTS_SQL = """
INSERT INTO slas_measurement (created_at, updated_at, sla_id, date, value, source, note,
    recorded_by_id)
SELECT now(), now(), s.id, %(start)s::date + d,
    round((CASE WHEN s.direction = 'higher_is_better' THEN x ELSE 200 - x END)::numeric, 3),
    'import', '', NULL
FROM (SELECT id, direction FROM slas_sla WHERE id >= %(lo)s AND id < %(hi)s ORDER BY id) AS s
CROSS JOIN LATERAL generate_series(%(first_day)s, %(last_day)s) AS d
CROSS JOIN LATERAL (
    SELECT 100 + 5 * sin(2 * pi() * d / (180 + s.id %% 120) + (s.id %% 97) * 2 * pi() / 97)
        + 10 * (random() - 0.5) AS x
) AS v
"""


def _meta_read(cur) -> dict | None:
    cur.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb)")
    cur.execute("SELECT value FROM bench_meta WHERE key = 'dataset'")
    row = cur.fetchone()
    return row[0] if row else None


def wanted(*, slas: int, days: int) -> dict:
    return {"version": GENERATOR_VERSION, "slas": slas, "days": days, "start": START.isoformat()}


def dataset_matches(*, slas: int, days: int) -> bool:
    """Whether the bench database already holds a complete dataset of this size."""
    if not db.database_exists():
        return False
    conn = db.connect()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT to_regclass('slas_measurement') IS NOT NULL")
            if not cur.fetchone()[0]:
                return False
            meta = _meta_read(cur)
    finally:
        conn.close()
    if not meta:
        return False
    want = wanted(slas=slas, days=days)
    return all(meta.get(key) == value for key, value in want.items())


def generate(*, slas: int, days: int, log) -> dict:
    """Fill an empty, migrated bench database; return timings and row counts."""
    # 20 SLAs per contract and 2.5 contracts per vendor, up to 1,000 and 400.
    contracts = min(CONTRACTS, max(1, slas // 20))
    params = {
        "vendors": min(VENDORS, max(1, contracts * 2 // 5)),
        "contracts": contracts,
        "slas": slas,
        "start": START,
    }
    timings: dict[str, float] = {}
    conn = db.connect()
    try:
        with conn.cursor() as cur:
            # Generation only: no audit events, no FK triggers. The measured steps
            # use fresh connections where the triggers fire as in production.
            cur.execute("SET session_replication_role = replica")
            cur.execute("SELECT setseed(0.42)")  # the same values on every machine
            t0 = time.perf_counter()
            cur.execute(_VENDORS_SQL, params)
            cur.execute(_CONTRACTS_SQL, params)
            cur.execute(_SLAS_SQL, params)
            timings["portfolio_s"] = time.perf_counter() - t0
            cur.execute("SELECT min(id), max(id) FROM slas_sla")
            lo, hi = cur.fetchone()
            t0 = time.perf_counter()
            for chunk_lo in range(lo, hi + 1, CHUNK_SLAS):
                cur.execute(
                    _MEASUREMENTS_SQL,
                    {
                        "start": START,
                        "lo": chunk_lo,
                        "hi": chunk_lo + CHUNK_SLAS,
                        "first_day": 0,
                        "last_day": days - 1,
                    },
                )
                done = min(chunk_lo + CHUNK_SLAS - lo, slas)
                log(f"  measurements: {done:,}/{slas:,} SLAs ({time.perf_counter() - t0:.0f} s)")
            timings["measurements_s"] = time.perf_counter() - t0
            cur.execute("RESET session_replication_role")
            t0 = time.perf_counter()
            # Freeze and analyse once, so that the measured steps neither set hint
            # bits on 10 M fresh rows nor run on statistics-free tables.
            for table in ("vendors_vendor", "contracts_contract", "slas_sla", "slas_measurement"):
                cur.execute(f"VACUUM (FREEZE, ANALYZE) {table}")
            timings["vacuum_analyze_s"] = time.perf_counter() - t0
            cur.execute("SELECT count(*) FROM slas_measurement")
            count = cur.fetchone()[0]
            meta = {**wanted(slas=slas, days=days), "measurements": count, **timings}
            _meta_read(cur)
            cur.execute(
                "INSERT INTO bench_meta (key, value) VALUES ('dataset', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [json.dumps(meta)],
            )
    finally:
        conn.close()
    return meta


def dataset_meta() -> dict:
    conn = db.connect()
    try:
        with conn.cursor() as cur:
            return _meta_read(cur) or {}
    finally:
        conn.close()


def first_extra_day(*, days: int) -> date:
    """The first day after the generated data: the benchmark's "new day"."""
    return START + timedelta(days=days)


def reset(*, days: int) -> None:
    """Bring the database back to "generated data, nothing evaluated".

    Removes what earlier runs added (measurements after the generated days,
    results, breaches, their audit events), so every run starts from the same
    state and the first full evaluation is a cold one.
    """
    conn = db.connect()
    try:
        with conn.cursor() as cur:
            cur.execute("SET session_replication_role = replica")
            cur.execute(
                "DELETE FROM slas_measurement WHERE date >= %s", [first_extra_day(days=days)]
            )
            cur.execute("RESET session_replication_role")
            cur.execute(
                "SELECT string_agg(quote_ident(tablename), ', ') FROM pg_tables "
                "WHERE schemaname = 'public' AND (tablename IN ('slas_result', 'slas_breach', "
                "'slas_breachtransition') OR (tablename LIKE 'slas\\_%%event' "
                "AND tablename NOT IN ('slas_slaevent')))"
            )
            tables = cur.fetchone()[0]
            # CASCADE: rows elsewhere that point at breaches (escalations, action
            # items) exist only because of earlier runs of this benchmark.
            cur.execute(f"TRUNCATE {tables} CASCADE")
            cur.execute("DROP TABLE IF EXISTS bench_floor, bench_floor_serial, bench_floor_durable")
            cur.execute("VACUUM ANALYZE slas_measurement")
    finally:
        conn.close()
