"""Writes of the notifications app: notify users, queue and deliver webhooks, preferences.

The two entry points other apps call are ``notify`` and ``webhook_event``.
Both take a ``dedupe_key`` naming the event (e.g. ``"escalation:42:level:2"``):
the database's unique keys (user, dedupe_key) and (subscription, dedupe_key)
with ``INSERT … ON CONFLICT DO NOTHING`` make every event go out once, however
often a job reruns and however many workers run it at once.

E-mail goes out at once, inside the caller's transaction (a message the mail
server refuses is retried by the ``notifications_email_retry`` job); webhook
deliveries are queued after the transaction commits (``core.dispatch``), so a
rolled-back write never calls an integration — inside a test's
transaction, run them with ``django_capture_on_commit_callbacks(execute=True)``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from core import permissions
from core.models import User
from core.services import model_create, model_delete, model_update
from notifications import choices, webhooks
from notifications.models import (
    Notification,
    NotificationPreference,
    WebhookDelivery,
    WebhookSubscription,
)

log = logging.getLogger(__name__)

KINDS = frozenset(choices.Kind.values)
EVENTS = frozenset(choices.Event.values)


# --- notifications ------------------------------------------------------------------------


def preferences_for(*, users: list[User], kind: str) -> dict[int, tuple[bool, bool]]:
    """(in_app, email) per user id for ``kind``; a user without a preference gets both."""
    chosen = dict.fromkeys((u.pk for u in users), (True, True))
    rows = NotificationPreference.objects.filter(user__in=[u.pk for u in users], kind=kind)
    for user_id, in_app, email in rows.values_list("user_id", "in_app", "email"):
        chosen[user_id] = (in_app, email)
    return chosen


def notify(
    *,
    kind: str,
    users: Iterable[User],
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str,
) -> int:
    """Send event ``dedupe_key`` to ``users``, in-app and/or by e-mail per their preference.

    Sent once per (user, dedupe_key): a user who already has it gets nothing
    again. Inactive users and ``None`` entries are skipped. Returns how many
    users were newly sent something (a user whose preference for ``kind`` is
    neither in-app nor e-mail is recorded, so a later change of preference
    does not resend old events, but not counted).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not dedupe_key:
        raise ValueError("dedupe_key is required")
    unique = {u.pk: u for u in users if u is not None and u.is_active}
    if not unique:
        return 0
    people = list(unique.values())
    chosen = preferences_for(users=people, kind=kind)
    now = timezone.now()
    rows: list[Any] = []
    for user in people:
        in_app, email = chosen[user.pk]
        email = email and bool(user.email)
        rows.extend(
            [user.pk, kind, title[:300], body, url[:500], dedupe_key[:200], in_app, email, now]
        )
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(people))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO notifications_notification
                (user_id, kind, title, body, url, dedupe_key, in_app, email, created_at)
            VALUES {values}
            ON CONFLICT (user_id, dedupe_key) DO NOTHING
            RETURNING id, in_app, email
            """,
            rows,
        )
        inserted = cursor.fetchall()
    to_mail = [pk for pk, _, email in inserted if email]
    if to_mail:
        notifications_email(ids=to_mail)
    return sum(1 for _, in_app, email in inserted if in_app or email)


def notifications_email(*, ids: list[int]) -> int:
    """E-mail the notifications ``ids`` not yet e-mailed; returns how many went out.

    Sent at once (inside the caller's transaction), one message at a time: a
    message the mail server refuses is logged and left with ``emailed_at``
    empty for ``notifications_email_retry``, and never undoes the event nor
    stops the others. Rows are locked while sent (``skip_locked``), so two
    callers never mail the same notification.
    """
    base = getattr(settings, "COVENANT_BASE_URL", "").rstrip("/")
    sent: list[int] = []
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=ids, email=True, emailed_at__isnull=True)
            .select_related("user")
            .order_by("pk")
        )
        if not pending:
            return 0
        mail = get_connection()
        try:
            mail.open()
        except Exception:  # noqa: BLE001 - the mail server is down: the retry job sends later
            log.exception("Mail server unavailable; %d notification e-mails wait", len(pending))
            return 0
        try:
            for note in pending:
                text = note.body
                if note.url:
                    text = f"{text}\n\n{base}{note.url}".lstrip()
                message = EmailMessage(
                    subject=note.title, body=text, to=[note.user.email], connection=mail
                )
                try:
                    message.send()
                except Exception:  # noqa: BLE001 - a refused message must not undo the event
                    log.exception("E-mail of notification %s not sent; will retry", note.pk)
                    continue
                sent.append(note.pk)
        finally:
            with contextlib.suppress(Exception):
                mail.close()
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return len(sent)


def notifications_email_retry(*, now=None, max_age: timedelta = timedelta(days=2)) -> int:
    """Beat job: e-mail again what the mail server refused earlier (not older than ``max_age``)."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(
            email=True,
            emailed_at__isnull=True,
            created_at__gte=now - max_age,
            created_at__lte=now - timedelta(minutes=1),
        ).values_list("pk", flat=True)[:1000]
    )
    return notifications_email(ids=ids) if ids else 0


def notification_mark_read(*, actor: User, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notifications read (``ids``, or all unread); returns how many."""
    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


@transaction.atomic
def preferences_set(*, actor: User, choices_by_kind: dict[str, tuple[bool, bool]]) -> None:
    """Store the actor's (in_app, email) choice per kind; unknown kinds are a field error."""
    unknown = set(choices_by_kind) - KINDS
    if unknown:
        raise ValidationError({"kind": [f"Unknown kind: {', '.join(sorted(unknown))}."]})
    for kind, (in_app, email) in choices_by_kind.items():
        NotificationPreference.objects.update_or_create(
            user=actor, kind=kind, defaults={"in_app": bool(in_app), "email": bool(email)}
        )


# --- webhooks -----------------------------------------------------------------------------


def max_attempts() -> int:
    """Attempts before a delivery is recorded as failed (env ``COVENANT_WEBHOOK_MAX_ATTEMPTS``)."""
    return int(os.environ.get("COVENANT_WEBHOOK_MAX_ATTEMPTS", "5"))


def backoff_seconds(attempt: int) -> float:
    """Wait after failed attempt ``attempt`` (1-based): base × 2^(attempt − 1).

    Base 30 s (env ``COVENANT_WEBHOOK_BACKOFF_SECONDS``): 30 s, 1 min, 2 min, 4 min.
    """
    base = float(os.environ.get("COVENANT_WEBHOOK_BACKOFF_SECONDS", "30"))
    return base * 2 ** (attempt - 1)


def _queue_options(queue: str | None = None) -> dict[str, Any]:
    queue = queue or getattr(settings, "WEBHOOKS_QUEUE", None)
    return {"queue": queue} if queue else {}


def _queue_delivery(delivery_id: int, attempt: int = 1, countdown: float = 0, queue=None) -> None:
    """Queue one attempt of a delivery (from a worker: the first attempts' fan-out, retries)."""
    from notifications.tasks import deliver_webhook_task

    options = _queue_options(queue)
    if countdown:
        options["countdown"] = countdown
    deliver_webhook_task.apply_async((delivery_id, attempt), **options)


DISPATCH_CHUNK = 500


def _dispatch_deliveries(ids: list[int], *, requested_by=None) -> None:
    """Send the deliveries' first attempts through ``core.dispatch`` once the caller commits.

    One watched job (``TaskRun``) per chunk of deliveries: a broker that is
    down leaves it waiting for the ``send-waiting-task-runs`` sweep instead
    of losing the deliveries.
    """
    from core.dispatch import dispatch_after_commit
    from core.services import task_run_create

    for start in range(0, len(ids), DISPATCH_CHUNK):
        chunk = ids[start : start + DISPATCH_CHUNK]
        run = task_run_create(kind="webhooks", requested_by=requested_by, total=len(chunk))
        dispatch_after_commit(
            run=run,
            task_name="notifications.deliver_webhooks",
            args=[chunk],
            kwargs={"run_id": run.pk},
            options=_queue_options(),
        )


class _TransactionBatch:
    """The deliveries queued inside one transaction, dispatched together when it commits.

    A job raising many events in one pass (every escalation it moves) then
    costs one watched job and one message per ``DISPATCH_CHUNK`` deliveries,
    not one per event. Dispatched after the commit, outside it: should the
    process die in between, the deliveries are pending rows that
    ``webhooks_retry_due`` queues (they are due from their creation).
    """

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.flushed = False
        self.hook = self.flush  # the one bound method registered, found again by identity

    def flush(self) -> None:
        self.flushed = True
        ids, self.ids = self.ids, []
        if ids:
            _dispatch_deliveries(ids)


def _queue_after_commit(ids: list[int]) -> None:
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        _dispatch_deliveries(ids)
        return
    batch = getattr(conn, "_covenant_webhook_batch", None)
    # A batch whose hook a rolled-back savepoint discarded is not reused.
    if (
        batch is None
        or batch.flushed
        or not any(entry[1] is batch.hook for entry in conn.run_on_commit)
    ):
        batch = _TransactionBatch()
        conn._covenant_webhook_batch = batch
        transaction.on_commit(batch.hook)
    batch.ids.extend(ids)


def webhook_event(*, event: str, payload: dict, dedupe_key: str) -> int:
    """Queue event ``event`` for every active subscription to it; once per (subscription, key).

    ``payload`` must be JSON-serialisable (ids, ISO dates, decimals as strings:
    DESIGN.md section 6). Returns how many deliveries were newly queued.
    """
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    if not dedupe_key:
        raise ValueError("dedupe_key is required")
    subscriptions = list(
        WebhookSubscription.objects.filter(active=True, event_types__contains=[event]).values_list(
            "pk", flat=True
        )
    )
    if not subscriptions:
        return 0
    body = json.dumps(payload, default=str)
    now = timezone.now()
    rows: list[Any] = []
    for pk in subscriptions:
        rows.extend([pk, event, body, dedupe_key[:200], now, now, now])
    row = "(%s, %s, %s::jsonb, %s, 'pending', 0, '', '', %s, %s, %s)"
    values = ", ".join([row] * len(subscriptions))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO notifications_webhookdelivery
                (subscription_id, event, payload, dedupe_key, status, attempts,
                 response_excerpt, error, next_attempt_at, created_at, updated_at)
            VALUES {values}
            ON CONFLICT (subscription_id, dedupe_key) DO NOTHING
            RETURNING id
            """,
            rows,
        )
        ids = [row[0] for row in cursor.fetchall()]
    if ids:
        _queue_after_commit(ids)
    return len(ids)


def _body(delivery: WebhookDelivery, sent_at) -> bytes:
    """The JSON POSTed: the delivery's id, event and time, and the event's data."""
    document = {
        "id": delivery.pk,
        "event": delivery.event,
        "sent_at": sent_at.isoformat().replace("+00:00", "Z"),
        "data": delivery.payload,
    }
    return json.dumps(document, separators=(",", ":"), default=str).encode()


def webhook_attempt(*, delivery_id: int, attempt: int) -> float | None:
    """Make attempt number ``attempt`` of a delivery; the seconds until the next one, or None.

    The attempt is claimed first (``attempts`` goes from attempt − 1 to
    attempt while the delivery is pending), so a task run twice, or a retry
    also queued by the sweep, POSTs once. A 2xx answer marks it delivered;
    a refused target fails it at once (retrying cannot help); any other
    answer or a network error retries after ``backoff_seconds`` until
    ``max_attempts``, then marks it failed.
    """
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=choices.DeliveryStatus.PENDING, attempts=attempt - 1
    ).update(attempts=F("attempts") + 1, next_attempt_at=None, updated_at=timezone.now())
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    now = timezone.now()
    outcome: dict[str, Any] = {"error": "", "response_code": None, "response_excerpt": ""}
    retry_in: float | None = None
    if not subscription.active and delivery.event != choices.Event.PING:
        outcome.update(status=choices.DeliveryStatus.FAILED, error="The subscription is inactive.")
    else:
        body = _body(delivery, now)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Covenant-Webhooks/1",
            webhooks.SIGNATURE_HEADER: webhooks.sign(secret=subscription.secret, body=body),
            webhooks.TIMESTAMP_HEADER: str(int(now.timestamp())),
            webhooks.EVENT_HEADER: delivery.event,
            webhooks.DELIVERY_HEADER: str(delivery.pk),
        }
        try:
            answer = webhooks.post(
                url=subscription.target_url,
                body=body,
                headers=headers,
                allow_private=subscription.allow_private,
            )
        except webhooks.TargetRefused as exc:
            outcome.update(status=choices.DeliveryStatus.FAILED, error=f"Refused: {exc}")
        except Exception as exc:  # noqa: BLE001 - any network failure is a failed attempt
            outcome.update(error=f"{type(exc).__name__}: {exc}"[:1000])
        else:
            outcome.update(response_code=answer.status, response_excerpt=answer.excerpt)
            if answer.ok:
                outcome.update(status=choices.DeliveryStatus.DELIVERED, delivered_at=now)
            else:
                outcome["error"] = f"HTTP {answer.status}"
        if "status" not in outcome:
            if attempt >= max_attempts():
                outcome["status"] = choices.DeliveryStatus.FAILED
            else:
                retry_in = backoff_seconds(attempt)
                outcome["next_attempt_at"] = now + timedelta(seconds=retry_in)
    WebhookDelivery.objects.filter(pk=delivery_id).update(updated_at=timezone.now(), **outcome)
    return retry_in


def webhooks_retry_due(*, now=None, grace: timedelta = timedelta(minutes=5)) -> int:
    """Re-queue pending deliveries whose task was lost (due for more than ``grace``).

    A lost task (a worker killed mid-countdown) leaves a pending delivery
    behind; the attempt claim in ``webhook_attempt`` makes re-queueing one
    that is merely late harmless. Returns how many were re-queued.
    """
    now = now or timezone.now()
    stale = WebhookDelivery.objects.filter(
        status=choices.DeliveryStatus.PENDING, next_attempt_at__lte=now - grace
    ).values_list("pk", "attempts")
    count = 0
    for pk, attempts in stale:
        _queue_delivery(pk, attempts + 1)
        count += 1
    return count


def _check_subscription(data: dict[str, Any], *, actor: User, current=None) -> None:
    """Field errors for a subscription's data: events known, target acceptable, flag by admin."""
    errors: dict[str, list[str]] = {}
    is_admin = permissions.has_admin_powers(actor)
    before = current.allow_private if current else False
    allow_private = bool(data.get("allow_private", before))
    if allow_private != before and not is_admin:
        errors["allow_private"] = ["Only an administrator may allow private targets."]
    elif (
        before
        and not is_admin
        and "target_url" in data
        and data["target_url"] != current.target_url
    ):
        errors["target_url"] = [
            "Only an administrator may change the target of a subscription allowed private targets."
        ]
    events = data.get("event_types", current.event_types if current else [])
    bad = sorted(set(events or []) - (EVENTS - {choices.Event.PING}))
    if bad:
        errors["event_types"] = [f"Unknown events: {', '.join(bad)}."]
    elif not events:
        errors["event_types"] = ["Choose at least one event."]
    url = data.get("target_url", current.target_url if current else "")
    if url:
        try:
            webhooks.check_target(url, allow_private=bool(allow_private))
        except webhooks.TargetRefused as exc:
            errors["target_url"] = [str(exc)]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def webhook_subscription_create(*, actor: User, data: dict[str, Any]) -> WebhookSubscription:
    """Create a subscription (admin and governance office; ``allow_private`` by admin only)."""
    _check_subscription(data, actor=actor)
    return model_create(model=WebhookSubscription, data={**data, "created_by": actor})


@transaction.atomic
def webhook_subscription_update(
    *, actor: User, instance: WebhookSubscription, data: dict[str, Any]
) -> WebhookSubscription:
    """Change a subscription; the target is checked again against the (new) flag."""
    _check_subscription(data, actor=actor, current=instance)
    return model_update(instance=instance, data=data)


def webhook_subscription_delete(*, actor: User, instance: WebhookSubscription) -> None:
    """Delete a subscription and its delivery log."""
    model_delete(instance=instance)


def webhook_send_test(*, actor: User, subscription: WebhookSubscription) -> WebhookDelivery:
    """Queue a ``ping`` delivery to this one subscription (the "send test" button).

    Each press is its own event (the key carries the time), so it is never deduplicated away.
    """
    stamp = timezone.now().isoformat()
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event=choices.Event.PING,
        payload={"message": "Test delivery from Covenant", "requested_by": actor.username},
        dedupe_key=f"ping:{actor.pk}:{stamp}",
    )
    _dispatch_deliveries([delivery.pk], requested_by=actor)
    return delivery
