"""QBR benchmark: what a report costs beyond WeasyPrint, throughput on workers, the pack.

    python bench/qbr.py [--db covenant_bench_qbr] [--fresh] [--vendors 200] [--repeat 3]
    REDIS_URL=redis://127.0.0.1:6379/7 python bench/qbr.py      # step 2 needs Redis

A benchmark, not a test: it prints a table, writes bench/out/qbr.json and
appends nothing by itself (the figures of record go to BENCHMARKS.md by hand).

1. one    a vendor with 25 monthly SLAs (18 months of data, evaluated): the
          median of ``--repeat`` runs of gathering the snapshot, building the
          HTML (template and SVG charts), and WeasyPrint rendering that final
          HTML alone to PDF; the overhead is (gather + HTML) / PDF.
2. rate   reports per minute with two Celery workers (one process each) on
          Redis: every active vendor of the demo portfolio (``seed_demo``'s)
          requested at once, timed from the request to the last ready report.
3. pack   the portfolio pack over ``--vendors`` generated vendors (10 SLAs
          each): gathering, HTML and PDF, and its page count.

Uses DATABASE_URL's server with its own database (bench/db.py).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import db  # noqa: E402

TODAY = date(2026, 12, 4)
QUARTER = "2026Q3"
MONTHS = [date(2025 + (6 + i) // 12, (6 + i) % 12 + 1, 1) for i in range(18)]  # 2025-07 … 2026-12


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="covenant_bench_qbr")
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the database")
    parser.add_argument("--vendors", type=int, default=200, help="vendors of the pack")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip", nargs="*", default=[], choices=["one", "rate", "pack"])
    return parser.parse_args()


def setup(args) -> None:
    redis = os.environ.get("REDIS_URL")
    db.bench_environment(db_name=args.db, redis_url=redis)
    fresh = args.fresh or not db.database_exists()
    db.database_create(drop_first=args.fresh)
    import django

    django.setup()
    from django.core.management import call_command

    if fresh:
        log("migrating")
    call_command("migrate", verbosity=0)


def _vendor(name: str, slas: int, *, tier: int = 2):
    """A vendor with one contract and ``slas`` monthly SLAs, 18 months measured (bulk)."""
    from contracts.models import Contract, SpendRecord
    from slas.models import SLA, Measurement
    from vendors.models import Vendor

    vendor, created = Vendor.objects.get_or_create(
        name=name, defaults={"service_type": "ito", "tier": tier, "status": "active"}
    )
    if not created:
        return vendor
    contract = Contract.objects.create(
        vendor=vendor, reference=f"B-{vendor.pk:05d}", title="Managed services",
        contract_type="msa", start_date=date(2025, 1, 1), end_date=date(2027, 6, 30),
        monthly_charge=Decimal("100000.00"), at_risk_percent=Decimal("10.00"),
        baseline_annual_cost=Decimal("1440000.00"), target_savings_percent=Decimal("15.00"),
        total_value=Decimal("3000000.00"), status="active",
    )  # fmt: skip
    made = SLA.objects.bulk_create(
        SLA(
            contract=contract,
            name=f"SLA {i:02d}",
            kind="sla" if i % 5 else "kpi",
            focus="outcome" if i % 4 == 0 else "operational",
            category="availability",
            unit="%",
            direction="higher_is_better",
            target=Decimal("99.5"),
            period="monthly",
            aggregation="mean",
            allocation_percent=Decimal("4") if i % 5 else Decimal("0"),
            effective_from=date(2025, 1, 1),
        )  # fmt: skip
        for i in range(slas)
    )
    rows = []
    for sla in made:
        for n, month in enumerate(MONTHS):
            if month > TODAY:
                continue
            wobble = ((sla.pk * 7 + n * 13) % 17) / 10  # 0.0 … 1.6: some breaches
            rows.append(
                Measurement(sla=sla, date=month, value=Decimal("98.6") + Decimal(str(wobble)))
            )
    Measurement.objects.bulk_create(rows, batch_size=5000)
    SpendRecord.objects.bulk_create(
        SpendRecord(contract=contract, month=m, amount=Decimal("101000.00"))
        for m in MONTHS
        if m < TODAY.replace(day=1)
    )
    return vendor


def step_one(args) -> dict:
    from core.pdf import render_pdf
    from reports import gather, render
    from slas.evaluation import evaluate

    vendor = _vendor("Bench 25 SLAs", 25, tier=1)
    evaluate(sla_ids=list(vendor.contracts.values_list("slas__id", flat=True)), today=TODAY)
    times = {"gather": [], "html": [], "pdf": []}
    html = ""
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        snapshot = gather.vendor_snapshot(vendor=vendor, quarter=QUARTER, edition="internal")
        t1 = time.perf_counter()
        html = render.render_html(snapshot)
        t2 = time.perf_counter()
        pdf = render_pdf(html)
        t3 = time.perf_counter()
        times["gather"].append(t1 - t0)
        times["html"].append(t2 - t1)
        times["pdf"].append(t3 - t2)
    med = {k: statistics.median(v) for k, v in times.items()}
    return {
        "slas": 25,
        "gather_s": round(med["gather"], 3),
        "html_and_charts_s": round(med["html"], 3),
        "weasyprint_s": round(med["pdf"], 3),
        "overhead_pct": round(100 * (med["gather"] + med["html"]) / med["pdf"], 1),
        "pdf_kb": round(len(pdf) / 1024),
        "html_kb": round(len(html) / 1024),
    }


def step_rate(args) -> dict:
    """Two worker processes on Redis render every active demo vendor's report."""
    if not os.environ.get("REDIS_URL"):
        return {"skipped": "REDIS_URL unset"}
    from django.db import transaction

    from core.models import User
    from demo.seed import seed
    from reports import services
    from reports.models import QBRReport
    from vendors.models import Vendor

    if not User.objects.filter(username="demo-governance").exists():
        log("seeding the demo portfolio")
        seed(today=TODAY)
    actor = User.objects.get(username="demo-governance")
    vendors = list(Vendor.objects.filter(status="active", name__in=_demo_names()))
    queue = f"covenant-bench-qbr-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ)
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                queue,
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "WARNING",
                "--hostname",
                f"{queue}-{i}@%h",
            ],  # fmt: skip
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(2)
    ]
    try:
        time.sleep(8)  # let both workers connect
        from django.conf import settings

        settings.QBR_RENDER_QUEUE = queue
        t0 = time.perf_counter()
        ids = []
        for vendor in vendors:
            with transaction.atomic():
                ids.append(services.qbr_request(actor=actor, vendor=vendor, quarter=QUARTER).pk)
        while True:
            states = list(QBRReport.objects.filter(pk__in=ids).values_list("status", flat=True))
            if all(s in ("ready", "failed") for s in states):
                break
            if time.perf_counter() - t0 > 1800:
                raise RuntimeError("renders did not finish in 30 minutes")
            time.sleep(0.5)
        elapsed = time.perf_counter() - t0
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=60)
    failed = states.count("failed")
    return {
        "reports": len(ids),
        "failed": failed,
        "seconds": round(elapsed, 1),
        "per_minute": round(60 * len(ids) / elapsed, 1),
    }


def _demo_names() -> list[str]:
    from demo.vendors import VENDORS

    return list(VENDORS)


def step_pack(args) -> dict:
    from core.pdf import render_pdf
    from reports import render
    from reports.gather_portfolio import portfolio_snapshot
    from slas.evaluation import evaluate
    from vendors.models import Vendor

    have = Vendor.objects.filter(name__startswith="Pack vendor ").count()
    if have < args.vendors:
        log(f"generating {args.vendors - have} vendors for the pack")
        for i in range(have, args.vendors):
            _vendor(f"Pack vendor {i:04d}", 10, tier=1 + i % 4)
        evaluate(today=TODAY)
    Vendor.objects.exclude(name__startswith="Pack vendor ").update(status="exited")
    try:
        t0 = time.perf_counter()
        snapshot = portfolio_snapshot(quarter=QUARTER)
        t1 = time.perf_counter()
        html = render.render_html(snapshot)
        t2 = time.perf_counter()
        pdf = render_pdf(html)
        t3 = time.perf_counter()
    finally:
        Vendor.objects.exclude(name__startswith="Pack vendor ").update(status="active")
    pages = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True).stdout.decode()
    return {
        "vendors": len(snapshot["vendors"]),
        "gather_s": round(t1 - t0, 2),
        "html_s": round(t2 - t1, 2),
        "weasyprint_s": round(t3 - t2, 2),
        "pages": next(
            (int(x.split()[1]) for x in pages.splitlines() if x.startswith("Pages:")), None
        ),
        "pdf_kb": round(len(pdf) / 1024),
    }


def main() -> None:
    args = parse_args()
    setup(args)
    results: dict = {"date": str(date.today()), "db": db.server_facts()}
    for name, step in (("one", step_one), ("rate", step_rate), ("pack", step_pack)):
        if name in args.skip:
            continue
        log(f"step {name}")
        results[name] = step(args)
        log(json.dumps(results[name]))
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "qbr.json").write_text(json.dumps(results, indent=2))
    print(json.dumps({k: v for k, v in results.items() if k != "db"}, indent=2))


if __name__ == "__main__":
    main()
