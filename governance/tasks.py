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


def after_evaluation(sender=None, *, changed_since: datetime | None = None, **kwargs) -> None:
    """Receiver of ``slas.signals.evaluation_committed`` (connected in ``GovernanceConfig.ready``):
    open the escalations the new results call for, and signal the breaches the run
    wrote (webhooks, critical-breach notices), in the evaluation's own worker.

    ``changed_since`` limits both to the SLAs and breaches the run wrote (None:
    every SLA; no breach signals, as nothing says which breaches are new).
    Twice, or with a concurrent run, is harmless: opening serializes on an
    advisory lock and every notice and delivery has its dedupe key. A failure
    here is logged, never raised: the evaluation itself succeeded, and the next
    one (at the latest the nightly run) opens what this one missed.
    """
    try:
        escalations_open_task(changed_since=changed_since.isoformat() if changed_since else None)
        if changed_since is not None:
            breach_signals(
                changed_since=changed_since,
                window_start=timezone.localdate() - timedelta(days=LOOKBACK_DAYS),
            )
    except Exception:  # noqa: BLE001 — see the docstring
        logger.exception("Escalations after evaluation run %s failed", kwargs.get("task_run_id"))
