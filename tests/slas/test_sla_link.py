"""Results and Breaches keep their SLA by the contract's lock, not by a foreign-key constraint.

``slas.models.ENGINE_ROWS_SLA_LINK``: the engine writes a contract's rows only
while holding the contract's advisory lock, and ``sla_delete`` takes the same
lock, so neither order of an evaluation and a deletion can leave a Result or
Breach whose SLA is gone. Each test runs the two on separate connections.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from decimal import Decimal as D

import pytest
from django.db import connection, connections, transaction

from slas.evaluation import evaluate, lock_contracts
from slas.models import Breach, Result
from slas.services import sla_delete
from tests.factories import ContractFactory, SLAFactory
from tests.slas.conftest import TODAY, breach_of

pytestmark = pytest.mark.django_db(transaction=True)


def orphans() -> tuple[int, int]:
    """Results and Breaches whose SLA no longer exists."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT (SELECT count(*) FROM slas_result r
                       WHERE NOT EXISTS (SELECT 1 FROM slas_sla s WHERE s.id = r.sla_id)),
                      (SELECT count(*) FROM slas_breach b
                       WHERE NOT EXISTS (SELECT 1 FROM slas_sla s WHERE s.id = b.sla_id))"""
        )
        return cursor.fetchone()


def in_thread(target, *args) -> tuple[threading.Thread, list]:
    """Run ``target`` on a connection of its own; exceptions are kept for the test to raise."""
    errors: list = []

    def run():
        try:
            target(*args)
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, errors


@pytest.fixture
def breached_sla():
    contract = ContractFactory(monthly_charge=D("10000.00"), at_risk_percent=D("10.00"))
    sla = SLAFactory(contract=contract, allocation_percent=D("50"))
    sla.measurements.create(date=dt.date(2026, 3, 10), value=D("98"))
    evaluate(today=TODAY)
    assert breach_of(sla, "2026-03-01").credit == D("500.00")
    return sla


def hold_while_the_other_waits(*, holder, waiter, waiter_name: str) -> None:
    """``holder`` runs in a transaction left open while ``waiter`` starts; then both finish.

    ``waiter`` must still be waiting (for the contract's lock) 0.3 s after it
    started; the holder's transaction then commits, and both must end without
    an error.
    """
    ready, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            holder()
            ready.set()
            release.wait(10)

    held, held_errors = in_thread(hold)
    assert ready.wait(10), held_errors
    waiting, waiting_errors = in_thread(waiter)
    time.sleep(0.3)
    assert waiting.is_alive(), f"the {waiter_name} should wait for the contract's lock"
    release.set()
    held.join(10)
    waiting.join(10)
    assert not held_errors and not waiting_errors, held_errors + waiting_errors


def test_a_deletion_waits_for_the_evaluation_holding_the_lock_then_removes_its_rows(
    breached_sla,
):
    sla = breached_sla
    sla_id = sla.pk

    def evaluation_mid_batch():
        # What a batch does between its LOCK and its commit: rows for the SLA.
        lock_contracts(contract_ids=[sla.contract_id])
        Result.objects.create(
            sla_id=sla_id, period_start=dt.date(2026, 4, 1), period_end=dt.date(2026, 4, 30),
            actual=D("97"), status="breached", measurement_count=1, target=D("99.5"),
        )  # fmt: skip
        Breach.objects.create(
            sla_id=sla_id, period_start=dt.date(2026, 4, 1), period_end=dt.date(2026, 4, 30),
            actual=D("97"), severity="major", credit_month=dt.date(2026, 4, 1),
        )  # fmt: skip

    hold_while_the_other_waits(
        holder=evaluation_mid_batch,
        waiter=lambda: sla_delete(instance=sla),
        waiter_name="deletion",
    )
    assert orphans() == (0, 0)
    assert not Result.objects.filter(sla_id=sla_id).exists()


def test_an_evaluation_that_waited_for_a_deletion_writes_nothing_for_the_deleted_sla(
    breached_sla,
):
    sla = breached_sla
    other = SLAFactory(contract=sla.contract, allocation_percent=D("50"))
    other.measurements.create(date=dt.date(2026, 3, 10), value=D("98"))
    Result.objects.all().delete()
    Breach.objects.all().delete()
    ids = [sla.pk, other.pk]  # (sla.pk is None once the deletion has run)
    hold_while_the_other_waits(
        holder=lambda: sla_delete(instance=sla),
        waiter=lambda: evaluate(sla_ids=ids, today=TODAY),
        waiter_name="evaluation",
    )
    assert orphans() == (0, 0)
    # The SLA that stayed was evaluated, alone under the cap: 50 % of 1,000.00.
    assert breach_of(other, "2026-03-01").credit == D("500.00")
