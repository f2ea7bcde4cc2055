"""Serializers of the notifications API: ``notifications`` (own) and ``webhooks``."""

from __future__ import annotations

from rest_framework import serializers

from notifications import choices
from notifications.models import Notification, WebhookDelivery, WebhookSubscription


class NotificationSerializer(serializers.ModelSerializer):
    """One of the user's notifications; ``is_read`` is set by the ``read`` actions."""

    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "is_read", "read_at", "created_at"]
        read_only_fields = fields


class MarkReadSerializer(serializers.Serializer):
    """Which notifications to mark read: ``ids``, or every unread one when omitted."""

    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class WebhookSubscriptionSerializer(serializers.ModelSerializer):
    """A subscription: ``events`` is a list of event names; ``secret`` is generated, read-only.

    ``allow_private`` may be set by an administrator only (400 otherwise).
    """

    events = serializers.ListField(
        source="event_types",
        child=serializers.ChoiceField(
            choices=[c for c in choices.Event.choices if c[0] != choices.Event.PING]
        ),
        allow_empty=False,
    )

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "name",
            "target_url",
            "events",
            "active",
            "allow_private",
            "secret",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["secret", "created_by", "created_at", "updated_at"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    """One delivery of the log: event, payload, status, attempts, last response."""

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "subscription",
            "event",
            "payload",
            "dedupe_key",
            "status",
            "attempts",
            "response_code",
            "response_excerpt",
            "error",
            "next_attempt_at",
            "delivered_at",
            "created_at",
        ]
        read_only_fields = fields
