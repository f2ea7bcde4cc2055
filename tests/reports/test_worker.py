"""A real Celery worker on Redis renders a requested QBR (marker ``worker``).

Like ``tests/slas/test_worker.py``: a ``celery -A config worker`` subprocess
on the pytest database, listening on a private queue (``QBR_RENDER_QUEUE``)
so parallel runs sharing one Redis never take each other's renders.
"""

from __future__ import annotations

import os
import time

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from core import roles
from reports import services
from reports.models import QBRReport
from tests.reports.conftest import pdf_info, pdf_text
from tests.workers import celery_worker

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="REDIS_URL is unset: the real-worker tests need a Redis broker",
    ),
]


@pytest.fixture
def groups(transactional_db):
    for name in roles.ALL_ROLES:  # a transactional test has flushed the migration's groups
        Group.objects.get_or_create(name=name)


@pytest.fixture
def report_worker(settings, tmp_path):
    log = tmp_path / "worker.log"
    with celery_worker(
        name="qbr", log=log, concurrency=2, env={"MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    ) as queue:
        settings.QBR_RENDER_QUEUE = queue
        yield {"queue": queue, "log": log}


@pytest.mark.django_db(transaction=True)
def test_a_requested_report_renders_on_the_worker(groups, acme, gov_user, report_worker):
    with transaction.atomic():
        report = services.qbr_request(actor=gov_user, vendor=acme["vendor"], quarter="2026Q3")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if report.status in ("ready", "failed"):
            break
        time.sleep(0.5)
    log = report_worker["log"].read_text()[-3000:]
    assert report.status == "ready", (report.failure_reason, log)
    data = report.pdf.read()
    assert pdf_info(data)["Tagged"] == "yes"
    assert "8,500.00" in pdf_text(data)
    assert report.task_run.status == "done"
    assert QBRReport.objects.count() == 1
