"""UI benchmark: the daily pages and the global search over the benchmark portfolio.

    python bench/ui.py [--db covenant_bench_ui] [--fresh] [--slas 20000] [--days 120] [--repeat 5]

A benchmark, not a test: it prints a table and writes bench/out/ui.json; the
figures of record go to BENCHMARKS.md by hand.

The portfolio is bench/generate.py's (400 vendors, 1,000 contracts, ``--slas``
SLAs measured daily for ``--days`` days), evaluated once (results, breaches,
credits). Each page is requested in process through Django's test client as
a governance officer (templates rendered, middleware on, DEBUG off): the
median of ``--repeat`` timed requests after one warm-up, and its number of
SQL queries. The export streams the breaches of the month with the most
(about 20,000 at the default size) as CSV and as XLSX, read to the last byte.

Goals (issue #14): every page under 300 ms, a constant number of queries
whatever the size (pinned by tests/ui/test_speed.py and tests/ui/test_pages.py),
an export of 10,000 rows in under 3 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import db  # noqa: E402

OUT = ROOT / "bench" / "out" / "ui.json"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="covenant_bench_ui")
    parser.add_argument("--fresh", action="store_true", help="drop and regenerate the data")
    parser.add_argument("--slas", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=5)
    return parser.parse_args()


def prepare(args) -> dict:
    """The database with the portfolio, evaluated; reused when it already matches."""
    db.bench_environment(db_name=args.db, redis_url=None)
    import django
    from django.core.management import call_command

    from bench import generate

    reuse = (
        not args.fresh
        and db.database_exists()
        and generate.dataset_matches(slas=args.slas, days=args.days)
    )
    if not reuse:
        db.database_create(drop_first=True)
    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    # DEBUG off serves static files through whitenoise's manifest, as in production.
    call_command("collectstatic", verbosity=0, interactive=False)
    if not reuse:
        log(f"generating {args.slas:,} SLAs × {args.days} days")
        generate.generate(slas=args.slas, days=args.days, log=log)
    from slas.models import Result

    if not Result.objects.exists():
        from slas.evaluation import evaluate

        log("evaluating the portfolio (results, breaches, credits)")
        started = time.perf_counter()
        evaluate(today=generate.START + timedelta(days=args.days))
        log(f"evaluated in {time.perf_counter() - started:.1f} s")
    return generate.dataset_meta()


def officer():
    from django.contrib.auth import get_user_model

    from core import roles
    from core.services import user_provision

    existing = get_user_model().objects.filter(username="bench-officer").first()
    return existing or user_provision(
        username="bench-officer", role=roles.GOVERNANCE_OFFICE, password="bench-officer-pw"
    )


def measure(client, url: str, *, repeat: int, stream: bool = False) -> dict:
    """Median time (ms) of ``repeat`` requests after a warm-up, queries, and size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def once():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = b"".join(response.streaming_content) if stream else response.content
        return len(body)

    once()
    times = []
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        size = once()
        times.append(time.perf_counter() - started)
    queries = len(ctx.captured_queries)
    for _ in range(repeat - 1):
        started = time.perf_counter()
        once()
        times.append(time.perf_counter() - started)
    return {"ms": round(statistics.median(times) * 1000, 1), "queries": queries, "bytes": size}


def main() -> None:
    args = parse_args()
    meta = prepare(args)
    from django.db.models import Count
    from django.test import Client

    from vendors.models import Vendor

    client = Client(HTTP_HOST="localhost")
    client.force_login(officer())
    vendor = Vendor.objects.order_by("pk").first()
    pages = {
        "dashboard": "/",
        "vendors": "/vendors/vendors/",
        "certifications": "/vendors/certifications/",
        "contracts": "/contracts/contracts/",
        "obligations": "/contracts/obligations/",
        "SLAs": "/slas/",
        "measurements": "/slas/measurements/",
        "breaches": "/slas/breaches/",
        "breaches, filtered and sorted": "/slas/breaches/?severity=critical&sort=-credit",
        "vendor 360 (overview)": vendor.get_absolute_url(),
        "vendor 360 (SLAs tab)": vendor.get_absolute_url() + "?tab=slas",
        "vendor 360 (breaches tab)": vendor.get_absolute_url() + "?tab=breaches",
        "SLAs trending to breach": "/slas/?trending=true",
        "global search": "/search/?q=bench+vendor+00042",
        # The API counts every row (its documented ``count``): for comparison.
        "API measurements (page 1)": "/api/v1/measurements/",
        "API breaches (page 1)": "/api/v1/breaches/",
    }
    results = {"data": meta, "today": date.today().isoformat(), "pages": {}, "exports": {}}
    for name, url in pages.items():
        try:
            results["pages"][name] = measure(client, url, repeat=args.repeat)
        except AssertionError as exc:  # one page failing does not lose the others' figures
            results["pages"][name] = {"ms": None, "queries": None, "error": str(exc)}
        log(f"{name:32} {results['pages'][name]}")
    from slas.models import Breach

    # The breaches of the month with the most (the generated drift breaches
    # ~20,000 SLA periods a month early on): more than the 10,000-row goal.
    month = Breach.objects.values("credit_month").annotate(n=Count("pk")).order_by("-n").first()
    export = f"/slas/breaches/?month={month['credit_month']:%Y-%m}"
    for fmt in ("csv", "xlsx"):
        figures = measure(client, f"{export}&_export={fmt}", repeat=2, stream=True)
        results["exports"][fmt] = {**figures, "rows": month["n"]}
        log(f"export {fmt}: {figures} ({month['n']:,} rows)")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2, default=str))
    print("\n| page | median ms | queries |\n|---|---|---|")
    for name, figures in results["pages"].items():
        print(f"| {name} | {figures['ms']} | {figures['queries']} |")
    for fmt, figures in results["exports"].items():
        rows = f"{figures['rows']:,}"
        print(f"| export {fmt}, {rows} rows | {figures['ms']} | {figures['queries']} |")


if __name__ == "__main__":
    main()
