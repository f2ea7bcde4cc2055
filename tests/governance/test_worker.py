"""A real Celery worker on Redis: the evaluation's hook opens the escalation, and the beat
job's task moves it up the ladder (``worker`` marker; needs ``REDIS_URL``, CI sets it)."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from governance.models import Escalation
from governance.tasks import escalations_advance_task
from slas.evaluation import queue_evaluation
from tests.factories import ContractFactory, SLAFactory
from tests.slas.test_worker import worker  # noqa: F401 — the fixture that starts the worker

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="REDIS_URL is unset: the real-worker tests need a Redis broker",
    ),
]


def wait_for(check, log, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    pytest.fail(f"The worker did not get there:\n{log.read_text()[-4000:]}")


@pytest.mark.django_db(transaction=True)
def test_the_worker_opens_and_moves_escalations(worker, role_groups_tx, make_user):  # noqa: F811
    from core import roles
    from governance.services import escalation_plan_create

    contract = ContractFactory()
    sla = SLAFactory(contract=contract, critical_level=Decimal("95"))
    # A critical breach last month (escalations look at the last quarter's periods).
    sla.measurements.create(date=timezone.localdate() - timedelta(days=20), value=Decimal("90"))
    duty, cio = make_user(roles.GOVERNANCE_OFFICE), make_user(roles.EXECUTIVE)
    escalation_plan_create(
        data={
            "vendor": contract.vendor,
            "levels": [
                {"level": 1, "name": "Duty", "contact_user": duty, "response_hours": 4},
                {"level": 2, "name": "CIO", "contact_user": cio, "response_hours": 24,
                 "is_executive": True},
            ],
        }
    )  # fmt: skip
    with transaction.atomic():
        queue_evaluation()
    escalation = wait_for(lambda: Escalation.objects.first(), worker["log"])
    assert (escalation.sla_id, escalation.level, escalation.status) == (sla.pk, 1, "open")
    later = escalation.opened_at + timedelta(days=3)
    escalations_advance_task.apply_async(kwargs={"at": later.isoformat()}, queue=worker["queue"])
    moved = wait_for(
        lambda: Escalation.objects.filter(level=2, overdue=True).first(), worker["log"]
    )
    assert moved.due_at == escalation.due_at + timedelta(hours=24)
    kinds = list(moved.timeline.order_by("at").values_list("kind", "at"))
    assert kinds == [("opened", escalation.opened_at), ("escalated", escalation.due_at)]
