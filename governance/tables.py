"""django-tables2 tables of the governance list pages: statuses, levels and overdue as badges."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from governance.models import ActionItem, Escalation, EscalationPlan, Forum, Meeting
from governance.selectors import next_meeting_due
from vendors.tables import badge

ESCALATION_TONES = {"open": "warn", "acknowledged": "pending", "resolved": "ok"}
ACTION_TONES = {"open": "pending", "in_progress": "warn", "done": "ok", "cancelled": ""}
PRIORITY_TONES = {"low": "ok", "medium": "pending", "high": "warn", "critical": "bad"}


def escalation_status_badge(escalation: Escalation):
    label = escalation.get_status_display()
    if escalation.overdue and escalation.status == "open":
        return format_html("{} {}", badge("warn", label), badge("bad", "overdue"))
    return badge(ESCALATION_TONES.get(escalation.status, ""), label)


def action_status_badge(item: ActionItem, today=None):
    label = item.get_status_display()
    out = badge(ACTION_TONES.get(item.status, ""), label)
    if item.overdue_on(today or timezone.localdate()):
        out = format_html("{} {}", out, badge("bad", "overdue"))
    return out


class EscalationPlanTable(tables.Table):
    plan = tables.Column(accessor="pk", verbose_name="Plan", linkify=True, orderable=False)
    vendor = tables.Column(linkify=True, order_by=("vendor__name",))
    contract = tables.Column(order_by=("contract__reference",))
    levels = tables.Column(accessor="pk", verbose_name="Levels", orderable=False)

    class Meta:
        model = EscalationPlan
        fields = ("plan", "vendor", "contract", "consecutive_breaches", "levels")
        order_by = ("vendor",)

    def render_plan(self, value, record):
        return str(record)

    def render_contract(self, value, record):
        return value.reference

    def render_levels(self, value, record):
        return " → ".join(
            f"{lv.name} ({lv.response_hours} h){' ★' if lv.is_executive else ''}"
            for lv in record.levels.all()
        )


class EscalationTable(tables.Table):
    title = tables.Column(linkify=True)
    vendor = tables.Column(linkify=True, order_by=("vendor__name",))
    status = tables.Column()

    class Meta:
        model = Escalation
        fields = ("title", "vendor", "subject_type", "level", "status", "opened_at", "due_at")
        order_by = ("-opened_at",)

    def render_status(self, value, record):
        return escalation_status_badge(record)


class ForumTable(tables.Table):
    name = tables.Column(linkify=True)
    vendor = tables.Column(linkify=True, order_by=("vendor__name",))
    last_meeting = tables.Column(verbose_name="Last meeting")
    next_due = tables.Column(accessor="pk", verbose_name="Next meeting due", orderable=False)

    class Meta:
        model = Forum
        fields = ("name", "kind", "cadence", "vendor", "last_meeting", "next_due")
        order_by = ("name",)

    def render_next_due(self, value, record):
        today = timezone.localdate()
        due = next_meeting_due(
            cadence=record.cadence, last_meeting=record.last_meeting, today=today
        )
        return format_html("{} {}", due.isoformat(), badge("bad", "late")) if due < today else due


class MeetingTable(tables.Table):
    label = tables.Column(accessor="pk", verbose_name="Meeting", linkify=True, order_by=("title",))
    forum = tables.Column(linkify=True, order_by=("forum__name",))
    vendor = tables.Column(linkify=True, order_by=("vendor__name",))

    class Meta:
        model = Meeting
        fields = ("date", "label", "forum", "vendor", "kind")
        order_by = ("-date",)

    def render_label(self, value, record):
        return str(record)


class ActionItemTable(tables.Table):
    title = tables.Column(linkify=True)
    vendor = tables.Column(linkify=True, order_by=("vendor__name",))
    owner = tables.Column(order_by=("owner__last_name", "owner__username"))
    status = tables.Column()
    priority = tables.Column()

    class Meta:
        model = ActionItem
        fields = ("title", "vendor", "owner", "due_date", "priority", "status")
        order_by = ("due_date",)

    def render_owner(self, value, record):
        return value.display_name

    def render_priority(self, value, record):
        return badge(PRIORITY_TONES.get(record.priority, ""), record.get_priority_display())

    def render_status(self, value, record):
        return action_status_badge(record)
