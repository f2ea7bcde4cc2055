"""Housekeeping tasks of the shell. Thin: each calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from core.dispatch import task_runs_send_waiting
from core.jobs import job_now
from core.services import task_runs_fail_stale


@shared_task(name="core.tasks.fail_stale_task_runs_task")
def fail_stale_task_runs_task(older_than_hours: int = 6, at: str | None = None) -> int:
    """Close job runs whose worker died, so their pages stop waiting (hourly in beat)."""
    return task_runs_fail_stale(older_than_hours=older_than_hours, now=job_now(at) if at else None)


@shared_task(name="core.tasks.send_waiting_task_runs_task")
def send_waiting_task_runs_task(at: str | None = None) -> int:
    """Send the jobs whose message never reached the broker (every two minutes in beat).

    Returns how many were sent; running it again sends nothing twice.
    """
    return task_runs_send_waiting(now=job_now(at) if at else None)
