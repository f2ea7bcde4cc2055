"""Admin of the risks app. Saves go through ``risks.services`` like every other path, so
the review history, the residual ≤ inherent rule and the evidence checks apply here too."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ServiceAdmin
from risks import services
from risks.models import (
    Assessment,
    ContinuityPlan,
    Finding,
    ReviewCadence,
    ReviewReminder,
    Risk,
    RiskReview,
)


class RisksServiceAdmin(ServiceAdmin):
    """``ServiceAdmin`` calling ``risks.services``."""

    services = services


class ReviewInline(admin.TabularInline):
    model = RiskReview
    extra = 0
    can_delete = False
    fields = readonly_fields = (
        "reviewed_on",
        "kind",
        "likelihood",
        "impact",
        "residual_likelihood",
        "residual_impact",
        "status",
        "reviewed_by",
        "note",
        "next_review",
    )

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # written by risk_create / risk_update / risk_review only


@admin.register(Risk)
class RiskAdmin(RisksServiceAdmin):
    entity = "risk"
    list_display = ("title", "vendor", "category", "likelihood", "impact", "status", "next_review")
    list_filter = ("category", "status", "treatment")
    list_select_related = ("vendor",)
    search_fields = ("title", "vendor__name")
    raw_id_fields = ("vendor", "contract", "owner")
    inlines = [ReviewInline]


class FindingInline(admin.TabularInline):
    model = Finding
    extra = 0
    can_delete = False
    fields = readonly_fields = ("title", "severity", "owner", "due_date", "status")

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # added on their own page, through finding_create


@admin.register(Assessment)
class AssessmentAdmin(RisksServiceAdmin):
    entity = "assessment"
    list_display = ("vendor", "kind", "date", "assessor")
    list_filter = ("kind",)
    list_select_related = ("vendor",)
    search_fields = ("vendor__name", "summary")
    raw_id_fields = ("vendor",)
    inlines = [FindingInline]


@admin.register(Finding)
class FindingAdmin(RisksServiceAdmin):
    entity = "finding"
    list_display = ("title", "assessment", "severity", "status", "due_date")
    list_filter = ("severity", "status")
    list_select_related = ("assessment__vendor",)
    search_fields = ("title", "assessment__vendor__name")
    raw_id_fields = ("assessment", "owner")


@admin.register(ContinuityPlan)
class ContinuityPlanAdmin(RisksServiceAdmin):
    entity = "continuity_plan"
    list_display = ("title", "vendor", "rto_hours", "rpo_hours", "last_test_date")
    list_filter = ("last_test_result",)
    list_select_related = ("vendor",)
    search_fields = ("title", "vendor__name")
    raw_id_fields = ("vendor",)


@admin.register(ReviewCadence)
class ReviewCadenceAdmin(RisksServiceAdmin):
    """The cadence per tier: one row per tier (made by a migration); only the months change."""

    entity = "review_cadence"
    list_display = ("tier", "months")
    readonly_fields = ("tier",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReviewReminder)
class ReviewReminderAdmin(admin.ModelAdmin):
    """Review notices sent by the daily job, read-only."""

    list_display = ("subject", "object_id", "vendor", "due_on", "sent_on", "recipients")
    list_filter = ("subject",)
    list_select_related = ("vendor",)
    readonly_fields = [f.name for f in ReviewReminder._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
