"""Celery tasks of the slas app: thin wrappers around ``slas.evaluation``.

``evaluate_slas_task`` runs one queued evaluation (``core.TaskRun``). A large
one is split into batches of whole contracts (``plan_batches``) dispatched as
a Celery chord: every batch is an independent task any worker can take, the
credit caps are computed inside each batch (a contract never spans batches),
and the chord's callback closes the run. Every task is safe to run twice:
evaluation is idempotent. A closed run sends ``slas.signals.evaluation_committed``
after its commit (governance opens escalations from it).

``SLAS_EVALUATION_QUEUE`` (setting, optional) routes evaluation tasks to a
queue of their own, so dedicated workers can take them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

import pghistory
from celery import chord, shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.db.models.functions import Least

from core.models import TaskRun
from core.services import task_run_create, task_run_update
from slas.evaluation import Batch, EvaluationSummary, evaluate_batch, evaluate_touched, plan_batches
from slas.evaluation.engine import MAX_SLAS
from slas.imports import IMPORT_TASK_NAME, import_run
from slas.signals import evaluation_committed

logger = logging.getLogger(__name__)


def evaluation_queue_options() -> dict[str, Any]:
    """``apply_async`` options routing evaluation tasks (the default queue unless configured)."""
    queue = getattr(settings, "SLAS_EVALUATION_QUEUE", None)
    return {"queue": queue} if queue else {}


def _since(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _guarded(run_id: int, work: Callable[[], Any]) -> Any:
    """Run ``work`` with the run's requester as audit actor; mark the run failed if it raises."""
    requester = TaskRun.objects.filter(pk=run_id).values_list("requested_by_id", flat=True).first()
    try:
        with pghistory.context(user=requester, source="evaluation"):
            return work()
    except Exception as exc:
        task_run_update(run_id=run_id, status=TaskRun.Status.FAILED, message=f"Failed: {exc}")
        raise


def _run_inline(batches: list[Batch]) -> bool:
    """One batch, or no broker to spread over (eager mode): no point in a chord."""
    return len(batches) <= 1 or bool(evaluate_slas_task.app.conf.task_always_eager)


def _finish(run_id: int, summary: EvaluationSummary) -> dict[str, Any]:
    task_run_update(
        run_id=run_id, status=TaskRun.Status.DONE, message=str(summary), result=summary.as_dict()
    )
    _announce(run_id)
    return summary.as_dict()


def _announce(run_id: int) -> None:
    """Send ``evaluation_committed`` for the run once its writes are committed.

    ``changed_since``: the breaches the run wrote carry their batch transaction's
    ``now()``; a run inside an outer transaction (eager tasks) started before
    the run's statement-time stamp, hence the earlier of the two.
    """
    since = (
        TaskRun.objects.filter(pk=run_id)
        .annotate(since=Least("started_at", RawSQL("now()", [])))
        .values_list("since", flat=True)
        .first()
    )

    def send() -> None:
        for receiver, result in evaluation_committed.send_robust(
            sender=TaskRun, task_run_id=run_id, changed_since=since
        ):
            if isinstance(result, Exception):
                logger.error(
                    "evaluation_committed receiver %r failed for run %s",
                    receiver,
                    run_id,
                    exc_info=result,
                )

    # Outside a transaction (a worker) this runs at once; inside one, at its commit.
    transaction.on_commit(send)


@shared_task(bind=True, name="slas.tasks.evaluate_slas_task")
def evaluate_slas_task(
    self,
    task_run_id: int,
    sla_ids: list[int] | None = None,
    since: str | None = None,
    touched: list[list] | None = None,
    batch_size: int | None = None,
) -> dict[str, Any] | None:
    """Run the evaluation of one TaskRun: inline when small, else a chord of batch tasks.

    ``batch_size`` (SLAs per batch, default ``MAX_SLAS``) is for tests and tuning.
    """

    def work() -> dict[str, Any] | None:
        task_run_update(run_id=task_run_id, status=TaskRun.Status.RUNNING, message="Evaluating")
        if touched is not None:
            task_run_update(run_id=task_run_id, total=1)
            summary = evaluate_touched(touched=[(int(i), d) for i, d in touched])
            task_run_update(run_id=task_run_id, done=1)
            return _finish(task_run_id, summary)
        batches = plan_batches(sla_ids=sla_ids, max_slas=batch_size or MAX_SLAS)
        task_run_update(run_id=task_run_id, total=len(batches), done=0)
        if _run_inline(batches):
            summary = EvaluationSummary()
            for number, batch in enumerate(batches, start=1):
                summary += evaluate_batch(batch=batch, since=_since(since))
                task_run_update(run_id=task_run_id, done=number)
            return _finish(task_run_id, summary)
        # The batches follow the evaluation to the queue it was taken from, so
        # dedicated evaluation workers keep the whole job.
        queue = (self.request.delivery_info or {}).get("routing_key")
        options = {"queue": queue} if queue else evaluation_queue_options()
        chord(
            evaluate_batch_task.s(task_run_id, batch.as_dict(), since).set(**options)
            for batch in batches
        )(finish_evaluation_task.s(task_run_id).set(**options))
        return None

    return _guarded(task_run_id, work)


@shared_task(name="slas.tasks.evaluate_batch_task")
def evaluate_batch_task(task_run_id: int, batch: dict, since: str | None = None) -> dict:
    """Evaluate one batch of contracts and count it done on the run."""

    def work() -> dict:
        summary = evaluate_batch(batch=Batch.from_dict(batch), since=_since(since))
        TaskRun.objects.filter(pk=task_run_id).update(progress_done=F("progress_done") + 1)
        return summary.as_dict()

    return _guarded(task_run_id, work)


@shared_task(name="slas.tasks.finish_evaluation_task")
def finish_evaluation_task(summaries: list[dict], task_run_id: int) -> dict:
    """Chord callback: add up the batches' summaries and close the run."""
    total = EvaluationSummary()
    for item in summaries:
        total += EvaluationSummary.from_dict(item)
    return _finish(task_run_id, total)


@shared_task(name="slas.tasks.evaluate_all_task")
def evaluate_all_task(at: str | None = None) -> int:
    """Nightly: evaluate every SLA (new periods, ended earn-back windows); returns the run id.

    ``at`` (from ``run_job --at``) is accepted for the job interface; the
    evaluation depends on the stored measurements, not on the clock.
    """
    run = task_run_create(kind="evaluation", message="Nightly evaluation of all SLAs")
    evaluate_slas_task(run.pk)
    return run.pk


@shared_task(name=IMPORT_TASK_NAME)
def import_measurements_task(run_id: int, token: str, filename: str) -> dict[str, Any]:
    """Thin task: run one queued measurement import (``slas.imports.import_run``)."""
    try:
        return import_run(run_id=run_id, token=token, filename=filename)
    except Exception as exc:
        task_run_update(run_id=run_id, status=TaskRun.Status.FAILED, message=f"Failed: {exc}")
        raise
