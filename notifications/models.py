"""Notifications to users and outbound webhooks (issue #10, "Notifications").

A ``Notification`` row is both the in-app notice and the record that an event
was sent to a user: the unique key (user, dedupe_key) is what makes every
event go out once, whatever reruns. E-mail-only preferences still write the
row (``in_app`` false), so the bell does not show it but a rerun finds it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from core.audit import tracked
from core.models import CovenantModel
from notifications import choices


class Notification(models.Model):
    """One event sent to one user: shown in-app, e-mailed, or both, by their preference."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=choices.Kind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    dedupe_key = models.CharField(max_length=200)
    in_app = models.BooleanField(default=True, help_text="Shown in the bell and the list.")
    email = models.BooleanField(default=False, help_text="To be e-mailed (preference).")
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                name="notification_once_per_user_event",
                violation_error_message="This event was already sent to this user.",
            )
        ]
        indexes = [
            models.Index(
                fields=["user", "created_at"],
                condition=models.Q(in_app=True, read_at__isnull=True),
                name="notification_unread",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url or "/notifications/"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How one user wants one kind delivered. Without a row: in-app and e-mail both."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=32, choices=choices.Kind.choices)
    in_app = models.BooleanField(default=True)
    email = models.BooleanField(default=True)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                name="notification_preference_once",
                violation_error_message="This kind already has a preference for this user.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind}"


def _new_secret() -> str:
    return secrets.token_hex(32)


# The trail is readable by auditors; the signing secret must not be.
@tracked(exclude=("secret",))
class WebhookSubscription(CovenantModel):
    """An integration's subscription: events delivered as signed JSON POSTs to a URL.

    Deliveries are signed with ``secret`` (HMAC-SHA256 over the raw body).
    Targets resolving to private, loopback, link-local or reserved addresses
    are refused unless an administrator set ``allow_private`` (for an
    integration inside the network); only an admin may set it.
    """

    name = models.CharField(max_length=200, unique=True)
    target_url = models.URLField(max_length=500, help_text="http(s) URL receiving the POSTs.")
    event_types = ArrayField(
        models.CharField(max_length=32, choices=choices.Event.choices),
        help_text="The events delivered to this subscription.",
    )
    secret = models.CharField(max_length=128, default=_new_secret)
    active = models.BooleanField(default=True)
    allow_private = models.BooleanField(
        default=False,
        help_text="Allow private and loopback targets (set by an administrator only).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event for one subscription: its payload, attempts and the last response.

    Unique per (subscription, dedupe_key): an event delivered once whatever reruns.
    """

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=32, choices=choices.Event.choices)
    payload = models.JSONField(default=dict)
    dedupe_key = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10,
        choices=choices.DeliveryStatus.choices,
        default=choices.DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "dedupe_key"],
                name="webhook_delivery_once",
                violation_error_message="This event was already queued for this subscription.",
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhook_delivery_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} ({self.status})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("notifications:webhookdelivery_detail", args=[self.pk])
