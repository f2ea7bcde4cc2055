"""Webhook deliveries on a real Celery worker on Redis: signed, retried with backoff, failed.

Needs ``REDIS_URL`` (CI sets it). The worker is a ``celery -A config worker``
subprocess on the pytest database and a queue of its own (``WEBHOOKS_QUEUE``),
with a short backoff (``COVENANT_WEBHOOK_BACKOFF_SECONDS``) and three attempts
(``COVENANT_WEBHOOK_MAX_ATTEMPTS``) so a failure is recorded within seconds.
"""

from __future__ import annotations

import json
import os
import time

import pytest
from django.db import transaction

from notifications import services, webhooks
from notifications.models import WebhookDelivery, WebhookSubscription
from tests.workers import celery_worker

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="REDIS_URL is unset: the real-worker tests need a Redis broker",
    ),
]


@pytest.fixture
def worker(settings, tmp_path):
    """Start a worker on a private queue; stop it (and only it) afterwards."""
    log = tmp_path / "worker.log"
    with celery_worker(
        name="webhooks",
        log=log,
        concurrency=2,
        env={"COVENANT_WEBHOOK_BACKOFF_SECONDS": "0.3", "COVENANT_WEBHOOK_MAX_ATTEMPTS": "3"},
    ) as queue:
        settings.WEBHOOKS_QUEUE = queue
        yield {"queue": queue, "log": log}


def wait_for(status: str, log, timeout: float = 40) -> WebhookDelivery:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        delivery = WebhookDelivery.objects.order_by("pk").last()
        if delivery is not None and delivery.status == status:
            return delivery
        time.sleep(0.2)
    pytest.fail(f"No {status} delivery; worker log:\n{log.read_text()[-4000:]}")


def _subscribe(url):
    # Straight to the table: a transactional test's flush has removed the role
    # groups an admin actor needs (the admin-only flag is tested in test_webhooks).
    return WebhookSubscription.objects.create(
        name="receiver", target_url=url, event_types=["escalation.moved"], allow_private=True
    )


def _event():
    with transaction.atomic():
        return services.webhook_event(
            event="escalation.moved",
            payload={"escalation": 5, "level": 2},
            dedupe_key="escalation:5:level:2",
        )


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_a_signed_event_once(worker, receiver):
    sub = _subscribe(receiver.url)
    assert _event() == 1
    delivery = wait_for("delivered", worker["log"])
    assert (delivery.attempts, delivery.response_code) == (1, 200)
    assert _event() == 0  # the rerun queues nothing
    time.sleep(1)
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert webhooks.verify(
        secret=sub.secret,
        body=request["body"],
        signature=request["headers"]["X-Covenant-Signature"],
    )
    assert json.loads(request["body"])["data"] == {"escalation": 5, "level": 2}


@pytest.mark.django_db(transaction=True)
def test_worker_retries_a_failing_receiver_then_records_failure(worker, receiver):
    receiver.status = 500
    _subscribe(receiver.url)
    started = time.monotonic()
    _event()
    delivery = wait_for("failed", worker["log"])
    assert (delivery.attempts, delivery.response_code, delivery.error) == (3, 500, "HTTP 500")
    assert len(receiver.requests) == 3
    # Backoff 0.3 s then 0.6 s: the three attempts took at least 0.9 s.
    assert time.monotonic() - started >= 0.9
