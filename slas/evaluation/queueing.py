"""Queueing an evaluation as a watched background job (``core.TaskRun``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from core.dispatch import dispatch_after_commit
from core.models import TaskRun
from core.services import task_run_create


def queue_evaluation(
    *,
    sla_ids: Iterable[int] | None = None,
    since: date | None = None,
    touched: Iterable[tuple[int, date]] | None = None,
    actor=None,
) -> TaskRun:
    """Queue an evaluation and return the ``TaskRun`` (kind ``evaluation``) to watch.

    ``touched`` (sla_id, date) pairs recompute just the periods holding them
    (what ingestion sends); otherwise ``sla_ids`` (all when None) and periods
    ending on/after ``since``. The Celery task is dispatched only once the
    current transaction commits, so a rolled-back ingestion never evaluates,
    and the task sees the rows that were committed; with the broker down the
    run waits for ``core.dispatch``'s sweep instead of failing the write.
    """
    from slas.tasks import evaluate_slas_task, evaluation_queue_options

    ids = sorted({int(i) for i in sla_ids}) if sla_ids is not None else None
    pairs = (
        sorted({(int(i), d.isoformat() if isinstance(d, date) else str(d)) for i, d in touched})
        if touched is not None
        else None
    )
    if pairs is not None:
        message = f"Queued: {len(pairs)} touched measurement date(s)"
    elif ids is not None:
        message = f"Queued: {len(ids)} SLA(s)"
    else:
        message = "Queued: all SLAs"
    if since is not None:
        message += f", periods ending on/after {since.isoformat()}"
    run = task_run_create(kind="evaluation", requested_by=actor, message=message)
    args = [
        run.pk,
        ids,
        since.isoformat() if since is not None else None,
        [list(p) for p in pairs] if pairs is not None else None,
    ]
    dispatch_after_commit(
        run=run, task_name=evaluate_slas_task.name, args=args, options=evaluation_queue_options()
    )
    return run
