"""Housekeeping tasks of the shell. Thin: each calls one service and is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from core.jobs import job_now
from core.services import task_runs_fail_stale


@shared_task(name="core.tasks.fail_stale_task_runs_task")
def fail_stale_task_runs_task(older_than_hours: int = 6, at: str | None = None) -> int:
    """Close job runs whose worker died, so their pages stop waiting (hourly in beat)."""
    return task_runs_fail_stale(older_than_hours=older_than_hours, now=job_now(at) if at else None)
