"""Admin of the improvement programme. Saves go through ``improvement.services`` like
every other path, so agreements, survey sides and idea decisions follow the same rules."""

from __future__ import annotations

from django.contrib import admin

from improvement import services
from improvement.models import (
    Goal,
    HealthSurvey,
    Idea,
    IssueListPublication,
    KeyIssue,
    SituationAssessment,
)


class ServiceAdmin(admin.ModelAdmin):
    """Creates, changes and deletes through ``improvement.services.<entity>_create`` …"""

    entity = ""

    def save_model(self, request, obj, form, change):
        fields = {f.name for f in obj._meta.get_fields()}
        data = {k: v for k, v in form.cleaned_data.items() if k in fields}
        if change:
            instance = type(obj).objects.get(pk=obj.pk)
            getattr(services, f"{self.entity}_update")(
                instance=instance, actor=request.user, data=data
            )
        else:
            created = getattr(services, f"{self.entity}_create")(actor=request.user, data=data)
            obj.pk = created.pk
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass  # many-to-many values (a goal's SLAs) were set by the service

    def delete_model(self, request, obj):
        getattr(services, f"{self.entity}_delete")(instance=obj, actor=request.user)


@admin.register(KeyIssue)
class KeyIssueAdmin(ServiceAdmin):
    entity = "key_issue"
    list_display = ("description", "assessment", "investment_needed", "currency")


@admin.register(SituationAssessment)
class SituationAssessmentAdmin(ServiceAdmin):
    entity = "assessment"
    list_display = ("title", "vendor", "assessed_on")
    search_fields = ("title", "vendor__name")
    exclude = ("assessed_by",)


@admin.register(Goal)
class GoalAdmin(ServiceAdmin):
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
class HealthSurveyAdmin(ServiceAdmin):
    entity = "health_survey"
    list_display = ("vendor", "quarter", "side", "answered_by")
    list_filter = ("side", "quarter")
    exclude = ("answered_by",)


@admin.register(Idea)
class IdeaAdmin(ServiceAdmin):
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
