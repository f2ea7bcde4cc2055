"""Celery tasks of the governance app. Thin: each calls services and is safe to run twice."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from core.jobs import job_now, job_today
from governance.escalation import escalations_advance, escalations_open_from_results
from governance.notifying import escalation_events_notify
from governance.services import action_items_remind


@shared_task(name="governance.tasks.escalations_advance_task")
def escalations_advance_task(at: str | None = None) -> dict:
    """Every 5 minutes: move unacknowledged escalations at their due times, then send the
    notices of every event not yet notified (those of this run, and any a lost worker left)."""
    report = escalations_advance(now=job_now(at))
    notified = 0
    while True:  # in batches, until every pending notice has gone out
        sent = escalation_events_notify()
        notified += sent
        if not sent:
            break
    return {**asdict(report), "notified": notified}


@shared_task(name="governance.tasks.escalations_open_task")
def escalations_open_task(sla_ids: list[int] | None = None, at: str | None = None) -> dict:
    """After an SLA evaluation: open the escalations its results call for, notify them."""
    report = escalations_open_from_results(sla_ids=sla_ids, at=job_now(at))
    if report.opened:
        escalation_events_notify_task.delay()
    return asdict(report)


@shared_task(name="governance.tasks.escalation_events_notify_task")
def escalation_events_notify_task() -> int:
    """Send the notices of escalation events not yet notified (once each)."""
    total = 0
    while sent := escalation_events_notify():
        total += sent
    return total


@shared_task(name="governance.tasks.action_items_reminders_task")
def action_items_reminders_task(at: str | None = None) -> dict:
    """Daily: remind owners of action items falling due (3 days ahead) and overdue, once each."""
    return action_items_remind(today=job_today(at))


def after_evaluation(*, task_run_id: int | None = None) -> None:
    """The SLA evaluation's hook (``slas.tasks._finish``): open escalations from the new
    results once the evaluation's writes are committed."""
    from django.db import transaction

    transaction.on_commit(lambda: escalations_open_task.delay())
