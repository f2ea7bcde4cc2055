"""Benchmark of the escalation engine over the benchmark portfolio, after a day's evaluation.

    python bench/escalations.py [--slas 20000] [--days 500] [--db covenant_bench] [--quick]
    make bench BENCH_ARGS="--escalations"      # bench/run.py, then this script

A benchmark, not a test. On the portfolio of ``bench/generate.py`` (re-used
when present, generated and evaluated otherwise) it gives every vendor an
escalation plan (8 h, 24 h, 48 h; N = 2), ingests and evaluates one new day
for every SLA, and then times, with their number of SQL queries:

1. open     ``escalations_open_from_results`` the morning after (the hook's work)
2. reopen   the same again (recomputation: opens nothing)
3. advance  ``escalations_advance`` a day later: every escalation moves once
4. rerun    the same moment again (moves nothing)
5. climb    five days later: the rest of the ladder, the top level flagged overdue

Goal (issue #10): the advance job under 1 s with a constant number of
queries. Each step reports its wall time, the CPU time of the PostgreSQL
backend that ran it (when the server is on this machine) and the load
average. Figures go to bench/out/escalations.json and BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLANS_SQL = """
INSERT INTO governance_escalationplan (created_at, updated_at, vendor_id, contract_id,
    consecutive_breaches)
SELECT now(), now(), v.id, NULL, 2 FROM vendors_vendor v
ON CONFLICT DO NOTHING
"""
LEVELS_SQL = """
INSERT INTO governance_escalationlevel (created_at, updated_at, plan_id, level, name,
    contact_user_id, contact_id, response_hours, is_executive)
SELECT now(), now(), p.id, l.level, l.name, %(user)s, NULL, l.hours, l.executive
FROM governance_escalationplan p
CROSS JOIN (VALUES (1, 'Service manager', 8, false), (2, 'Head of sourcing', 24, false),
                   (3, 'Chief information officer', 48, true)) AS l(level, name, hours, executive)
ON CONFLICT DO NOTHING
"""


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slas", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=500)
    parser.add_argument("--db", default="covenant_bench", help="bench database name")
    parser.add_argument("--quick", action="store_true", help="500 SLAs × 60 days smoke run")
    args = parser.parse_args()
    if args.quick:
        args.slas, args.days = 500, 60
    return args


def prepare(args) -> dict:
    """The portfolio, evaluated; every vendor with a plan; no escalations yet."""
    import django
    from django.core.management import call_command

    from bench import db, generate

    facts: dict = {}
    reuse = generate.dataset_matches(slas=args.slas, days=args.days)
    if not reuse:
        log(f"creating database {db.database_name()} (fresh)")
        db.database_create(drop_first=True)
    django.setup()
    log("migrating")
    call_command("migrate", verbosity=0, interactive=False)
    if not reuse:
        log(f"generating {args.slas:,} SLAs × {args.days} days")
        generate.generate(slas=args.slas, days=args.days, log=log)
    from django.contrib.auth import get_user_model
    from django.db import connection

    from slas.evaluation import evaluate
    from slas.models import Result

    if not Result.objects.exists():
        log("evaluating the portfolio (no results yet)")
        t0 = time.perf_counter()
        evaluate()
        facts["full_evaluation_s"] = time.perf_counter() - t0
    user, _ = get_user_model().objects.get_or_create(username="bench-escalations")
    with connection.cursor() as cur:
        cur.execute("TRUNCATE governance_escalation, governance_escalationtimelineevent CASCADE")
        cur.execute(PLANS_SQL)
        cur.execute(LEVELS_SQL, {"user": user.pk})
        cur.execute("SELECT count(*) FROM governance_escalationplan")
        facts["plans"] = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM slas_breach WHERE status <> 'withdrawn'")
        facts["breaches"] = cur.fetchone()[0]
    return facts


def a_day(args) -> dict:
    """One new day for every SLA, ingested and evaluated (as the daily feed does)."""
    from bench import generate, ingest
    from slas.evaluation import evaluate_touched
    from slas.models import SLA

    day = generate.first_extra_day(days=args.days)
    sla_ids = list(SLA.objects.order_by("id").values_list("id", flat=True))
    log(f"a day's evaluation: {day} for {len(sla_ids):,} SLAs")
    ingest.bare_upsert(rows=ingest.rows_for(sla_ids=sla_ids, first_day=day, count=len(sla_ids)))
    t0 = time.perf_counter()
    summary = evaluate_touched(touched=[(sla_id, day) for sla_id in sla_ids])
    seconds = time.perf_counter() - t0
    return {"day": day.isoformat(), "evaluation_s": seconds, "summary": str(summary)}


def server_cpu_seconds() -> float | None:
    """CPU time (user + system) used so far by this connection's PostgreSQL backend.

    Read from /proc when the server runs on this machine (None otherwise). On a
    shared, loaded machine the wall time counts the waits for a core as well;
    the backend's CPU time is what the statements cost by themselves.
    """
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label: str, fn) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cpu_before = server_cpu_seconds()
    with CaptureQueriesContext(connection) as queries:
        t0 = time.perf_counter()
        report = fn()
        seconds = time.perf_counter() - t0
    cpu_after = server_cpu_seconds()
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    out = {
        "seconds": seconds,
        "server_cpu_s": cpu,
        "queries": len(queries.captured_queries),
        "load_average": os.getloadavg()[0],
        **vars(report),
    }
    cpu_text = f", server CPU {cpu * 1000:.0f} ms" if cpu is not None else ""
    log(
        f"{label}: {seconds * 1000:.0f} ms{cpu_text}, {out['queries']} queries, "
        f"load {out['load_average']:.1f}, {vars(report)}"
    )
    return out


def main() -> None:
    args = parse_args()
    from bench import db

    db.bench_environment(db_name=args.db, redis_url=None)
    results: dict = {"slas": args.slas, "days": args.days, **prepare(args)}
    results["day"] = a_day(args)

    from governance.escalation import escalations_advance, escalations_open_from_results
    from governance.models import Escalation

    morning = datetime.combine(
        datetime.fromisoformat(results["day"]["day"]).date() + timedelta(days=1),
        clock(2, 30),
        tzinfo=UTC,
    )
    results["open"] = timed("open", lambda: escalations_open_from_results(at=morning))
    results["escalations"] = Escalation.objects.count()
    results["reopen"] = timed(
        "reopen", lambda: escalations_open_from_results(at=morning + timedelta(minutes=5))
    )
    later = morning + timedelta(days=1)
    results["advance"] = timed("advance", lambda: escalations_advance(now=later))
    results["rerun"] = timed("rerun", lambda: escalations_advance(now=later))
    results["climb"] = timed("climb", lambda: escalations_advance(now=morning + timedelta(days=5)))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "escalations.json").write_text(json.dumps(results, indent=2, default=str))
    log(f"written {out / 'escalations.json'}")


if __name__ == "__main__":
    main()
