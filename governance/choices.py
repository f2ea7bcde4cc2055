"""Choice lists of the governance app."""

from django.db import models


class ForumKind(models.TextChoices):
    JSC = "jsc", "Joint steering committee"
    OPS_REVIEW = "ops_review", "Operational review"
    SERVICE_REVIEW = "service_review", "Service review"
    OTHER = "other", "Other"


class Cadence(models.TextChoices):
    """How often a forum meets; ``CADENCE_MONTHS`` turns it into a step (weekly: 7 days)."""

    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    SEMIANNUAL = "semiannual", "Every six months"
    ANNUAL = "annual", "Annual"


CADENCE_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}


class MeetingKind(models.TextChoices):
    QBR = "qbr", "Quarterly business review"
    JSC = "jsc", "Joint steering committee"
    OPS_REVIEW = "ops_review", "Operational review"


class Priority(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


# Statuses in which an action item still has to be done (and so can be overdue).
ACTION_PENDING = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class SubjectType(models.TextChoices):
    BREACH = "breach", "Breach"
    RISK = "risk", "Risk"
    ACTION_ITEM = "action_item", "Action item"
    OTHER = "other", "Other"


class EscalationStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class EventKind(models.TextChoices):
    OPENED = "opened", "Opened"
    ESCALATED = "escalated", "Escalated"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"
    CAUSE_WITHDRAWN = "cause_withdrawn", "Cause withdrawn"
    NOTE = "note", "Note"


class ReminderKind(models.TextChoices):
    """Which action-item reminder was sent (``ActionReminder``)."""

    DUE = "due", "Falling due"
    OVERDUE = "overdue", "Overdue"


# What a vendor's representative may change on the action items of their vendor.
VENDOR_USER_EDITABLE = ("status", "note")
