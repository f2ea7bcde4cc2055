"""A real Celery worker for the tests that are about tasks.

A ``celery -A config worker`` subprocess on the pytest database and a queue of
its own, so parallel runs sharing one Redis never take each other's messages;
it is stopped (and only it) when the ``with`` block ends.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """The URL of the database this test runs on (the pytest one), for the worker."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "127.0.0.1", safe="")  # a socket directory is percent-encoded
    return f"postgres://{auth}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def celery_worker(
    *, name: str, log: Path, concurrency: int = 1, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Start a worker on a new private queue named after ``name``; yield the queue's name.

    The caller points the setting that routes its task (``SLAS_EVALUATION_QUEUE``,
    ``QBR_RENDER_QUEUE`` …) at the yielded queue.
    """
    queue = f"covenant-{name}-test-{uuid.uuid4().hex[:10]}"
    full_env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "COVENANT_TEST_DB": connection.settings_dict["NAME"],
        "COVENANT_TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **(env or {}),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
        "--pool", "threads", "--concurrency", str(concurrency), "--without-gossip",
        "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
        "--hostname", f"{queue}@%h",
    ]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=full_env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The worker did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
