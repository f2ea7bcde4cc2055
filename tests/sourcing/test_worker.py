"""A real Celery worker on Redis renders the PDF evaluation summary (core.pdf), read back.

The worker is a ``celery -A config worker`` subprocess on the pytest database
and a private queue (``SOURCING_SUMMARY_QUEUE``), with this test's media root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection, transaction

from core.models import TaskRun
from sourcing import services
from sourcing.models import SourcingEvent
from tests.slas.test_worker import _database_url
from tests.sourcing.conftest import give

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is unset"),
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing"),
]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(settings, tmp_path):
    queue = f"covenant-sourcing-test-{uuid.uuid4().hex[:10]}"
    settings.SOURCING_SUMMARY_QUEUE = queue
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "COVENANT_TEST_DB": connection.settings_dict["NAME"],
        "COVENANT_TESTING": "1",
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
        "--pool", "threads", "--concurrency", "1", "--without-gossip", "--without-mingle",
        "--without-heartbeat", "--loglevel", "INFO", "--hostname", f"{queue}@%h",
    ]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The worker did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield log
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.django_db(transaction=True)
def test_the_worker_renders_the_summary(worker, event_setup, gov_user):
    s = event_setup
    give(s, s["ann"], 0, [4, 3, 5])  # 32 + 21 + 25 = 78.00
    services.evaluator_submit(event=s["event"], actor=s["ann"])
    with transaction.atomic():
        run = services.evaluation_summary_request(event=s["event"], actor=gov_user)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        run = TaskRun.objects.get(pk=run.pk)
        if run.status in ("done", "failed"):
            break
        time.sleep(0.3)
    assert run.status == "done", (run.message, worker.read_text()[-3000:])
    event = SourcingEvent.objects.get(pk=s["event"].pk)
    text = subprocess.run(
        ["pdftotext", "-layout", event.summary_pdf.path, "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "Evaluation summary: Service desk RFP" in text and "78.00" in text
