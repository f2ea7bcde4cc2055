"""Choices of the notifications app: notification kinds, webhook events and delivery states."""

from django.db import models


class Kind(models.TextChoices):
    """What a notification is about; a user picks e-mail and/or in-app per kind."""

    ESCALATION_OPENED = "escalation_opened", "Escalation opened"
    ESCALATION_MOVED = "escalation_moved", "Escalation moved up a level"
    ACTION_ASSIGNED = "action_assigned", "Action item assigned"
    ACTION_DUE = "action_due", "Action item falling due"
    ACTION_OVERDUE = "action_overdue", "Action item overdue"
    CRITICAL_BREACH = "critical_breach", "New critical breach"
    GOAL_AWAITING_VENDOR = "goal_awaiting_vendor", "Goal awaiting the vendor's agreement"
    NOTICE_REMINDER = "notice_reminder", "Contract notice deadline reminder"
    CERTIFICATION_REMINDER = "certification_reminder", "Certification expiry reminder"
    REVIEW_DUE = "review_due", "Review due"
    REPORT_READY = "report_ready", "Report ready"


class Event(models.TextChoices):
    """What an outbound webhook subscription can listen to."""

    BREACH_OPENED = "breach.opened", "Breach opened"
    BREACH_CHANGED = "breach.changed", "Breach changed"
    ESCALATION_OPENED = "escalation.opened", "Escalation opened"
    ESCALATION_MOVED = "escalation.moved", "Escalation moved"
    ESCALATION_RESOLVED = "escalation.resolved", "Escalation resolved"
    ACTION_ITEM_CHANGED = "action_item.changed", "Action item changed"
    REPORT_READY = "report.ready", "Report ready"
    # Sent only by the "send test" button, to one subscription.
    PING = "ping", "Test (ping)"


class DeliveryStatus(models.TextChoices):
    """Where a webhook delivery stands: pending (queued or waiting to retry), delivered, failed."""

    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"
