"""Celery tasks of the contracts app. Thin: each calls one service and is safe to run twice."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from celery import shared_task

from contracts.services import contract_dates_daily
from core.jobs import job_today


@shared_task(name="contracts.tasks.contract_dates_daily_task")
def contract_dates_daily_task(today: str | None = None, at: str | None = None) -> dict:
    """Roll over tacit renewals, expire ended contracts, send notice reminders (daily in beat).

    ``today`` (``YYYY-MM-DD``) replays a given day; by default it is today's
    date, or that of ``at`` (``run_job --at``). Running it twice on one day changes and
    sends nothing more.
    """
    day = date.fromisoformat(today) if today else job_today(at)
    return asdict(contract_dates_daily(today=day))
