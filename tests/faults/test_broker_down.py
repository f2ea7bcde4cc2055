"""Redis (the broker) dies under a running server: writes are kept, answered fast, evaluated later.

Hand-worked numbers: a contract of 10,000.00 a month with 10 % at risk has an
at-risk pool of 1,000.00; its one SLA (monthly mean, target 99.5, 60 % of the
pool) gets 98 and 99 in January 2026: actual 98.5 < 99.5, breached, a credit
of 1,000.00 x 60 % = 600.00.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal as D

import pytest
from django.db import connection

from core import roles
from core.models import TaskRun
from core.services import api_token_create, user_provision
from slas.evaluation import evaluate
from slas.models import Breach, Measurement, Result
from tests.faults.conftest import (
    ROOT,
    RedisServer,
    breaching_contract,
    child_env,
    database_url,
    http,
    needs_redis_server,
    start_server,
    start_worker,
    wait_until,
)
from tests.slas.conftest import dump

pytestmark = [pytest.mark.worker, needs_redis_server]

JANUARY = [("2026-01-05", "98"), ("2026-01-06", "99")]


def run_job(env: dict, name: str) -> str:
    """``manage.py run_job NAME`` in its own process, as an operator (or beat's worker) runs it."""
    done = subprocess.run(
        [sys.executable, "manage.py", "run_job", name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.django_db(transaction=True)
def test_a_write_while_the_broker_is_down_is_kept_and_evaluated_once_it_is_back(tmp_path, client):
    sla = breaching_contract()
    user = user_provision(username="feed", role=roles.GOVERNANCE_OFFICE, password="pw-12345678")
    token = api_token_create(user=user)
    redis = RedisServer(tmp_path)
    redis.start()
    env = child_env(
        redis_url=redis.url, db_url=database_url(), test_db=connection.settings_dict["NAME"]
    )
    server, base = start_server(env, tmp_path / "web.log")
    worker = None
    try:
        assert http("GET", f"{base}/health/").json()["broker"] == {"ok": True}
        redis.kill()

        items = [{"sla": sla.pk, "date": day, "value": value} for day, value in JANUARY]
        answer = http("POST", f"{base}/api/v1/measurements/", token=token, data=items)
        assert answer.status == 201, answer.body
        assert answer.seconds < 2, f"the write waited {answer.seconds:.1f} s on the broker"
        assert Measurement.objects.filter(sla=sla).count() == 2  # the data is committed
        run = TaskRun.objects.get(pk=answer.json()["evaluation_task_run"])
        assert (run.status, run.sent_at, run.send_attempts) == ("waiting", None, 1)
        assert run.task_name == "slas.tasks.evaluate_slas_task"
        assert "Connection refused" in run.send_error or "Error" in run.send_error

        polled = http("GET", f"{base}/api/v1/task-runs/{run.pk}/", token=token).json()
        assert polled["status"] == "waiting"
        client.force_login(user)
        page = client.get(f"/tasks/{run.pk}/").content.decode()
        assert 'data-status="waiting"' in page and "Waiting for the broker" in page
        health = http("GET", f"{base}/health/")
        assert health.status == 200
        assert health.json()["status"] == "degraded"
        assert health.json()["database"] == {"ok": True}
        assert health.json()["broker"]["ok"] is False

        # Still down: the sweep sends nothing and the run keeps waiting.
        assert run_job(env, "send-waiting-task-runs") == "0"
        run.refresh_from_db()
        assert (run.status, run.send_attempts) == ("waiting", 2)
        assert not Result.objects.exists()

        redis.start()  # the same port: the broker is back, empty
        worker = start_worker(env, tmp_path / "worker.log", wait=False)  # takes it when up
        assert run_job(env, "send-waiting-task-runs") == "1"
        assert run_job(env, "send-waiting-task-runs") == "0"  # sent exactly once

        def finished():
            run.refresh_from_db()
            return run.status in ("done", "failed")

        wait_until(finished, timeout=60, what="the evaluation", log=worker.log)
        assert run.status == "done", run.message
        assert run.sent_at is not None and run.send_error == ""
        log = worker.log.read_text()
        assert log.count("Task slas.tasks.evaluate_slas_task[") == 2  # received, succeeded
        assert log.count("received") == 1

        result = Result.objects.get(sla=sla)
        assert (result.actual, result.status) == (D("98.5"), "breached")
        assert Breach.objects.get().credit == D("600.00")
        after_recovery = dump()
        evaluate()  # a clean run from scratch over the same data changes nothing
        assert dump() == after_recovery
    finally:
        server.stop()
        if worker is not None:
            worker.stop()
        redis.stop()
