"""Reads of the notifications app: a user's own notifications, the bell, webhooks."""

from __future__ import annotations

from django.db.models import QuerySet

from core import permissions
from notifications import choices
from notifications.models import (
    Notification,
    NotificationPreference,
    WebhookDelivery,
    WebhookSubscription,
)


def notification_list(*, user, action: str = permissions.VIEW) -> QuerySet[Notification]:
    """The user's own in-app notifications, newest first (nobody sees another's)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user, in_app=True).order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    """How many of the user's in-app notifications are unread (the bell's number)."""
    return notification_list(user=user).filter(read_at__isnull=True).count()


def preferences_of(*, user) -> list[dict]:
    """Every kind with the user's (in_app, email) choice; defaults (both) where none is stored."""
    stored = {
        p.kind: p
        for p in NotificationPreference.objects.filter(user=user).only("kind", "in_app", "email")
    }
    rows = []
    for value, label in choices.Kind.choices:
        pref = stored.get(value)
        rows.append(
            {
                "kind": value,
                "label": label,
                "in_app": pref.in_app if pref else True,
                "email": pref.email if pref else True,
            }
        )
    return rows


def may_manage_webhooks(*, user) -> bool:
    """Webhooks are the integrators' business: administrators and the governance office only."""
    return permissions.has_office_powers(user)


def webhook_subscription_list(*, user, action: str = permissions.VIEW) -> QuerySet:
    """Subscriptions, for admin and governance office only (empty for everyone else)."""
    if not may_manage_webhooks(user=user):
        return WebhookSubscription.objects.none()
    return permissions.restrict(
        WebhookSubscription.objects.select_related("created_by"), user=user, action=action
    )


def webhook_delivery_list(*, user, action: str = permissions.VIEW) -> QuerySet:
    """The delivery log, for admin and governance office only."""
    if not may_manage_webhooks(user=user):
        return WebhookDelivery.objects.none()
    return WebhookDelivery.objects.select_related("subscription").order_by("-created_at", "-id")
