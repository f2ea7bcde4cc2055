"""Admin of the improvement programme. Saves go through ``improvement.services`` like
every other path, so agreements, survey sides and idea decisions follow the same rules."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ServiceAdmin
from improvement import services
from improvement.models import (
    Goal,
    HealthSurvey,
    Idea,
    IssueListPublication,
    KeyIssue,
    SituationAssessment,
)


class ImprovementServiceAdmin(ServiceAdmin):
    """``ServiceAdmin`` calling ``improvement.services`` (a goal's SLAs included)."""

    services = services
    many_to_many = True
    reload_instance = True


@admin.register(KeyIssue)
class KeyIssueAdmin(ImprovementServiceAdmin):
    entity = "key_issue"
    list_display = ("description", "assessment", "investment_needed", "currency")


@admin.register(SituationAssessment)
class SituationAssessmentAdmin(ImprovementServiceAdmin):
    entity = "assessment"
    list_display = ("title", "vendor", "assessed_on")
    search_fields = ("title", "vendor__name")
    exclude = ("assessed_by",)


@admin.register(Goal)
class GoalAdmin(ImprovementServiceAdmin):
    entity = "goal"
    list_display = (
        "title",
        "vendor",
        "kind",
        "target_date",
        "client_agreed_at",
        "vendor_agreed_at",
    )
    list_filter = ("kind",)
    search_fields = ("title", "vendor__name")
    filter_horizontal = ("slas",)
    readonly_fields = (
        "client_agreed_by",
        "client_agreed_at",
        "vendor_agreed_by",
        "vendor_agreed_at",
    )


@admin.register(HealthSurvey)
class HealthSurveyAdmin(ImprovementServiceAdmin):
    entity = "health_survey"
    list_display = ("vendor", "quarter", "side", "answered_by")
    list_filter = ("side", "quarter")
    exclude = ("answered_by",)


@admin.register(Idea)
class IdeaAdmin(ImprovementServiceAdmin):
    entity = "idea"
    list_display = ("title", "vendor", "proposed_by", "status", "expected_benefit")
    list_filter = ("status", "proposed_by")
    search_fields = ("title", "vendor__name")
    exclude = ("proposer", "decided_at")


@admin.register(IssueListPublication)
class IssueListPublicationAdmin(admin.ModelAdmin):
    """Versions are approved and published from the pages or the API; here they are read."""

    list_display = ("vendor", "version", "approved_at", "published_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
