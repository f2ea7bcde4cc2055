"""django-tables2 tables of the webhook pages."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from notifications.models import WebhookDelivery, WebhookSubscription

STATUS_TONES = {"delivered": "ok", "pending": "pending", "failed": "bad"}


def status_badge(delivery: WebhookDelivery):
    return format_html(
        '<span class="badge badge-{}">{}</span>',
        STATUS_TONES.get(delivery.status, ""),
        delivery.get_status_display(),
    )


class WebhookSubscriptionTable(tables.Table):
    """Subscriptions: name (linked), target, events, active."""

    name = tables.Column(linkify=True)
    event_types = tables.Column(verbose_name="Events", orderable=False)

    class Meta:
        model = WebhookSubscription
        fields = ("name", "target_url", "event_types", "active", "allow_private", "created_at")
        order_by = ("name",)

    def render_event_types(self, value):
        return ", ".join(value)


class WebhookDeliveryTable(tables.Table):
    """The delivery log: when, event, subscription, status, attempts, response code."""

    id = tables.Column(linkify=True, verbose_name="#")
    status = tables.Column()
    subscription = tables.Column(linkify=True)

    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "created_at",
            "event",
            "subscription",
            "status",
            "attempts",
            "response_code",
            "next_attempt_at",
            "dedupe_key",
        )
        order_by = ("-created_at",)

    def render_status(self, record):
        return status_badge(record)
