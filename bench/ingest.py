"""Ingestion: the bulk API over real HTTP against a bare SQL upsert of the same shape.

What is timed
-------------
* **API**: wall time from the first request to the last response of
  ``POST /api/v1/measurements/`` with JSON lists of 10,000 items, sent one
  after another by one client over a keep-alive connection to a real gunicorn
  server (2 sync workers, DEBUG off) started by the benchmark on 127.0.0.1,
  authenticated with an API token of an admin user. The JSON bodies are built
  before the clock starts. Each request does everything production does:
  authentication, validation and scope checks of every item, the upsert with
  the audit triggers on, the audit context, and queueing the evaluation of
  the touched periods. The queue is a Redis database with no worker attached
  (``REDIS_URL`` of the server process), so the evaluation is *queued*, as in
  production, but not run inside the timed requests; it is timed separately
  (``evaluate_touched`` over the same pairs) and the queue is purged after.
* **Bare upsert**: the same number of rows, in the same batches of 10,000,
  one transaction each, through one psycopg2 connection:
  ``INSERT … VALUES … ON CONFLICT (sla_id, date) DO UPDATE`` (execute_values),
  audit triggers on and an audit context set per transaction, as the ingestion
  service's ``actor_context`` does. No validation, no HTTP, no JSON, no queueing.

Both are run twice: once inserting new rows, once re-sending the same keys
with new values (the idempotent "replace" path, which writes update events).
The API and the bare upsert each write their own, disjoint days after the
generated data, so both insert into the same-sized table.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import requests
from psycopg2.extras import execute_values

from bench import db

ROOT = Path(__file__).resolve().parent.parent
BATCH = 10_000
URL_PATH = "/api/v1/measurements/"

_UPSERT = """
INSERT INTO slas_measurement (created_at, updated_at, sla_id, date, value, source, note,
    recorded_by_id)
VALUES %s
ON CONFLICT (sla_id, date) DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source,
    note = EXCLUDED.note, recorded_by_id = EXCLUDED.recorded_by_id,
    updated_at = EXCLUDED.updated_at
"""
_TEMPLATE = "(now(), now(), %s, %s, %s, 'api', '', NULL)"
_CONTEXT = """
SELECT set_config('pghistory.context_id', gen_random_uuid()::text, true),
    set_config('pghistory.context_metadata', '{"source": "bench:bare-upsert"}', true)
"""


def rows_for(*, sla_ids: list[int], first_day: date, count: int, bump: float = 0.0) -> list:
    """``count`` (sla_id, date, value) rows, day by day for all SLAs from ``first_day``."""
    rows = []
    day = first_day
    while len(rows) < count:
        for sla_id in sla_ids:
            if len(rows) == count:
                break
            rows.append((sla_id, day, f"{100 + (sla_id * 7 + day.toordinal()) % 9 + bump:.3f}"))
        day += timedelta(days=1)
    return rows


def batches(rows: list) -> list[list]:
    return [rows[i : i + BATCH] for i in range(0, len(rows), BATCH)]


# --- bare upsert -------------------------------------------------------------------


def bare_upsert(*, rows: list) -> float:
    """Seconds to upsert ``rows`` in batches of 10,000, one transaction per batch."""
    conn = db.connect(autocommit=False)
    try:
        with conn.cursor() as cur:
            t0 = time.perf_counter()
            for batch in batches(rows):
                # The audit context the service opens (actor_context), so both paths
                # run the triggers the same way; only its metadata differs.
                cur.execute(_CONTEXT)
                # And primed like core.audit.prime_audit_triggers does for the service.
                cur.execute("SELECT set_config('pgtrigger.ignore', '{}', true)")
                execute_values(cur, _UPSERT, batch, template=_TEMPLATE, page_size=BATCH)
                conn.commit()
            return time.perf_counter() - t0
    finally:
        conn.close()


# --- the API over HTTP -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ApiServer:
    """gunicorn serving the project on 127.0.0.1, with the bench environment."""

    def __init__(self, *, workers: int = 2):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.log = open(ROOT / "bench" / "out" / "gunicorn.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                str(gunicorn),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "900",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def __enter__(self) -> ApiServer:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("gunicorn exited; see bench/out/gunicorn.log")
            try:
                if requests.get(self.base + "/healthz", timeout=10).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def api_token() -> str:
    """A token of an admin user "bench" (created on first use)."""
    from core import roles
    from core.services import api_token_create, user_provision

    user = user_provision(username="bench", role=roles.ADMIN)
    return api_token_create(user=user)


def bodies(rows: list) -> list[bytes]:
    """The JSON request bodies, built before timing."""
    return [
        json.dumps(
            [
                {"sla": sla_id, "date": day.isoformat(), "value": value, "source": "api"}
                for sla_id, day, value in batch
            ]
        ).encode()
        for batch in batches(rows)
    ]


def api_post(*, server: ApiServer, token: str, payloads: list[bytes]) -> dict:
    """POST every body in turn; seconds for all, and per request."""
    session = requests.Session()
    session.headers.update({"Authorization": f"Token {token}", "Content-Type": "application/json"})
    # One untimed request first, so connection set-up and the workers' first
    # imports are not billed to the first batch.
    session.get(server.base + URL_PATH + "?page_size=1", timeout=60)
    per_request = []
    t0 = time.perf_counter()
    for body in payloads:
        r0 = time.perf_counter()
        response = session.post(server.base + URL_PATH, data=body, timeout=900)
        per_request.append(time.perf_counter() - r0)
        if response.status_code not in (200, 201, 202):
            raise RuntimeError(
                f"POST {URL_PATH} answered {response.status_code}: {response.text[:800]}"
            )
    seconds = time.perf_counter() - t0
    session.close()
    return {"seconds": seconds, "per_request_s": per_request}


def redis_purge(url: str) -> int:
    """Drop what the API queued on the bench's own, worker-less Redis database.

    Only queue lists, kombu bindings and task results are removed, and only in
    that database (``--redis-url``, default db 13).
    """
    import redis

    client = redis.Redis.from_url(url)
    removed = 0
    for key in list(client.scan_iter()):
        name = key.decode(errors="replace")
        if (
            client.type(key) == b"list"
            or name.startswith("_kombu.")
            or name.startswith("celery-task-meta-")
        ):
            removed += client.delete(key)
    return removed


def redis_reachable(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except Exception:  # any failure means "not usable"
        return False


def redis_queue_length(url: str) -> int:
    import redis

    client = redis.Redis.from_url(url)
    return sum(client.llen(key) for key in client.scan_iter() if client.type(key) == b"list")
