"""A real Celery worker on Redis renders the PDF evaluation summary (core.pdf), read back.

The worker is a ``celery -A config worker`` subprocess on the pytest database
and a private queue (``SOURCING_SUMMARY_QUEUE``), with this test's media root.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
from django.conf import settings as django_settings
from django.db import transaction

from core.models import TaskRun
from sourcing import services
from sourcing.models import SourcingEvent
from tests.sourcing.conftest import give
from tests.workers import celery_worker

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is unset"),
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing"),
]


@pytest.fixture
def worker(settings, tmp_path):
    log = tmp_path / "worker.log"
    with celery_worker(
        name="sourcing", log=log, concurrency=1, env={"MEDIA_ROOT": str(django_settings.MEDIA_ROOT)}
    ) as queue:
        settings.SOURCING_SUMMARY_QUEUE = queue
        yield log


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
