"""A real Celery worker on Redis runs evaluations against this test database.

Needs ``REDIS_URL`` (CI sets it). The worker is a ``celery -A config worker``
subprocess pointed at the pytest database (``DATABASE_URL`` with the test
database's name) and listening on a queue of its own
(``SLAS_EVALUATION_QUEUE``), so parallel runs sharing one Redis never take
each other's tasks.
"""

from __future__ import annotations

import os
import time
from decimal import Decimal as D

import pytest
from django.db import transaction

from core.models import TaskRun
from slas.evaluation import evaluate, queue_evaluation
from slas.models import Breach, Result
from slas.tasks import evaluate_slas_task
from tests.factories import ContractFactory, SLAFactory
from tests.slas.conftest import dump
from tests.workers import celery_worker

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="REDIS_URL is unset: the real-worker tests need a Redis broker",
    ),
]


@pytest.fixture
def worker(settings, tmp_path):
    """Start a worker on a private queue; stop it (and only it) afterwards."""
    log = tmp_path / "worker.log"
    with celery_worker(name="engine", log=log, concurrency=3) as queue:
        settings.SLAS_EVALUATION_QUEUE = queue
        yield {"queue": queue, "log": log}


def wait_done(run_ids, log, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = list(TaskRun.objects.filter(pk__in=run_ids))
        if all(r.status in ("done", "failed") for r in runs):
            assert [r.status for r in runs] == ["done"] * len(runs), [r.message for r in runs]
            return runs
        time.sleep(0.3)
    pytest.fail(f"Evaluation runs did not finish:\n{log.read_text()[-4000:]}")


@pytest.fixture
def portfolio(db):
    """Three contracts (1,000.00 at risk each), two SLAs each, breached in January 2026."""
    slas = []
    for _ in range(3):
        contract = ContractFactory(monthly_charge=D("10000.00"), at_risk_percent=D("10.00"))
        for allocation in ("60", "60"):
            sla = SLAFactory(contract=contract, allocation_percent=D(allocation))
            slas.append(sla)
            sla.measurements.create(date="2026-01-10", value=D("98"))
            sla.measurements.create(date="2026-02-10", value=D("99.9"))
    return slas


@pytest.mark.django_db(transaction=True)
def test_a_queued_evaluation_runs_on_the_worker(worker, portfolio):
    with transaction.atomic():
        run = queue_evaluation()
    (run,) = wait_done([run.pk], worker["log"])
    assert run.result["periods"] == 12 and run.result["breaches"] == 6
    assert run.result["credits"] == "3000.00"  # 600 + 600 capped at 1,000, three times
    assert Result.objects.count() == 12
    assert sorted(Breach.objects.values_list("credit", flat=True)) == [D("500.00")] * 6


@pytest.mark.django_db(transaction=True)
def test_batches_run_as_a_chord_on_the_worker(worker, portfolio):
    run = TaskRun.objects.create(kind="evaluation")
    evaluate_slas_task.apply_async(args=[run.pk], kwargs={"batch_size": 2}, queue=worker["queue"])
    (run,) = wait_done([run.pk], worker["log"])
    assert (run.progress_done, run.progress_total, run.result["batches"]) == (3, 3, 3)
    assert run.result["breaches"] == 6 and Breach.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_two_evaluations_at_once_end_in_the_same_state(worker, portfolio):
    with transaction.atomic():
        first = queue_evaluation()
        second = queue_evaluation(sla_ids=[s.pk for s in portfolio])
    wait_done([first.pk, second.pk], worker["log"])
    concurrent = dump()
    evaluate()
    assert dump() == concurrent
    assert Breach.objects.count() == 6 and sum(b.credit for b in Breach.objects.all()) == 3000


@pytest.mark.django_db(transaction=True)
def test_measurements_posted_to_the_api_are_evaluated_by_the_worker(worker, api_client_for):
    """Contract: 10,000.00 at 10 % at risk. Two 60 % SLAs, January 2026 (monthly mean, target
    99.5): SLA one gets 98 and 99 -> 98.5, breached; SLA two 99.9 -> met. One breach of
    600.00, under the 1,000.00 cap."""
    from django.contrib.auth.models import Group

    from core import roles
    from core.services import user_provision

    for name in roles.ALL_ROLES:  # a transactional test has flushed the migration's groups
        Group.objects.get_or_create(name=name)

    contract = ContractFactory(monthly_charge=D("10000.00"), at_risk_percent=D("10.00"))
    one, two = (SLAFactory(contract=contract, allocation_percent=D("60")) for _ in range(2))
    user = user_provision(username="feed", role=roles.GOVERNANCE_OFFICE, password="pw-12345678")
    items = [
        {"sla": one.pk, "date": "2026-01-05", "value": "98"},
        {"sla": one.pk, "date": "2026-01-06", "value": "99"},
        {"sla": two.pk, "date": "2026-01-05", "value": "99.9"},
    ]
    response = api_client_for(user).post("/api/v1/measurements/", items, format="json")
    assert response.status_code in (200, 201), response.content
    (run,) = wait_done([response.json()["evaluation_task_run"]], worker["log"])
    assert run.result["periods"] == 2 and run.result["breaches"] == 1
    assert Result.objects.get(sla=one).actual == D("98.5")
    assert Result.objects.get(sla=two).status == "met"
    assert Breach.objects.get().credit == D("600.00")
