"""Admin of the governance app. Saves go through ``governance.services`` like every other
path; the escalation timeline and the reminders are read-only."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ServiceAdmin
from governance import services
from governance.models import (
    ActionItem,
    ActionReminder,
    Decision,
    Escalation,
    EscalationLevel,
    EscalationPlan,
    EscalationTimelineEvent,
    Forum,
    Meeting,
)


class GovernanceServiceAdmin(ServiceAdmin):
    """``ServiceAdmin`` calling ``governance.services`` (many-to-many fields included)."""

    services = services
    many_to_many = True


class LevelInline(admin.TabularInline):
    model = EscalationLevel
    extra = 0
    raw_id_fields = ("contact_user", "contact")
    readonly_fields = ("level", "name", "contact_user", "contact", "response_hours", "is_executive")

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # the ladder is written as a whole by the plan's service (pages, API)


@admin.register(EscalationPlan)
class EscalationPlanAdmin(GovernanceServiceAdmin):
    """Plans (their ladders are edited on the plan page, validated as a whole)."""

    entity = "escalation_plan"
    list_display = ("vendor", "contract", "consecutive_breaches")
    list_select_related = ("vendor", "contract")
    raw_id_fields = ("vendor", "contract")
    inlines = [LevelInline]

    def save_model(self, request, obj, form, change):
        if not change:
            self.message_user(request, "Add plans on the plan page, with their levels.")
            return
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request) -> bool:
        return False


class EventInline(admin.TabularInline):
    model = EscalationTimelineEvent
    extra = 0
    can_delete = False
    fields = readonly_fields = ("at", "kind", "level", "by", "note", "notified_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Escalation)
class EscalationAdmin(GovernanceServiceAdmin):
    entity = "escalation"
    list_display = ("title", "vendor", "level", "status", "overdue", "opened_at", "due_at")
    list_filter = ("status", "overdue", "subject_type")
    list_select_related = ("vendor",)
    search_fields = ("title", "vendor__name")
    raw_id_fields = ("vendor", "plan", "sla", "opened_by")
    readonly_fields = (
        "level",
        "status",
        "opened_at",
        "due_at",
        "overdue",
        "acknowledged_at",
        "resolved_at",
        "sla",
        "streak_start",
        "trigger_period",
        "opened_by",
    )
    inlines = [EventInline]


@admin.register(Forum)
class ForumAdmin(GovernanceServiceAdmin):
    entity = "forum"
    list_display = ("name", "kind", "cadence", "vendor")
    list_filter = ("kind", "cadence")
    search_fields = ("name",)
    filter_horizontal = ("members",)


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    fields = readonly_fields = ("text", "decided_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(GovernanceServiceAdmin):
    entity = "meeting"
    list_display = ("date", "forum", "vendor", "kind", "title")
    list_filter = ("kind",)
    list_select_related = ("forum", "vendor")
    search_fields = ("title", "forum__name", "vendor__name")
    filter_horizontal = ("attendees",)
    inlines = [DecisionInline]


@admin.register(ActionItem)
class ActionItemAdmin(GovernanceServiceAdmin):
    entity = "action_item"
    list_display = ("title", "vendor", "owner", "due_date", "priority", "status")
    list_filter = ("status", "priority")
    list_select_related = ("vendor", "owner")
    search_fields = ("title", "vendor__name")
    raw_id_fields = ("owner", "vendor", "meeting", "breach", "escalation", "risk", "finding")
    readonly_fields = ("completed_at",)


@admin.register(ActionReminder)
class ActionReminderAdmin(admin.ModelAdmin):
    """Reminders sent by the daily job, read-only."""

    list_display = ("action_item", "kind", "due_date", "sent_on")
    readonly_fields = [f.name for f in ActionReminder._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
