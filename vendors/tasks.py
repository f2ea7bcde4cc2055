"""Celery tasks of the vendors app. Thin: each calls one service and is safe to run twice."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from celery import shared_task

from core.jobs import job_today
from vendors.services import certification_reminders_send


@shared_task(name="vendors.tasks.certification_reminders_task")
def certification_reminders_task(today: str | None = None, at: str | None = None) -> dict:
    """Send the certification reminders due today (daily in beat; 90/30/7 days, expired).

    ``today`` (``YYYY-MM-DD``) replays a given day; by default it is today's
    date, or that of ``at`` (``run_job --at``). Running it twice on one day sends nothing more.
    """
    day = date.fromisoformat(today) if today else job_today(at)
    return asdict(certification_reminders_send(today=day))
