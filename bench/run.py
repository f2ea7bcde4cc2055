"""Covenant benchmark: SLA evaluation and measurement ingestion at portfolio scale.

    python bench/run.py [--slas 20000] [--days 500] [--db covenant_bench] [--quick] [--fresh]
                        [--qbr | --qbr-only] [--qbr-vendors 200] [--qbr-repeat 3]
    make bench BENCH_ARGS="--quick"
    make bench BENCH_ARGS="--qbr-only"          # the QBR reports alone (bench/qbr.py)

A benchmark, not a test: it prints a table and writes bench/out/results.json
(and a copy named after the size). Steps, in one run:

1. data     generate (or re-use) N SLAs × D daily measurements (bench/generate.py)
2. floor    one hand-written aggregation statement over everything (bench/floor.py)
3. full     slas.evaluation.evaluate() over everything, cold (empty results) then
            warm (nothing changed), each in its own process (bench/evalproc.py),
            and a third run limited to the last ~100 days, for peak memory vs size
4. incr     one new day for every SLA, then evaluate_touched() of those N pairs; again for
            the next days (--incr-days, default 5), each after a CHECKPOINT: the first day
            after the full evaluations, then the daily feed
5. ingest   POST /api/v1/measurements/ over HTTP vs a bare SQL upsert (bench/ingest.py)

With ``--qbr`` (after the steps above) or ``--qbr-only`` (instead of them),
bench/qbr.py's three measurements run in their own process and database
(``covenant_bench_qbr``): one report for a vendor with 25 SLAs (gathering and
charts against WeasyPrint alone), reports per minute with two Celery workers
on ``--qbr-redis-url``, and the portfolio pack for ``--qbr-vendors`` vendors
(200; 20 with ``--quick``). Figures in bench/out/qbr.json.

Uses DATABASE_URL's server (or the embedded one) with its own database; see
BENCHMARKS.md for the figures and how they were obtained.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STEPS = ("floor", "full", "memory", "incr", "ingest")


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slas", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=500)
    parser.add_argument("--db", default="covenant_bench", help="bench database name")
    parser.add_argument("--quick", action="store_true", help="500 SLAs × 60 days smoke run")
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the data")
    parser.add_argument(
        "--ingest-rows", type=int, default=100_000, help="rows sent through the API"
    )
    parser.add_argument(
        "--incr-days",
        type=int,
        default=5,
        help="days of the incremental step: the first, then the daily feed going on",
    )
    parser.add_argument(
        "--memory-days", type=int, default=100, help="days of the smaller memory run"
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/13",
        help="worker-less Redis database the API server queues evaluations on ('' = eager)",
    )
    parser.add_argument(
        "--pg-options",
        default="",
        help="libpq PGOPTIONS for every connection of the run, e.g. '-c pgtrigger.ignore={}'",
    )
    parser.add_argument(
        "--task-context",
        action="store_true",
        help="evaluate inside pghistory.context(source='evaluation'), as slas.tasks does",
    )
    parser.add_argument(
        "--fk-cost",
        action="store_true",
        help="also time a cold evaluation without the Results'/Breaches' SLA foreign keys",
    )
    parser.add_argument("--skip", default="", help=f"comma-separated steps among {STEPS}")
    parser.add_argument("--explain", action="store_true", help="keep EXPLAIN ANALYZE of the floor")
    parser.add_argument(
        "--escalations",
        action="store_true",
        help="afterwards, bench/escalations.py on the same database (issue #10)",
    )
    qbr = parser.add_mutually_exclusive_group()
    qbr.add_argument("--qbr", action="store_true", help="afterwards, bench/qbr.py (issue #12)")
    qbr.add_argument("--qbr-only", action="store_true", help="only bench/qbr.py, no SLA steps")
    parser.add_argument("--qbr-vendors", type=int, default=None, help="vendors of the pack (200)")
    parser.add_argument("--qbr-repeat", type=int, default=None, help="runs of the one-report step")
    parser.add_argument(
        "--qbr-redis-url",
        default="redis://127.0.0.1:6379/7",
        help="Redis of the two QBR workers ('' skips the reports-per-minute step)",
    )
    args = parser.parse_args()
    # The QBR defaults: the 200 vendors and a median of 3; --quick: 20 and 1.
    if args.qbr_vendors is None:
        args.qbr_vendors = 20 if args.quick else 200
    if args.qbr_repeat is None:
        args.qbr_repeat = 1 if args.quick else 3
    if args.quick:
        args.slas, args.days = 500, 60
        args.ingest_rows = min(args.ingest_rows, 10_000)
        args.memory_days = min(args.memory_days, 20)
    args.skip = {step.strip() for step in args.skip.split(",") if step.strip()}
    return args


def machine_facts() -> dict:
    from bench import db

    mem_kb = 0
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "nproc": os.cpu_count(),
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_commit": commit,
        "database_url": os.environ["DATABASE_URL"],
        "redis_url_of_api_server": os.environ.get("REDIS_URL", "") or "(unset: eager)",
        **db.server_facts(),
    }


def prepare_database(args, results: dict) -> None:
    """Create/migrate the bench database and make sure it holds the wanted data."""
    import django
    from django.core.management import call_command

    from bench import db, generate

    reuse = not args.fresh and generate.dataset_matches(slas=args.slas, days=args.days)
    if not reuse:
        log(f"creating database {db.database_name()} (fresh)")
        db.database_create(drop_first=True)
    django.setup()
    log("migrating")
    call_command("migrate", verbosity=0, interactive=False)
    if reuse:
        meta = generate.dataset_meta()
        log(f"re-using {meta['measurements']:,} measurements generated earlier")
        results["data"] = {**meta, "reused": True}
    else:
        log(f"generating {args.slas:,} SLAs × {args.days} days")
        meta = generate.generate(slas=args.slas, days=args.days, log=log)
        results["data"] = {**meta, "reused": False}
    log("resetting results, breaches and extra measurements from earlier runs")
    generate.reset(days=args.days)


def eval_subprocess(*, since=None, task_context: bool = False) -> dict:
    cmd = [sys.executable, str(ROOT / "bench" / "evalproc.py")]
    if task_context:
        cmd.append("--task-context")
    if since is not None:
        cmd += ["--since", since.isoformat()]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=os.environ.copy())
    if proc.returncode != 0:
        raise RuntimeError(f"evaluation process failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def task_context(args):
    """The audit context slas.tasks opens around an evaluation, when --task-context."""
    import contextlib

    import pghistory

    if args.task_context:
        return pghistory.context(source="evaluation")
    return contextlib.nullcontext()


def step_floor(args, results: dict) -> None:
    from bench import floor

    log("floor: warming the cache with one scan, then the two floor statements")
    from bench import db

    conn = db.connect()
    with conn.cursor() as cur:
        t0 = time.perf_counter()
        cur.execute("SELECT count(*) FROM slas_measurement")
        results["scan_measurements_s"] = time.perf_counter() - t0
    conn.close()
    results["floor"] = floor.run(explain=args.explain)
    log(f"floor: {results['floor']['seconds']:.1f} s, {results['floor']['rows']:,} rows")


# Results and Breaches reference their SLA by a foreign key (issue 9); its cost
# is measured by a second cold evaluation with the two constraints dropped.
SLA_FK_QUERY = """
SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
FROM pg_constraint c
WHERE c.contype = 'f' AND c.confrelid = 'slas_sla'::regclass
  AND c.conrelid IN ('slas_result'::regclass, 'slas_breach'::regclass)
ORDER BY 1
"""


def cold_without_sla_fk(args) -> dict:
    """A cold evaluation with Results' and Breaches' SLA foreign keys dropped, then restored."""
    from bench import db, generate

    generate.reset(days=args.days)
    conn = db.connect()
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(SLA_FK_QUERY)
        constraints = cur.fetchall()
        for table, name, _ in constraints:
            cur.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    try:
        run = eval_subprocess(task_context=args.task_context)
    finally:
        with conn.cursor() as cur:
            for table, name, definition in constraints:
                cur.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        conn.close()
    run["constraints"] = [name for _, name, _ in constraints]
    return run


def step_full(args, results: dict) -> None:
    from bench import floor

    log("full evaluation, cold (no results yet), in its own process")
    cold = eval_subprocess(task_context=args.task_context)
    log(f"  cold: {cold['seconds']:.1f} s, peak RSS {cold['peak_rss_mb']:.0f} MB")
    if "floor" in results:
        cold["vs_floor"] = floor.compare_with_results()
    if args.fk_cost:
        log("full evaluation, cold, without the SLA foreign keys (their cost)")
        bare = cold_without_sla_fk(args)
        log(f"  cold without the foreign keys: {bare['seconds']:.1f} s")
        results["full_cold_without_sla_fk"] = bare
    log("full evaluation, warm (same data again), in its own process")
    warm = eval_subprocess(task_context=args.task_context)
    log(f"  warm: {warm['seconds']:.1f} s, peak RSS {warm['peak_rss_mb']:.0f} MB")
    results["full_cold"], results["full_warm"] = cold, warm


def step_memory(args, results: dict) -> None:
    from bench import db, generate

    since = generate.first_extra_day(days=args.days) - timedelta(days=args.memory_days)
    log(f"evaluation of the periods ending on/after {since} (~{args.memory_days} days)")
    small = eval_subprocess(since=since, task_context=args.task_context)
    conn = db.connect()
    with conn.cursor() as cur:
        cur.execute(
            "SELECT count(*), coalesce(sum(measurement_count), 0) FROM slas_result "
            "WHERE period_end >= %s",
            [since],
        )
        small["results_in_scope"], small["measurements_in_scope"] = map(int, cur.fetchone())
    conn.close()
    small["since"] = since.isoformat()
    results["memory_small"] = small
    log(f"  {small['seconds']:.1f} s, peak RSS {small['peak_rss_mb']:.0f} MB")


def step_incr(args, results: dict) -> None:
    """One new day for every SLA, evaluated; then the next days, as a daily feed goes on.

    The first day comes right after the full evaluations wrote 2 million fresh
    results (no vacuum yet, every page still to be touched once more); the
    days after it are the steady state of an integration's daily feed. Each
    day starts after a CHECKPOINT, as a feed a day apart always does: the
    first change to each page after a checkpoint writes the whole page to the
    WAL, and with the days a few seconds apart only the first would pay for
    it. It also keeps the server's own checkpoint, which the full evaluations'
    WAL starts, from writing out its pages during the first day or not, by
    chance of timing (0.9 s or 1.25 s for the same first day). Both are
    reported.
    """
    import statistics

    from bench import generate, ingest
    from slas.evaluation import evaluate_touched
    from slas.models import SLA

    first = generate.first_extra_day(days=args.days)
    sla_ids = list(SLA.objects.order_by("id").values_list("id", flat=True))
    days = []
    for k in range(args.incr_days):
        new_day = first + timedelta(days=k)
        rows = ingest.rows_for(sla_ids=sla_ids, first_day=new_day, count=len(sla_ids))
        log(f"incremental: ingesting {new_day} for {len(rows):,} SLAs (bare upsert), evaluating")
        ingest_s = ingest.bare_upsert(rows=rows)
        checkpoint()
        touched = [(sla_id, new_day) for sla_id in sla_ids]
        with task_context(args):
            t0 = time.perf_counter()
            summary = evaluate_touched(touched=touched)
            seconds = time.perf_counter() - t0
        days.append(
            {"day": new_day.isoformat(), "ingest_bare_s": ingest_s, "seconds": seconds,
             "summary": str(summary)}
        )  # fmt: skip
        log(f"  evaluate_touched: {seconds:.2f} s")
    later = [d["seconds"] for d in days[1:]]
    results["incremental"] = {
        **days[0],
        "touched": len(sla_ids),
        "days": days,
        "later_median_s": statistics.median(later) if later else None,
    }


def checkpoint() -> None:
    """CHECKPOINT the bench database (needs a superuser or pg_checkpoint; skipped without)."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError as exc:
        log(f"  (no CHECKPOINT: {exc})")


def step_ingest(args, results: dict) -> None:
    from bench import generate, ingest
    from slas.evaluation import evaluate_touched
    from slas.models import SLA

    sla_ids = list(SLA.objects.order_by("id").values_list("id", flat=True))
    per_set_days = -(-args.ingest_rows // len(sla_ids))
    # Days D … D+n-1 are the incremental step's; the API writes the next days,
    # the bare upsert the ones after: disjoint keys, both inserting into a
    # same-size table.
    api_first = generate.first_extra_day(days=args.days) + timedelta(days=args.incr_days)
    bare_first = api_first + timedelta(days=per_set_days)
    api_rows = ingest.rows_for(sla_ids=sla_ids, first_day=api_first, count=args.ingest_rows)
    bare_rows = ingest.rows_for(sla_ids=sla_ids, first_day=bare_first, count=args.ingest_rows)
    out: dict = {"rows": args.ingest_rows, "batch": ingest.BATCH}
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url and not ingest.redis_reachable(redis_url):
        raise RuntimeError(f"Redis at {redis_url} is not reachable; pass --redis-url ''")
    if redis_url:
        ingest.redis_purge(redis_url)
    out["evaluation_in_requests"] = "queued on a worker-less Redis" if redis_url else "eager"
    token = ingest.api_token()
    with ingest.ApiServer() as server:
        for mode, bump in (("insert", 0.0), ("update", 1.0)):
            api_bodies = ingest.bodies(
                ingest.rows_for(
                    sla_ids=sla_ids, first_day=api_first, count=args.ingest_rows, bump=bump
                )
            )
            log(f"ingest ({mode}): {args.ingest_rows:,} rows through the API")
            api = ingest.api_post(server=server, token=token, payloads=api_bodies)
            log(f"ingest ({mode}): the same number of rows through a bare upsert")
            bare_s = ingest.bare_upsert(
                rows=ingest.rows_for(
                    sla_ids=sla_ids, first_day=bare_first, count=args.ingest_rows, bump=bump
                )
            )
            out[mode] = {
                "api_s": api["seconds"],
                "api_rows_per_s": args.ingest_rows / api["seconds"],
                "api_per_request_s": api["per_request_s"],
                "bare_s": bare_s,
                "bare_rows_per_s": args.ingest_rows / bare_s,
                "api_over_bare_rate": bare_s / api["seconds"],
            }
            log(
                f"  API {out[mode]['api_rows_per_s']:,.0f} rows/s, "
                f"bare {out[mode]['bare_rows_per_s']:,.0f} rows/s"
            )
    if redis_url:
        out["queued_messages"] = ingest.redis_queue_length(redis_url)
        ingest.redis_purge(redis_url)
    touched = sorted({(sla_id, day) for sla_id, day, _ in api_rows})
    log(f"evaluation of what the API ingested ({len(touched):,} touched pairs), timed apart")
    with task_context(args):
        t0 = time.perf_counter()
        evaluate_touched(touched=touched)
        out["evaluate_touched_of_api_rows_s"] = time.perf_counter() - t0
    del bare_rows
    results["ingest"] = out


def cleanup(args) -> None:
    from bench import generate

    log("cleaning up: removing the extra days again")
    generate.reset(days=args.days)


GOALS = {
    # Issue 9: the cold full evaluation against the durable floor (a logged
    # table with the Results' indexes), now that Results keep a foreign key.
    "full_vs_durable_floor": 2.0,
    "incremental_s": 1.0,
    "api_over_bare_rate": 1 / 3,
    "peak_rss_mb": 500.0,
}


def summarize(results: dict) -> list[tuple[str, str, str, str]]:
    """(metric, value, goal, met?) rows of the printed table."""
    rows = []

    def add(metric, value, goal="", met=None):
        rows.append((metric, value, goal, "" if met is None else ("yes" if met else "NO")))

    data = results.get("data", {})
    add("measurements", f"{data.get('measurements', 0):,}")
    if "floor" in results:
        fl = results["floor"]
        add("floor, CTAS (parallel allowed)", f"{fl['ctas_s']:.1f} s")
        add("floor, INSERT … SELECT (serial)", f"{fl['insert_select_s']:.1f} s")
        if "durable_s" in fl:
            add("durable floor (logged, Results' indexes; reference)", f"{fl['durable_s']:.1f} s")
        add("floor rows (SLA × period)", f"{fl['rows']:,}")
    for key, label in (("full_cold", "cold"), ("full_warm", "warm")):
        if key in results:
            full = results[key]
            add(f"full evaluation, {label}", f"{full['seconds']:.1f} s")
            if "floor" in results:
                ratio = full["seconds"] / results["floor"]["seconds"]
                full["ratio_to_floor"] = ratio
                add(f"  {label} / floor", f"{ratio:.2f}x")
                if "durable_s" in results["floor"]:
                    durable = full["seconds"] / results["floor"]["durable_s"]
                    full["ratio_to_durable_floor"] = durable
                    goal = GOALS["full_vs_durable_floor"]
                    add(f"  {label} / durable floor", f"{durable:.2f}x", "≤ 2x", durable <= goal)
            if key == "full_cold" and "full_cold_without_sla_fk" in results:
                bare = results["full_cold_without_sla_fk"]["seconds"]
                add("  cold without the SLA foreign keys", f"{bare:.1f} s")
                add("  cost of the foreign keys (cold)", f"{full['seconds'] / bare - 1:+.0%}")
            add(
                f"  peak RSS ({label}, all days)",
                f"{full['peak_rss_mb']:.0f} MB",
                "< 500 MB",
                full["peak_rss_mb"] < GOALS["peak_rss_mb"],
            )
    if "vs_floor" in results.get("full_cold", {}):
        cmp_ = results["full_cold"]["vs_floor"]
        bad = cmp_["missing_in_results"] + cmp_["extra_in_results"] + cmp_["different"]
        add("results disagreeing with floor", f"{bad:,}", "0", bad == 0)
    if "memory_small" in results:
        small = results["memory_small"]
        add(
            f"peak RSS, last ~{results['args']['memory_days']} days",
            f"{small['peak_rss_mb']:.0f} MB ({small['measurements_in_scope']:,} meas.)",
        )
        if "full_warm" in results:
            growth = results["full_warm"]["peak_rss_mb"] / small["peak_rss_mb"]
            add("  peak RSS all / small", f"{growth:.2f}x", "flat (≤ 1.25x)", growth <= 1.25)
    if "incremental" in results:
        inc = results["incremental"]
        add(
            f"incremental, {inc['touched']:,} SLAs × 1 day, first day",
            f"{inc['seconds']:.2f} s",
            "< 1 s",
            inc["seconds"] < GOALS["incremental_s"],
        )
        if inc.get("later_median_s") is not None:
            later = ", ".join(f"{d['seconds']:.2f}" for d in inc["days"][1:])
            add(
                "  the next days (median)",
                f"{inc['later_median_s']:.2f} s ({later})",
                "< 1 s",
                inc["later_median_s"] < GOALS["incremental_s"],
            )
    if "ingest" in results:
        ing = results["ingest"]
        for mode in ("insert", "update"):
            if mode in ing:
                m = ing[mode]
                add(f"API ingest ({mode})", f"{m['api_rows_per_s']:,.0f} rows/s")
                add(f"bare upsert ({mode})", f"{m['bare_rows_per_s']:,.0f} rows/s")
                add(
                    f"  API / bare ({mode})",
                    f"{m['api_over_bare_rate']:.2f}",
                    "≥ 0.33",
                    m["api_over_bare_rate"] >= GOALS["api_over_bare_rate"],
                )
        if "evaluate_touched_of_api_rows_s" in ing:
            add(
                "evaluation of the API rows (apart)",
                f"{ing['evaluate_touched_of_api_rows_s']:.1f} s",
            )
    for step, error in results.get("errors", {}).items():
        last = [line for line in error.splitlines() if line.strip()][-1]
        add(f"{step}: FAILED", last.strip()[:70])
    return rows


def print_table(rows) -> None:
    widths = [max(len(r[i]) for r in rows + [("metric", "value", "goal", "met")]) for i in range(4)]
    header = ("metric", "value", "goal", "met")
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())


def run_qbr(args) -> int:
    """bench/qbr.py in its own process (it sets up its own database and Django)."""
    cmd = [
        sys.executable, str(ROOT / "bench" / "qbr.py"),
        "--vendors", str(args.qbr_vendors), "--repeat", str(args.qbr_repeat),
    ]  # fmt: skip
    if args.fresh:
        cmd.append("--fresh")  # rebuild the QBR database too
    env = os.environ.copy()
    if args.qbr_redis_url:
        env["REDIS_URL"] = args.qbr_redis_url
    else:
        env.pop("REDIS_URL", None)  # bench/qbr.py skips the workers' step without it
    log(f"QBR benchmark: {' '.join(cmd[1:])}")
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


def main() -> None:
    args = parse_args()
    if args.qbr_only:
        sys.exit(run_qbr(args))
    from bench import db

    db.bench_environment(db_name=args.db, redis_url=args.redis_url or None)
    if args.pg_options:
        os.environ["PGOPTIONS"] = args.pg_options  # libpq: this process and its children
    out_dir = ROOT / "bench" / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "args": {k: (sorted(v) if isinstance(v, set) else v) for k, v in vars(args).items()},
        "errors": {},
    }
    t_start = time.perf_counter()
    prepare_database(args, results)
    results["machine"] = machine_facts()
    steps = {
        "floor": step_floor,
        "full": step_full,
        "memory": step_memory,
        "incr": step_incr,
        "ingest": step_ingest,
    }
    try:
        for name, step in steps.items():
            if name in args.skip:
                continue
            try:
                step(args, results)
            except Exception:  # a failed step is reported; the others still run
                results["errors"][name] = traceback.format_exc()
                log(f"step {name} FAILED:\n{results['errors'][name]}")
    finally:
        cleanup(args)
    results["total_s"] = time.perf_counter() - t_start
    rows = summarize(results)
    results["table"] = [dict(zip(("metric", "value", "goal", "met"), r, strict=True)) for r in rows]
    text = json.dumps(results, indent=2, default=str)
    (out_dir / "results.json").write_text(text)
    (out_dir / f"results-{args.slas}x{args.days}.json").write_text(text)
    print()
    print_table(rows)
    print(f"\nwritten: bench/out/results.json ({results['total_s']:.0f} s in all)")
    if args.escalations:
        size = ["--slas", str(args.slas), "--days", str(args.days), "--db", args.db]
        subprocess.run([sys.executable, str(ROOT / "bench" / "escalations.py"), *size], cwd=ROOT)
    if args.qbr:
        run_qbr(args)


if __name__ == "__main__":
    main()
