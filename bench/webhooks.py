"""Benchmark of outbound webhook deliveries: deliveries per second with two workers.

    REDIS_URL=redis://127.0.0.1:6379/5 python bench/webhooks.py [--events 2000] [--workers 2]
        [--threads 4] [--batch 100] [--db covenant_bench_webhooks] [--quick]

A benchmark, not a test. In its own database (migrated fresh) it subscribes
one integration to ``escalation.moved`` with its target on a local HTTP
receiver (``http.server`` on 127.0.0.1, answering 200 at once; the
subscription allows private targets), starts ``--workers`` Celery worker
processes (``--pool threads``) on a private queue of the Redis named by
``REDIS_URL``, then raises ``--events`` events with
``notifications.services.webhook_event``, ``--batch`` per transaction as a job's
pass would (``--batch 1``: each event in its own transaction), and times:

1. queue     raising the events (each: one delivery row; per transaction one
             watched job and one message, sent after commit by ``core.dispatch``)
2. deliver   then the workers start; from the first delivery marked delivered
             to the last (the receiver has every signed POST): deliveries per
             second, the workers' own pace without their start-up.

Figures go to bench/out/webhooks.json; append them to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="threads per worker process")
    parser.add_argument(
        "--batch", type=int, default=100, help="events raised per transaction (a job's pass)"
    )
    parser.add_argument("--db", default="covenant_bench_webhooks", help="bench database name")
    parser.add_argument("--quick", action="store_true", help="200 events smoke run")
    args = parser.parse_args()
    if args.quick:
        args.events = 200
    return args


class Receiver:
    """Counts the POSTs it receives; answers 200 with a short body."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):  # noqa: N802 - http.server's name
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.count += 1
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def start_workers(*, count: int, threads: int, queue: str, logs: Path) -> list:
    processes = []
    for number in range(count):
        out = (logs / f"webhooks-worker-{number}.log").open("w")
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
            "--pool", "threads", "--concurrency", str(threads), "--without-gossip",
            "--without-mingle", "--without-heartbeat", "--loglevel", "WARNING",
            "--hostname", f"{queue}-{number}@%h",
        ]  # fmt: skip
        processes.append(
            (
                subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=out, stderr=out),
                out,
            )
        )
    return processes


def main() -> None:
    args = parse_args()
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        raise SystemExit("REDIS_URL must name a Redis database: the workers need a broker")
    from bench import db

    db.bench_environment(db_name=args.db, redis_url=redis_url)
    log(f"creating database {db.database_name()} (fresh)")
    db.database_create(drop_first=True)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import Max, Min

    from notifications import services
    from notifications.models import WebhookDelivery, WebhookSubscription

    log("migrating")
    call_command("migrate", verbosity=0)
    receiver = Receiver()
    WebhookSubscription.objects.create(
        name="bench receiver",
        target_url=receiver.url,
        event_types=["escalation.moved"],
        allow_private=True,
    )
    queue = f"covenant-bench-webhooks-{uuid.uuid4().hex[:8]}"
    settings.WEBHOOKS_QUEUE = queue
    logs = ROOT / "bench" / "out"
    logs.mkdir(parents=True, exist_ok=True)
    log(f"raising {args.events} events, {args.batch} per transaction (no worker yet)")
    started = time.perf_counter()
    for first in range(0, args.events, args.batch):
        with transaction.atomic():
            for number in range(first, min(first + args.batch, args.events)):
                services.webhook_event(
                    event="escalation.moved",
                    payload={"escalation": number, "level": 2, "vendor": 1},
                    dedupe_key=f"escalation:{number}:level:2",
                )
    queued = time.perf_counter() - started
    log(f"queued in {queued:.2f} s; starting {args.workers} workers × {args.threads} threads")
    workers = start_workers(count=args.workers, threads=args.threads, queue=queue, logs=logs)
    try:
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            done = WebhookDelivery.objects.filter(status="delivered").count()
            if done >= args.events and receiver.count >= args.events:
                break
            time.sleep(0.2)
        delivered = WebhookDelivery.objects.filter(status="delivered").count()
        failed = WebhookDelivery.objects.exclude(status="delivered").count()
        span = WebhookDelivery.objects.aggregate(
            first=Min("delivered_at"), last=Max("delivered_at")
        )
    finally:
        for process, _out in workers:
            process.terminate()
        for process, out in workers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            out.close()
    # From the first delivery to the last: the workers' own pace, not their start-up.
    deliver = (span["last"] - span["first"]).total_seconds() if span["first"] else 0.0
    figures = {
        "events": args.events,
        "workers": args.workers,
        "threads_per_worker": args.threads,
        "events_per_transaction": args.batch,
        "queue_seconds": round(queued, 2),
        "events_queued_per_second": round(args.events / queued, 1) if queued else None,
        "deliver_seconds": round(deliver, 2),
        "delivered": delivered,
        "not_delivered": failed,
        "received_posts": receiver.count,
        "deliveries_per_second": round((delivered - 1) / deliver, 1) if deliver else None,
        "cpu_count": os.cpu_count(),
        "server": db.server_facts(),
    }
    (logs / "webhooks.json").write_text(json.dumps(figures, indent=2))
    log(json.dumps(figures))


if __name__ == "__main__":
    main()
