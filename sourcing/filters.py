"""FilterSets of the sourcing app: one per model, used by the list page and the API."""

from __future__ import annotations

import django_filters

from core.filters import SearchFilterSet
from core.permissions import restrict
from sourcing import choices
from sourcing.models import (
    Candidate,
    Criterion,
    DueDiligenceItem,
    EvaluatorAssignment,
    Proposal,
    Score,
    SourcingEvent,
    TransitionStep,
)

DATE = {"widget": django_filters.widgets.DateRangeWidget(attrs={"type": "date"})}


def _visible(model_path: str, *related: str):
    """Rows of that model the requesting user may see (choices of a ModelChoiceFilter)."""

    def _queryset(request):
        from django.apps import apps

        model = apps.get_model(model_path)
        return restrict(
            model._default_manager.select_related(*related), user=getattr(request, "user", None)
        ).distinct()

    return _queryset


class SourcingEventFilterSet(SearchFilterSet):
    """Events by status and decision date."""

    search_fields = ("title", "scope", "objectives")
    status = django_filters.MultipleChoiceFilter(choices=choices.EventStatus.choices)
    decision_date = django_filters.DateFromToRangeFilter(**DATE)

    class Meta:
        model = SourcingEvent
        fields = ["status"]


class CriterionFilterSet(SearchFilterSet):
    search_fields = ("name",)
    event = django_filters.ModelChoiceFilter(queryset=_visible("sourcing.SourcingEvent"))

    class Meta:
        model = Criterion
        fields = ["event"]


class CandidateFilterSet(SearchFilterSet):
    """Candidates by event, vendor and status."""

    search_fields = ("vendor__name", "event__title")
    event = django_filters.ModelChoiceFilter(queryset=_visible("sourcing.SourcingEvent"))
    vendor = django_filters.ModelChoiceFilter(queryset=_visible("vendors.Vendor"))
    status = django_filters.MultipleChoiceFilter(choices=choices.CandidateStatus.choices)

    class Meta:
        model = Candidate
        fields = ["event", "vendor", "status"]


class ProposalFilterSet(SearchFilterSet):
    search_fields = ("notes", "candidate__vendor__name")
    event = django_filters.ModelChoiceFilter(
        field_name="candidate__event", queryset=_visible("sourcing.SourcingEvent")
    )

    class Meta:
        model = Proposal
        fields = ["event"]


class DueDiligenceItemFilterSet(SearchFilterSet):
    search_fields = ("note", "candidate__vendor__name")
    candidate = django_filters.ModelChoiceFilter(
        queryset=_visible("sourcing.Candidate", "vendor", "event")
    )
    kind = django_filters.MultipleChoiceFilter(choices=choices.DueDiligenceKind.choices)
    status = django_filters.MultipleChoiceFilter(choices=choices.DueDiligenceStatus.choices)
    blocking = django_filters.BooleanFilter()

    class Meta:
        model = DueDiligenceItem
        fields = ["candidate", "kind", "status", "blocking"]


class EvaluatorAssignmentFilterSet(SearchFilterSet):
    search_fields = ("evaluator__username", "event__title")
    event = django_filters.ModelChoiceFilter(queryset=_visible("sourcing.SourcingEvent"))

    class Meta:
        model = EvaluatorAssignment
        fields = ["event"]


class ScoreFilterSet(SearchFilterSet):
    search_fields = ("comment",)
    proposal = django_filters.ModelChoiceFilter(
        queryset=_visible("sourcing.Proposal", "candidate__vendor")
    )
    criterion = django_filters.ModelChoiceFilter(queryset=_visible("sourcing.Criterion"))

    class Meta:
        model = Score
        fields = ["proposal", "criterion"]


class TransitionStepFilterSet(SearchFilterSet):
    search_fields = ("title", "owner", "plan__vendor__name")
    status = django_filters.MultipleChoiceFilter(choices=choices.StepStatus.choices)
    due_date = django_filters.DateFromToRangeFilter(**DATE)

    class Meta:
        model = TransitionStep
        fields = ["status"]
