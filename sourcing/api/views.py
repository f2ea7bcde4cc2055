"""API viewsets of the sourcing app: CRUD through ``sourcing.services``, scoped per user.

* ``sourcing-events``: ``POST .../{id}/criteria/`` saves the whole set of
  criteria (400 on ``criteria`` unless the weights sum to 100); ``open``,
  ``evaluate``, ``cancel``, ``submit`` (the caller's scores) and ``award``
  (``{"candidate": id, "award_rationale": "..."}``; 400 on ``candidate``
  while a blocking due-diligence item is open) move it along; ``ranking``
  reads the weighted totals (``sourcing.scoring``).
* ``scores`` are blind: the caller's own, and others' once they submitted.
* ``proposals``: a vendor representative sees its own vendor's, with status.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from core import permissions
from core.api.viewsets import ScopedModelViewSet
from sourcing import filters, selectors, services
from sourcing.api import serializers
from sourcing.models import (
    Candidate,
    Criterion,
    DueDiligenceItem,
    EvaluatorAssignment,
    Proposal,
    Score,
    SourcingEvent,
)


class RankingRowSerializer(drf_serializers.Serializer):
    candidate = drf_serializers.IntegerField()
    vendor = drf_serializers.CharField()
    rank = drf_serializers.IntegerField(allow_null=True)
    average = drf_serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    spread = drf_serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    incomplete = drf_serializers.BooleanField()
    totals = drf_serializers.ListField(child=drf_serializers.DictField())


def ranking_rows(event: SourcingEvent) -> list[dict]:
    return [
        {
            "candidate": r.candidate.pk,
            "vendor": r.candidate.vendor.name,
            "rank": r.rank,
            "average": r.average,
            "spread": r.spread,
            "incomplete": r.incomplete,
            "totals": [
                {
                    "evaluator": t.evaluator_id,
                    "total": str(t.total),
                    "complete": t.complete,
                    "missing": t.missing,
                }
                for t in r.totals
            ],
        }
        for r in selectors.event_ranking(event=event)
    ]


class SourcingEventViewSet(ScopedModelViewSet):
    """Sourcing events (RFPs): criteria, workflow, award and the ranking."""

    queryset = SourcingEvent.objects.all()
    serializer_class = serializers.SourcingEventSerializer
    filterset_class = filters.SourcingEventFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "title", "status", "decision_date", "created_at"]
    ordering = ["-created_at"]
    create_service = services.event_create
    update_service = services.event_update
    delete_service = services.event_delete

    def get_queryset(self):
        return selectors.event_list(user=self.request.user).prefetch_related("criteria")

    def _changeable(self) -> SourcingEvent:
        event = self.get_object()
        if not permissions.may_change(user=self.request.user, obj=event):
            raise PermissionDenied("You may not change this event.")
        return event

    def _answer(self, event):
        event = self.get_queryset().get(pk=event.pk)
        return Response(self.get_serializer(event).data)

    @extend_schema(
        request=serializers.CriteriaSetSerializer, responses=serializers.SourcingEventSerializer
    )
    @action(detail=True, methods=["post"])
    def criteria(self, request, pk=None):
        event = self._changeable()
        body = serializers.CriteriaSetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.criteria_replace(
            event=event, actor=request.user, rows=body.validated_data["criteria"]
        )
        return self._answer(event)

    @extend_schema(request=None, responses=serializers.SourcingEventSerializer)
    @action(detail=True, methods=["post"], url_path="open")
    def open_event(self, request, pk=None):
        return self._answer(services.event_open(event=self._changeable(), actor=request.user))

    @extend_schema(request=None, responses=serializers.SourcingEventSerializer)
    @action(detail=True, methods=["post"])
    def evaluate(self, request, pk=None):
        return self._answer(
            services.event_close_proposals(event=self._changeable(), actor=request.user)
        )

    @extend_schema(request=None, responses=serializers.SourcingEventSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._answer(services.event_cancel(event=self._changeable(), actor=request.user))

    @extend_schema(request=None, responses=serializers.SourcingEventSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        event = self.get_object()
        services.evaluator_submit(event=event, actor=request.user)
        return self._answer(event)

    @extend_schema(
        request=serializers.AwardSerializer, responses=serializers.SourcingEventSerializer
    )
    @action(detail=True, methods=["post"])
    def award(self, request, pk=None):
        event = self._changeable()
        body = serializers.AwardSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        candidate = event.candidates.filter(pk=body.validated_data["candidate"]).first()
        if candidate is None:
            raise ValidationError({"candidate": "This candidate is not part of the event."})
        services.event_award(
            event=event,
            candidate=candidate,
            rationale=body.validated_data["award_rationale"],
            actor=request.user,
        )
        return self._answer(event)

    @extend_schema(request=None, responses=RankingRowSerializer(many=True))
    @action(detail=True, methods=["get"])
    def ranking(self, request, pk=None):
        return Response(RankingRowSerializer(ranking_rows(self.get_object()), many=True).data)


class CriterionViewSet(ScopedModelViewSet):
    """Criteria one by one (while the event is a draft)."""

    queryset = Criterion.objects.all()
    serializer_class = serializers.CriterionSerializer
    filterset_class = filters.CriterionFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "order", "weight", "name"]
    ordering = ["event", "order"]
    create_service = services.criterion_create
    update_service = services.criterion_update
    delete_service = services.criterion_delete

    def get_queryset(self):
        return selectors.criterion_list(user=self.request.user)


class CandidateViewSet(ScopedModelViewSet):
    """Candidates of events (never shown to vendor representatives)."""

    queryset = Candidate.objects.all()
    serializer_class = serializers.CandidateSerializer
    filterset_class = filters.CandidateFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "status", "vendor__name"]
    ordering = ["event", "vendor__name"]
    create_service = services.candidate_create
    update_service = services.candidate_update
    delete_service = services.candidate_delete

    def get_queryset(self):
        return selectors.candidate_list(user=self.request.user)


class ProposalViewSet(ScopedModelViewSet):
    """Proposals; a vendor representative sees its own vendor's and its status only."""

    queryset = Proposal.objects.all()
    serializer_class = serializers.ProposalSerializer
    parser_classes = [JSONParser, MultiPartParser]  # the proposal document is an upload
    filterset_class = filters.ProposalFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "price"]
    ordering = ["id"]
    create_service = services.proposal_create
    update_service = services.proposal_update
    delete_service = services.proposal_delete

    def get_queryset(self):
        return selectors.proposal_list(user=self.request.user)


class DueDiligenceItemViewSet(ScopedModelViewSet):
    """Due-diligence checks of candidates."""

    queryset = DueDiligenceItem.objects.all()
    serializer_class = serializers.DueDiligenceItemSerializer
    filterset_class = filters.DueDiligenceItemFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "kind", "status"]
    ordering = ["candidate", "kind"]
    create_service = services.due_diligence_create
    update_service = services.due_diligence_update
    delete_service = services.due_diligence_delete

    def get_queryset(self):
        return selectors.due_diligence_list(user=self.request.user)


class EvaluatorAssignmentViewSet(ScopedModelViewSet):
    """Evaluators of events."""

    queryset = EvaluatorAssignment.objects.all()
    serializer_class = serializers.EvaluatorAssignmentSerializer
    filterset_class = filters.EvaluatorAssignmentFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "submitted_at"]
    ordering = ["event", "id"]
    http_method_names = ["get", "post", "delete", "head", "options"]
    create_service = services.evaluator_assign
    delete_service = services.evaluator_remove

    def get_queryset(self):
        return selectors.evaluator_list(user=self.request.user)


class ScoreViewSet(ScopedModelViewSet):
    """Scores, blind: the caller's own, and others' once their evaluator submitted."""

    queryset = Score.objects.all()
    serializer_class = serializers.ScoreSerializer
    filterset_class = filters.ScoreFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "score"]
    ordering = ["proposal", "criterion", "evaluator"]
    create_service = services.score_create
    update_service = services.score_update
    delete_service = services.score_delete

    def get_queryset(self):
        return selectors.score_list(user=self.request.user)
