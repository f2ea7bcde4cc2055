"""Thin Celery tasks of the notifications app: ids in, a service call, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from core.jobs import job_now
from core.services import task_run_update
from notifications import services


@shared_task(name="notifications.deliver_webhook", bind=True, ignore_result=True)
def deliver_webhook_task(self, delivery_id: int, attempt: int = 1) -> None:
    """Make one attempt of a delivery; on failure queue the next after the backoff.

    The next attempt goes to the queue this one came from. Running the same
    attempt twice POSTs once (the service claims each attempt).
    """
    retry_in = services.webhook_attempt(delivery_id=delivery_id, attempt=attempt)
    if retry_in is None:
        return
    queue = (self.request.delivery_info or {}).get("routing_key")
    services._queue_delivery(delivery_id, attempt + 1, countdown=retry_in, queue=queue)


@shared_task(name="notifications.deliver_webhooks", bind=True, ignore_result=True)
def deliver_webhooks_task(self, delivery_ids: list[int], run_id: int | None = None) -> None:
    """Fan an event's deliveries out, one task each, on this task's queue; close the job run."""
    queue = (self.request.delivery_info or {}).get("routing_key")
    for delivery_id in delivery_ids:
        services._queue_delivery(delivery_id, 1, queue=queue)
    if run_id is not None:
        task_run_update(run_id=run_id, status="done", done=len(delivery_ids))


@shared_task(name="notifications.webhooks_retry_due")
def webhooks_retry_due_task(at: str | None = None) -> int:
    """Beat job: re-queue pending deliveries whose retry task was lost."""
    return services.webhooks_retry_due(now=job_now(at))


@shared_task(name="notifications.email_retry")
def notifications_email_retry_task(at: str | None = None) -> int:
    """Beat job: e-mail the notifications the mail server refused earlier."""
    return services.notifications_email_retry(now=job_now(at))
