"""Queueing (TaskRun + Celery, eager), the nightly task, the command, concurrent runs."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from core.models import TaskRun
from slas import tasks
from slas.evaluation import evaluate, queue_evaluation
from slas.models import Breach, Result
from tests.slas.conftest import TODAY, d, dump


@pytest.fixture
def two_breaches(make_sla, measure):
    a = make_sla(period="monthly", allocation_percent=D("60"))
    b = make_sla(period="monthly", allocation_percent=D("60"))
    measure(a, {"2026-01-10": "98", "2026-02-10": "99.9"})
    measure(b, {"2026-01-10": "97"})
    return a, b


@pytest.mark.django_db
def test_queue_evaluation_runs_after_commit_and_reports(
    two_breaches, gov_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = queue_evaluation(actor=gov_user)
    assert (run.kind, run.status, run.requested_by) == ("evaluation", "queued", gov_user)
    assert not Result.objects.exists()  # nothing runs before the commit
    for callback in callbacks:
        callback()
    run.refresh_from_db()
    assert run.status == "done" and run.percent == 100
    assert run.result["periods"] == 3 and run.result["breaches"] == 2
    assert run.result["credits"] == "1000.00"  # 600 + 600 capped at 1,000
    assert Breach.objects.count() == 2


@pytest.mark.django_db
def test_queue_touched_and_since(two_breaches, django_capture_on_commit_callbacks):
    a, b = two_breaches
    with django_capture_on_commit_callbacks(execute=True):
        run = queue_evaluation(touched=[(a.pk, d("2026-02-10"))])
    run.refresh_from_db()
    assert run.status == "done" and run.result["periods"] == 1
    assert list(Result.objects.values_list("period_start", flat=True)) == [d("2026-02-01")]
    with django_capture_on_commit_callbacks(execute=True):
        run = queue_evaluation(sla_ids=[b.pk], since=d("2026-01-15"))
    run.refresh_from_db()
    assert (run.status, run.result["periods"]) == ("done", 1)  # January ends after the 15th
    assert Breach.objects.filter(sla=b).count() == 1


@pytest.mark.django_db
def test_batches_as_a_chord(make_sla, measure, contract, monkeypatch):
    from tests.factories import ContractFactory, SLAFactory

    other = SLAFactory(contract=ContractFactory(), period="monthly")
    mine = make_sla(period="monthly")
    measure(other, {"2026-01-10": "98"})
    measure(mine, {"2026-01-10": "98"})
    monkeypatch.setattr(tasks, "_run_inline", lambda batches: False)
    run = TaskRun.objects.create(kind="evaluation")
    tasks.evaluate_slas_task(run.pk, batch_size=1)
    run.refresh_from_db()
    assert (run.status, run.progress_done, run.progress_total) == ("done", 2, 2)
    assert run.result["batches"] == 2 and run.result["breaches"] == 2


@pytest.mark.django_db
def test_a_failing_run_is_marked_failed(monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(tasks, "plan_batches", boom)
    run = TaskRun.objects.create(kind="evaluation")
    with pytest.raises(RuntimeError):
        tasks.evaluate_slas_task(run.pk)
    run.refresh_from_db()
    assert (run.status, run.message) == ("failed", "Failed: database went away")


@pytest.mark.django_db
def test_nightly_task_evaluates_everything_and_is_safe_twice(two_breaches):
    first = tasks.evaluate_all_task()
    state = dump()
    second = tasks.evaluate_all_task()
    assert dump() == state
    runs = TaskRun.objects.filter(pk__in=[first, second])
    assert [r.status for r in runs] == ["done", "done"]
    assert TaskRun.objects.get(pk=second).result["results_written"] == 0


# --- the management command ----------------------------------------------------------------


@pytest.mark.django_db
def test_command_prints_a_summary(two_breaches):
    a, b = two_breaches
    out = StringIO()
    call_command("evaluate_slas", "--today", "2030-01-01", stdout=out)
    text = out.getvalue()
    assert "Periods evaluated: 3" in text
    assert "Breaches: 2 (2 new, 0 re-opened); withdrawn: 0" in text
    assert "Credits: 1000.00" in text
    out = StringIO()
    call_command("evaluate_slas", "--sla", str(a.pk), "--since", "2026-02-01", stdout=out)
    assert "Periods evaluated: 1" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [(["--since", "yesterday"], "--since"), (["--sla", "999999"], "no SLA with id 999999")],
)
def test_command_refuses_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("evaluate_slas", *args, stdout=StringIO())


# --- two evaluations of the same SLAs at the same time ----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_evaluations_end_in_the_same_state(two_breaches, make_sla, measure):
    for month in range(1, 13):
        for sla in two_breaches:
            measure(sla, {f"2026-{month:02d}-{day:02d}": "98.5" for day in (3, 9, 17, 25)})
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def run(kwargs):
        try:
            barrier.wait()
            evaluate(today=TODAY, **kwargs)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    variants = [{}, {"sla_ids": [s.pk for s in two_breaches]}, {"since": dt.date(2026, 6, 1)}, {}]
    threads = [threading.Thread(target=run, args=(v,)) for v in variants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    concurrent = dump()
    evaluate(today=TODAY)
    assert dump() == concurrent
    assert Result.objects.count() == 24 and Breach.objects.count() == 24
