"""Outbound webhooks: signed POSTs to a real local receiver, once per event, retries, SSRF."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from django.core.exceptions import ValidationError

from core import roles
from notifications import services, webhooks
from notifications.models import WebhookDelivery, WebhookSubscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user(roles.ADMIN, username="root")


def _subscribe(admin, url, *, events=("breach.opened",), allow_private=True, **extra):
    return services.webhook_subscription_create(
        actor=admin,
        data={
            "name": extra.pop("name", "ticketing"),
            "target_url": url,
            "event_types": list(events),
            "allow_private": allow_private,
            **extra,
        },
    )


def _event(key="breach:12:opened"):
    return services.webhook_event(
        event="breach.opened",
        payload={"breach": 12, "sla": 3, "credit": "125.00"},
        dedupe_key=key,
    )


def test_signed_delivery_verified_by_a_real_receiver(
    admin, receiver, django_capture_on_commit_callbacks
):
    sub = _subscribe(admin, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        assert _event() == 1
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    body = request["body"]
    # The receiver recomputes HMAC-SHA256 over the raw body with the shared secret.
    expected = "sha256=" + hmac.new(sub.secret.encode(), body, hashlib.sha256).hexdigest()
    assert request["headers"]["X-Covenant-Signature"] == expected
    assert webhooks.verify(secret=sub.secret, body=body, signature=expected)
    assert not webhooks.verify(secret="wrong", body=body, signature=expected)
    assert request["headers"]["X-Covenant-Event"] == "breach.opened"
    assert request["headers"]["X-Covenant-Timestamp"].isdigit()
    document = json.loads(body)
    assert document["event"] == "breach.opened"
    assert document["data"] == {"breach": 12, "sla": 3, "credit": "125.00"}
    delivery = WebhookDelivery.objects.get()
    assert document["id"] == delivery.pk
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 1, 200)
    assert delivery.response_excerpt == "answered 200"


def test_once_per_event_a_rerun_queues_nothing(admin, receiver, django_capture_on_commit_callbacks):
    _subscribe(admin, receiver.url)
    _subscribe(admin, receiver.url, name="other", events=("breach.changed",))
    with django_capture_on_commit_callbacks(execute=True):
        assert _event() == 1  # only the subscription to breach.opened
        assert _event() == 0
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.count() == 1


def test_inactive_subscription_gets_nothing(admin, receiver, django_capture_on_commit_callbacks):
    _subscribe(admin, receiver.url, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert _event() == 0
    assert receiver.requests == []


def test_failing_receiver_retried_then_failed(
    admin, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    """Eagerly (countdowns run at once): 3 attempts, then failed with the last answer."""
    monkeypatch.setenv("COVENANT_WEBHOOK_MAX_ATTEMPTS", "3")
    receiver.status = 503
    _subscribe(admin, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        _event()
    assert len(receiver.requests) == 3
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 3, 503)
    assert delivery.error == "HTTP 503"
    assert delivery.next_attempt_at is None


def test_recovers_on_a_later_attempt(
    admin, receiver, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("COVENANT_WEBHOOK_MAX_ATTEMPTS", "5")
    receiver.statuses = [500, 302]  # a redirect is not followed: a failed attempt
    _subscribe(admin, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        _event()
    assert len(receiver.requests) == 3
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 3, 200)


def test_an_attempt_runs_once_however_often_its_task_runs(admin, receiver):
    sub = _subscribe(admin, receiver.url)
    delivery = WebhookDelivery.objects.create(
        subscription=sub, event="breach.opened", payload={}, dedupe_key="k"
    )
    assert services.webhook_attempt(delivery_id=delivery.pk, attempt=1) is None
    assert services.webhook_attempt(delivery_id=delivery.pk, attempt=1) is None
    assert len(receiver.requests) == 1


def test_backoff_doubles(monkeypatch):
    monkeypatch.setenv("COVENANT_WEBHOOK_BACKOFF_SECONDS", "30")
    assert [services.backoff_seconds(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "http://localhost/",
        "http://0.0.0.0/",
        "http://192.168.1.10/",
        "http://172.16.0.1/",
    ],
)
def test_private_targets_refused_without_the_admin_flag(admin, url):
    with pytest.raises(ValidationError) as caught:
        _subscribe(admin, url, allow_private=False)
    assert "target_url" in caught.value.message_dict
    assert WebhookSubscription.objects.count() == 0


@pytest.mark.parametrize(
    "url", ["ftp://example.com/", "http://user:pw@example.com/", "file:///etc/passwd"]
)
def test_other_bad_targets_refused(admin, url):
    with pytest.raises(ValidationError) as caught:
        _subscribe(admin, url, allow_private=False)
    assert "target_url" in caught.value.message_dict


def test_delivery_refuses_a_private_target_at_send_time(admin, receiver):
    """A target that turned private after saving (DNS change) is refused when delivering."""
    sub = _subscribe(admin, receiver.url)
    WebhookSubscription.objects.filter(pk=sub.pk).update(allow_private=False)
    delivery = WebhookDelivery.objects.create(
        subscription=sub, event="breach.opened", payload={}, dedupe_key="k"
    )
    assert services.webhook_attempt(delivery_id=delivery.pk, attempt=1) is None
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.error.startswith("Refused: 127.0.0.1 resolves to 127.0.0.1")
    assert receiver.requests == []


def test_only_an_admin_may_allow_private_targets(make_user, receiver):
    office = make_user(roles.GOVERNANCE_OFFICE)
    with pytest.raises(ValidationError) as caught:
        _subscribe(office, receiver.url, allow_private=True)
    assert "allow_private" in caught.value.message_dict
    admin = make_user(roles.ADMIN)
    sub = _subscribe(admin, receiver.url, allow_private=True)
    # The office may rename it but not re-point it, nor drop and re-set the flag.
    services.webhook_subscription_update(actor=office, instance=sub, data={"name": "renamed"})
    with pytest.raises(ValidationError) as caught:
        services.webhook_subscription_update(
            actor=office, instance=sub, data={"target_url": "http://10.0.0.5/"}
        )
    assert "target_url" in caught.value.message_dict


def test_send_test_pings_one_subscription(admin, receiver, django_capture_on_commit_callbacks):
    sub = _subscribe(admin, receiver.url, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.webhook_send_test(actor=admin, subscription=sub)
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert json.loads(receiver.requests[0]["body"])["event"] == "ping"


def test_address_is_public():
    assert webhooks.address_is_public("93.184.216.34")
    assert not webhooks.address_is_public("100.64.0.1")  # carrier-grade NAT
    assert not webhooks.address_is_public("fe80::1%eth0")
    assert not webhooks.address_is_public("fc00::1")


def test_events_of_one_transaction_share_one_dispatch(
    admin, receiver, django_capture_on_commit_callbacks
):
    """Three events in one transaction: one watched job carries the three deliveries."""
    from core.models import TaskRun

    _subscribe(admin, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            _event(key=f"breach:{number}:opened")
    assert TaskRun.objects.filter(kind="webhooks").count() == 1
    assert len(receiver.requests) == 3
    with django_capture_on_commit_callbacks(execute=True):
        _event(key="breach:9:opened")  # a later transaction: its own dispatch
    assert TaskRun.objects.filter(kind="webhooks").count() == 2
    assert len(receiver.requests) == 4


def test_a_lost_dispatch_is_picked_up_by_the_sweep(admin, receiver):
    """Deliveries whose dispatch never happened (the process died) are queued by the job."""
    from datetime import timedelta

    from django.utils import timezone

    _subscribe(admin, receiver.url)
    assert _event() == 1  # on-commit hooks never run inside this test's transaction
    assert receiver.requests == []
    assert services.webhooks_retry_due(now=timezone.now()) == 0  # not yet overdue
    assert services.webhooks_retry_due(now=timezone.now() + timedelta(minutes=6)) == 1
    assert len(receiver.requests) == 1
    assert WebhookDelivery.objects.get().status == "delivered"
