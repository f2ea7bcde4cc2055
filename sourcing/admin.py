"""Admin of the sourcing app: every write goes through ``sourcing.services``.

Scores belong to their evaluators and are read-only here; an award and its
transition plan are made on the event's page or through the API
(``event_award``), never by editing a status.
"""

from __future__ import annotations

from django.contrib import admin

from core.admin import ServiceAdmin
from sourcing import services
from sourcing.models import (
    Candidate,
    Criterion,
    DueDiligenceItem,
    Proposal,
    Score,
    SourcingEvent,
    TransitionPlan,
    TransitionStep,
)


class SourcingServiceAdmin(ServiceAdmin):
    services = services


@admin.register(SourcingEvent)
class SourcingEventAdmin(SourcingServiceAdmin):
    """Events; the workflow (open, award, cancel) is on the event's page."""

    entity = "event"
    list_display = ("title", "status", "decision_date", "awarded_candidate")
    list_filter = ("status",)
    search_fields = ("title",)
    readonly_fields = ("status", "awarded_candidate", "award_rationale", "awarded_by", "awarded_at")


@admin.register(Criterion)
class CriterionAdmin(SourcingServiceAdmin):
    entity = "criterion"
    list_display = ("name", "event", "weight", "order")
    list_select_related = ("event",)


@admin.register(Candidate)
class CandidateAdmin(SourcingServiceAdmin):
    entity = "candidate"
    list_display = ("vendor", "event", "status")
    list_select_related = ("vendor", "event")
    raw_id_fields = ("vendor", "event")


@admin.register(Proposal)
class ProposalAdmin(SourcingServiceAdmin):
    entity = "proposal"
    list_display = ("candidate", "price", "currency")
    list_select_related = ("candidate__vendor", "candidate__event")
    raw_id_fields = ("candidate",)


@admin.register(DueDiligenceItem)
class DueDiligenceItemAdmin(SourcingServiceAdmin):
    entity = "due_diligence"
    list_display = ("candidate", "kind", "status", "blocking")
    list_filter = ("kind", "status", "blocking")
    list_select_related = ("candidate__vendor", "candidate__event")
    raw_id_fields = ("candidate",)


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    """Read-only: a score is its evaluator's (``score_set``)."""

    list_display = ("proposal", "criterion", "evaluator", "score")
    list_select_related = ("proposal__candidate__vendor", "criterion", "evaluator")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TransitionStepInline(admin.TabularInline):
    model = TransitionStep
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TransitionPlan)
class TransitionPlanAdmin(SourcingServiceAdmin):
    """Plans are created by the award; their steps are edited on the plan's page."""

    entity = "transition_plan"
    list_display = ("vendor", "event", "go_live_date")
    list_select_related = ("vendor", "event")
    readonly_fields = ("event", "vendor")
    inlines = [TransitionStepInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TransitionStep)
class TransitionStepAdmin(SourcingServiceAdmin):
    entity = "transition_step"
    list_display = ("title", "plan", "order", "status", "due_date")
    list_select_related = ("plan__vendor",)
    raw_id_fields = ("plan",)
