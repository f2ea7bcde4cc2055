"""Sending a watched job's Celery message so that a broker fault never costs a write or a 500.

Every write that queues background work (an evaluation, an import, a QBR
render, a webhook delivery) goes through ``dispatch_after_commit``:

1. The caller creates its ``core.TaskRun`` (``core.services.task_run_create``)
   inside its transaction and calls ``dispatch_after_commit(run=..., task_name=...,
   args=..., kwargs=..., options=...)``. The message (task name, JSON
   arguments, ``apply_async`` options such as ``queue``) is recorded on the run,
   in the same transaction as the data it is about.
2. Once the transaction commits, the message is sent. A rolled-back write
   sends nothing. The broker is given about a second (settings' Celery
   section: connect timeout, one publish retry); the result backend is never
   contacted in the request (``ignore_result``: the run, not the result
   backend, is where a job reports).
3. If sending fails for any reason (broker down, result backend down, a
   network fault), the request still answers as usual: its data is committed,
   the run's status becomes ``waiting`` ("Waiting for the broker") and the
   error is kept in ``send_error``.
4. ``task_runs_send_waiting`` (the ``send-waiting-task-runs`` job: beat every
   two minutes, or ``run_job``) sends every waiting run again once the broker
   is back, and also any run whose on-commit send never happened (the web
   process died between the commit and the send). Each run is claimed under a
   row lock (``SKIP LOCKED``), so two sweeps never send one run twice, and a
   sent run is stamped ``sent_at`` and leaves the sweep's reach: it is sent
   exactly once. The tasks themselves stay idempotent, because a broker that
   took a message but failed to say so can still deliver a second copy.

In eager mode (no ``REDIS_URL``) the task runs in process at commit, as
before, and its exceptions propagate.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Now
from django.utils import timezone

from core.models import TaskRun

logger = logging.getLogger(__name__)

# A run whose on-commit send has not happened this long after it was queued
# is taken to have lost its sender (a web process killed at the wrong moment).
UNSENT_GRACE = timedelta(minutes=1)


def dispatch_after_commit(
    *,
    run: TaskRun,
    task_name: str,
    args: list | None = None,
    kwargs: dict | None = None,
    options: dict | None = None,
) -> None:
    """Record on ``run`` the Celery message that carries it; send it once the transaction commits.

    ``task_name`` is the registered Celery name (``"slas.tasks.evaluate_slas_task"``);
    ``args`` and ``kwargs`` must be JSON (ids, ISO dates), ``options`` are
    ``apply_async`` options (``queue``, ``countdown``...). Never raises for a
    broker fault: the run is then left ``waiting`` for ``task_runs_send_waiting``.
    """
    args, kwargs, options = list(args or []), dict(kwargs or {}), dict(options or {})
    TaskRun.objects.filter(pk=run.pk).update(
        task_name=task_name, task_args=args, task_kwargs=kwargs, task_options=options
    )
    run.task_name, run.task_args, run.task_kwargs, run.task_options = (
        task_name,
        args,
        kwargs,
        options,
    )
    transaction.on_commit(lambda: _send_and_record(run.pk))


def _task(name: str):
    from config.celery_app import app

    if name not in app.tasks:
        app.loader.import_default_modules()  # the apps' tasks.py, found lazily otherwise
    return app.tasks[name]


def _publish(run: TaskRun) -> str:
    """Send the run's message; '' when sent, else the error (eager mode: exceptions propagate)."""
    task = _task(run.task_name)
    options = {**run.task_options, "ignore_result": True}
    if task.app.conf.task_always_eager:
        task.apply_async(args=run.task_args, kwargs=run.task_kwargs, **options)
        return ""
    try:
        task.apply_async(args=run.task_args, kwargs=run.task_kwargs, **options)
    except Exception as exc:  # any fault of the broker or backend: the sweep sends it later
        logger.warning("Task run %s (%s) not sent: %r", run.pk, run.task_name, exc)
        return f"{type(exc).__name__}: {exc}"[:2000] or type(exc).__name__
    return ""


def _record(run_id: int, error: str) -> None:
    """Stamp a sent run, or mark an unsent one waiting; never undoes a worker's progress."""
    runs = TaskRun.objects.filter(pk=run_id)
    if error:
        runs.update(send_attempts=F("send_attempts") + 1, send_error=error)
        runs.filter(status=TaskRun.Status.QUEUED).update(status=TaskRun.Status.WAITING)
        return
    runs.update(sent_at=Now(), send_attempts=F("send_attempts") + 1, send_error="")
    # Back from waiting; a worker that already took it has moved it on itself.
    runs.filter(status=TaskRun.Status.WAITING).update(status=TaskRun.Status.QUEUED)


def _send_and_record(run_id: int) -> None:
    run = TaskRun.objects.filter(pk=run_id).first()
    if run is None or run.sent_at is not None:
        return
    _record(run_id, _publish(run))


def _unsent(now: datetime) -> Q:
    """Runs the sweep sends: waiting ones, and queued ones whose on-commit send never happened."""
    return (
        ~Q(task_name="")
        & Q(sent_at__isnull=True)
        & (
            Q(status=TaskRun.Status.WAITING)
            | Q(status=TaskRun.Status.QUEUED, created_at__lt=now - UNSENT_GRACE)
        )
    )


def task_runs_send_waiting(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send the messages that never reached the broker, oldest first; returns how many were sent.

    Each run is claimed in its own transaction under ``SELECT ... FOR UPDATE
    SKIP LOCKED`` and stamped ``sent_at`` before the lock is released, so
    concurrent sweeps never send a run twice and a second sweep finds nothing
    to send. It stops at the first failure: the broker is still down, and the
    next sweep tries again.
    """
    now = now or timezone.now()
    pending = TaskRun.objects.filter(_unsent(now)).order_by("created_at", "id")
    ids = list(pending.values_list("pk", flat=True)[:limit])
    sent = 0
    for run_id in ids:
        with transaction.atomic():
            run = (
                TaskRun.objects.select_for_update(skip_locked=True)
                .filter(_unsent(now), pk=run_id)
                .first()
            )
            if run is None:
                continue  # another sweep has it, or it was sent meanwhile
            error = _publish(run)
            _record(run.pk, error)
        if error:
            break
        sent += 1
    return sent


def broker_status(*, timeout: float = 1.0) -> dict[str, Any]:
    """Whether the broker answers within ``timeout`` seconds: ``{"ok": bool, "error": str}``.

    The health endpoint's broker part. In eager mode there is no broker to ask.
    """
    from config.celery_app import app

    if app.conf.task_always_eager:
        return {"ok": True, "mode": "eager"}
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0, timeout=timeout)
            connection.default_channel  # noqa: B018 - opens the transport's channel for real
    except Exception as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
    return {"ok": True}
