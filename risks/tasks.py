"""Celery tasks of the risks app. Thin: each calls one service and is safe to run twice."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from core.jobs import job_today
from risks.services import reviews_due_notify


@shared_task(name="risks.tasks.reviews_due_task")
def reviews_due_task(at: str | None = None) -> dict:
    """Notify the risk reviews and vendor reassessments due or overdue (daily in beat).

    ``at`` (``run_job risk-reviews-due --at …``) stands in for now. Each review
    is notified once per due date, however often the job runs.
    """
    return asdict(reviews_due_notify(today=job_today(at)))
