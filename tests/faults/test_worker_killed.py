"""A worker SIGKILLed in the middle of an evaluation: the task runs again, and ends as a clean run.

Hand-worked numbers: a contract of 10,000.00 a month with 10 % at risk has an
at-risk pool of 1,000.00. Two SLAs (monthly mean, target 99.5, 60 % of the
pool each) are breached in January 2026: 98 and 99 -> 98.5, and 97. Uncapped
credits 600.00 + 600.00 = 1,200.00 exceed the pool, so the capped 1,000.00 is
shared in proportion: 500.00 each.
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal as D

import pytest
from celery import Celery
from django.db import connection, transaction

from core.models import TaskRun
from core.services import task_run_create
from slas.evaluation import evaluate
from slas.evaluation.engine import lock_contracts
from slas.models import Breach, Result
from tests.factories import SLAFactory
from tests.faults.conftest import (
    RedisServer,
    breaching_contract,
    child_env,
    database_url,
    needs_redis_server,
    start_worker,
    wait_until,
)
from tests.slas.conftest import dump

pytestmark = [pytest.mark.worker, needs_redis_server]

# Redis hands an unacknowledged task out again this long after it was taken.
VISIBILITY_TIMEOUT = 3


class ContractLock(threading.Thread):
    """Holds the engine's advisory lock of a contract, so an evaluation of it waits mid-way."""

    def __init__(self, contract_id: int):
        super().__init__(daemon=True)
        self.contract_id = contract_id
        self.held = threading.Event()
        self.release = threading.Event()

    def run(self) -> None:
        try:
            with transaction.atomic():
                lock_contracts(contract_ids=[self.contract_id])
                self.held.set()
                self.release.wait(timeout=120)
        finally:
            connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_evaluation_is_replaced_and_the_rerun_equals_a_clean_run(tmp_path):
    one = breaching_contract()
    two = SLAFactory(contract=one.contract, allocation_percent=D("60"))
    for sla, day, value in [(one, "2026-01-05", "98"), (one, "2026-01-06", "99")] + [
        (two, "2026-01-05", "97")
    ]:
        sla.measurements.create(date=day, value=D(value))
    run = task_run_create(kind="evaluation", message="Queued: all SLAs")

    redis = RedisServer(tmp_path)
    redis.start()
    env = child_env(
        redis_url=redis.url,
        db_url=database_url(),
        test_db=connection.settings_dict["NAME"],
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
    )
    lock = ContractLock(one.contract_id)
    first = second = None
    try:
        first = start_worker(env, tmp_path / "first.log")
        lock.start()
        assert lock.held.wait(timeout=30)
        # Not the current app: shared tasks must keep publishing through the project's.
        sender = Celery(broker=redis.url, set_as_current=False)
        try:
            sender.send_task("slas.tasks.evaluate_slas_task", args=[run.pk], ignore_result=True)
        finally:
            sender.close()

        def running() -> bool:
            return TaskRun.objects.filter(pk=run.pk, status="running").exists()

        wait_until(running, timeout=30, what="the evaluation to start", log=first.log)
        time.sleep(1)  # it is now waiting for the contract's lock, mid-evaluation
        first.kill()  # SIGKILL: the worker and its child, no goodbye
        lock.release.set()
        lock.join(timeout=30)
        assert not Result.objects.exists()  # the killed transaction wrote nothing
        run.refresh_from_db()
        assert run.status == "running"  # nobody will finish it but a new worker

        time.sleep(VISIBILITY_TIMEOUT)
        second = start_worker(env, tmp_path / "second.log")

        def finished() -> bool:
            run.refresh_from_db()
            return run.status in ("done", "failed")

        wait_until(finished, timeout=60, what="the rerun", log=second.log)
        assert run.status == "done", run.message
        assert run.finished_at is not None and run.finished_at >= run.started_at
        assert second.log.read_text().count("received") == 1

        assert {r.sla_id: (r.actual, r.status) for r in Result.objects.all()} == {
            one.pk: (D("98.5"), "breached"),
            two.pk: (D("97"), "breached"),
        }
        assert sorted(Breach.objects.values_list("credit", flat=True)) == [D("500.00")] * 2
        rerun = dump()
        evaluate()  # a clean evaluation of the same data changes nothing
        assert dump() == rerun
    finally:
        lock.release.set()
        for worker in (first, second):
            if worker is not None:
                worker.stop()
        redis.stop()
