"""Celery tasks of the governance app. Thin: each calls services and is safe to run twice."""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import datetime, timedelta

from celery import shared_task
from django.utils import timezone

from core.jobs import job_now, job_today
from governance.escalation import (
    LOOKBACK_DAYS,
    escalations_advance,
    escalations_open_from_results,
)
from governance.notifying import breach_signals, escalation_events_notify
from governance.services import action_items_remind

logger = logging.getLogger(__name__)


@shared_task(name="governance.tasks.escalations_advance_task")
def escalations_advance_task(at: str | None = None) -> dict:
    """Every 5 minutes: move unacknowledged escalations at their due times, then send the
    notices of every event not yet notified (those of this run, and any a lost worker left)."""
    report = escalations_advance(now=job_now(at))
    return {**asdict(report), "notified": _notify_all()}


def _notify_all() -> int:
    """Send every pending escalation notice, in batches; how many events were handled."""
    total = 0
    while sent := escalation_events_notify():
        total += sent
    return total


@shared_task(name="governance.tasks.escalations_open_task")
def escalations_open_task(
    sla_ids: list[int] | None = None, changed_since: str | None = None, at: str | None = None
) -> dict:
    """Open the escalations the SLA results call for, and notify them (once each).

    Daily in beat over every SLA (``escalations-open-daily``: a safety net for
    what no evaluation hook saw, e.g. a met period whose data was deleted);
    after each evaluation for the SLAs whose breaches it wrote.
    """
    since = datetime.fromisoformat(changed_since) if changed_since else None
    report = escalations_open_from_results(sla_ids=sla_ids, changed_since=since, at=job_now(at))
    return {**asdict(report), "notified": _notify_all() if report.opened else 0}


@shared_task(name="governance.tasks.action_items_reminders_task")
def action_items_reminders_task(at: str | None = None) -> dict:
    """Daily: remind owners of action items falling due (3 days ahead) and overdue, once each."""
    return action_items_remind(today=job_today(at))


def after_evaluation(*, task_run_id: int | None = None) -> None:
    """The SLA evaluation's hook (``slas.tasks._finish``): open the escalations the new
    results call for, and signal the breaches it wrote (webhooks, critical-breach
    notices), in the evaluation's own worker (its writes are committed).

    A failure here is logged, never raised: the evaluation itself succeeded,
    and the next one (at the latest the nightly run) opens what this one missed.
    """
    from django.db.models.expressions import RawSQL
    from django.db.models.functions import Least

    from core.models import TaskRun

    # The breaches it wrote carry the batch transaction's now(); an evaluation run
    # inside an outer transaction (eager tasks) has its start before the run's
    # statement-time stamp, hence the earlier of the two.
    started = (
        TaskRun.objects.filter(pk=task_run_id)
        .annotate(since=Least("started_at", RawSQL("now()", [])))
        .values_list("since", flat=True)
        .first()
        if task_run_id is not None
        else None
    )
    try:
        escalations_open_task(changed_since=started.isoformat() if started else None)
        if started is not None:
            breach_signals(
                changed_since=started,
                window_start=timezone.localdate() - timedelta(days=LOOKBACK_DAYS),
            )
    except Exception:  # noqa: BLE001 — see the docstring
        logger.exception("Escalations after evaluation run %s failed", task_run_id)
