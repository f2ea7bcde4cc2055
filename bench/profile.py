"""Where one evaluation batch spends its time: EXPLAIN ANALYZE of each engine statement.

    python bench/profile.py [--db covenant_bench] [--batch N] [--touched]

A diagnostic next to the benchmark (it reaches into the engine's internals,
``slas.evaluation.sql``, so it may need adjusting when those change). It runs
the statements of one batch of a full evaluation (or, with ``--touched``, of
an ``evaluate_touched`` of one day for every SLA of that batch) exactly as
``slas.evaluation.engine`` renders them, each under EXPLAIN (ANALYZE, BUFFERS),
inside one transaction that is rolled back: the database is left unchanged.
Writes bench/out/profile.txt.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="covenant_bench")
    parser.add_argument("--batch", type=int, default=0, help="index of the batch to profile")
    parser.add_argument("--touched", action="store_true", help="profile evaluate_touched")
    parser.add_argument(
        "--cold", action="store_true", help="empty the batch's results and breaches first"
    )
    parser.add_argument(
        "--new-day",
        action="store_true",
        help="with --touched: first add the next day's measurement of every SLA of the batch "
        "(inside the rolled-back transaction), as the benchmark's incremental step does",
    )
    parser.add_argument(
        "--since", type=date.fromisoformat, help="range scope: periods ending on/after DATE"
    )
    parser.add_argument(
        "--max-slas", type=int, default=None, help="batch size (default: the engine's)"
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="SET LOCAL before the statements (repeatable), e.g. pgtrigger.ignore={}",
    )
    args = parser.parse_args()
    from bench import db

    db.bench_environment(db_name=args.db, redis_url=None)
    import django

    django.setup()
    from django.db import connection, transaction

    from core.audit import actor_context, prime_audit_triggers
    from slas.evaluation import engine, plan_batches, scopes, sql
    from slas.evaluation.periods import since_floor

    default_size = engine.TOUCHED_MAX_SLAS if args.touched else engine.MAX_SLAS
    batch = plan_batches(max_slas=args.max_slas or default_size)[args.batch]
    # EXPLAIN does not hand EVALUATE's changed months on: a touched profile shares
    # out every touched month's cap again (refresh_credits), a range one its batch's.
    params = {
        "lock_ns": sql.LOCK_NAMESPACE,
        "today": date.today(),
        "changed_contracts": "{}",
        "changed_months": "{}",
        "refresh_credits": True,
    }
    if args.touched:
        # The day after the latest measurement (earlier runs may have fed days
        # past the generated ones), or with no --new-day that latest day itself.
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(date) FROM slas_measurement")
            day = cursor.fetchone()[0]
        if args.new_day:
            day += timedelta(days=1)
        ids = list(range(batch.sla_lo, batch.sla_hi + 1))
        fragments = scopes.touched_fragments()
        params |= {
            "t_ids": engine.pg_array(ids),
            "t_dates": engine.pg_array([day] * len(ids)),
            "contract_lo": batch.contract_lo,
            "contract_hi": batch.contract_hi,
        }
    else:
        fragments = scopes.range_fragments(with_ids=False, with_since=args.since is not None)
        params |= {
            "contract_lo": batch.contract_lo,
            "contract_hi": batch.contract_hi,
            "sla_lo": batch.sla_lo,
            "sla_hi": batch.sla_hi,
            "sla_ids": None,
            "since": args.since,
            "since_floor": since_floor(args.since) if args.since else None,
        }
    lines = [
        f"batch {batch}",
        f"touched: {args.touched}",
        f"cold: {args.cold}",
        f"since: {args.since}",
        f"settings: {args.set}",
        "",
    ]
    try:
        with (
            transaction.atomic(),
            actor_context(source="evaluation"),
            connection.cursor() as cursor,
        ):
            # As engine._run_steps does: without these the audit triggers take
            # a slow path and the profile would not show the engine's costs.
            prime_audit_triggers(cursor)
            cursor.execute("SET LOCAL jit = off")
            for setting in args.set:
                name, _, value = setting.partition("=")
                cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
            if args.touched and args.new_day:
                cursor.execute(
                    """INSERT INTO slas_measurement (created_at, updated_at, sla_id, date,
                           value, source, note)
                       SELECT now(), now(), s.id, %s, 97.5, 'api', ''
                       FROM slas_sla s WHERE s.id = ANY(%s)""",
                    [day, ids],
                )
            if args.touched:
                cursor.execute(scopes.TOUCHED_TARGETS, params)
            cursor.execute(sql.render(sql.LOCK, fragments), params)
            if args.cold:
                # As on a first evaluation: nothing stored yet for this batch's SLAs.
                for table in ("slas_breach", "slas_result"):
                    cursor.execute(
                        f"DELETE FROM {table} WHERE sla_id BETWEEN %s AND %s",
                        [batch.sla_lo, batch.sla_hi],
                    )
                # Their own deferred checks (breach transitions) run now, not below.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for name in ("EVALUATE", "SETTLE", "TOTALS"):
                statement = sql.render(getattr(sql, name), fragments)
                t0 = time.perf_counter()
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, WAL) " + statement, params)
                plan = [row[0] for row in cursor.fetchall()]
                lines += [f"=== {name}: {time.perf_counter() - t0:.2f} s", *plan, ""]
                print(lines[-len(plan) - 2], flush=True)
            # What COMMIT would do first: the deferred constraint checks queued by
            # the statements (a per-row foreign-key check was 0.8 s of every cold
            # batch, unseen here while the profile only rolled back).
            t0 = time.perf_counter()
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            lines += [
                f"=== deferred constraint checks (at commit): {time.perf_counter() - t0:.2f} s"
            ]
            print(lines[-1], flush=True)
            raise _Rollback
    except _Rollback:
        pass
    out = ROOT / "bench" / "out" / "profile.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines))
    print(f"written: {out}")


class _Rollback(Exception):
    """Leaves the profiled transaction without committing anything."""


if __name__ == "__main__":
    main()
