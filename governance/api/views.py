"""API viewsets of the governance app: CRUD through ``governance.services``, scoped per user.

Querysets come from ``governance.selectors``; the FilterSets are the list
pages' own. Escalations move through ``POST /escalations/{id}/acknowledge/``
and ``…/resolve/`` (optional ``note``); a move that is no longer possible
answers 400 ``{"status": [...]}``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import SelectorViewSet
from governance import filters, selectors, services
from governance.api import serializers
from governance.models import (
    ActionItem,
    Escalation,
    EscalationPlan,
    EscalationTimelineEvent,
    Forum,
    Meeting,
)

ERRORS = {
    400: OpenApiResponse(description="Invalid input: {field: [message]}"),
    403: OpenApiResponse(description="Not allowed"),
    404: OpenApiResponse(description="Not found or outside your scope"),
}


class EscalationPlanViewSet(SelectorViewSet):
    """Escalation plans with their ladder of ``levels`` (written as a whole)."""

    queryset = EscalationPlan.objects.none()
    selector = selectors.escalation_plan_list
    serializer_class = serializers.EscalationPlanSerializer
    filterset_class = filters.EscalationPlanFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "vendor__name", "consecutive_breaches", "created_at"]
    ordering = ["vendor__name", "id"]
    create_service = services.escalation_plan_create
    update_service = services.escalation_plan_update
    delete_service = services.escalation_plan_delete


class EscalationViewSet(SelectorViewSet):
    """Escalations with their ``events`` timeline; acknowledge and resolve as actions."""

    queryset = Escalation.objects.none()
    selector = selectors.escalation_list
    serializer_class = serializers.EscalationSerializer
    filterset_class = filters.EscalationFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "opened_at", "due_at", "level", "status", "vendor__name"]
    ordering = ["-opened_at", "-id"]
    create_service = services.escalation_create
    update_service = services.escalation_update
    delete_service = services.escalation_delete

    def get_queryset(self):
        events = EscalationTimelineEvent.objects.order_by("at", "id")
        return super().get_queryset().prefetch_related(Prefetch("timeline", queryset=events))

    def _step(self, request, service):
        escalation = self.get_object()  # 404 outside the scope, 403 read-only (POST = change)
        body = serializers.EscalationStepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service(escalation=escalation, actor=request.user, note=body.validated_data["note"])
        fresh = self.get_queryset().get(pk=escalation.pk)
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        request=serializers.EscalationStepSerializer,
        responses={200: serializers.EscalationSerializer, **ERRORS},
        description="Acknowledge an open escalation: it stops moving up.",
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._step(request, services.escalation_acknowledge)

    @extend_schema(
        request=serializers.EscalationStepSerializer,
        responses={200: serializers.EscalationSerializer, **ERRORS},
        description="Resolve an open or acknowledged escalation: it is closed.",
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._step(request, services.escalation_resolve)


class ForumViewSet(SelectorViewSet):
    """Governance forums with members, cadence and the next meeting due."""

    queryset = Forum.objects.none()
    selector = selectors.forum_list
    serializer_class = serializers.ForumSerializer
    filterset_class = filters.ForumFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "name", "kind", "cadence", "created_at"]
    ordering = ["name"]
    create_service = services.forum_create
    update_service = services.forum_update
    delete_service = services.forum_delete


class MeetingViewSet(SelectorViewSet):
    """Meetings with attendees, minutes and ``decisions``."""

    queryset = Meeting.objects.none()
    selector = selectors.meeting_list
    serializer_class = serializers.MeetingSerializer
    filterset_class = filters.MeetingFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "date", "kind", "created_at"]
    ordering = ["-date", "-id"]
    create_service = services.meeting_create
    update_service = services.meeting_update
    delete_service = services.meeting_delete


class ActionItemViewSet(SelectorViewSet):
    """The action log. ``?overdue=true`` for the overdue, ``?mine=true`` for your own."""

    queryset = ActionItem.objects.none()
    selector = selectors.action_item_list
    serializer_class = serializers.ActionItemSerializer
    filterset_class = filters.ActionItemFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "due_date", "priority", "status", "created_at"]
    ordering = ["due_date", "id"]
    create_service = services.action_item_create
    update_service = services.action_item_update
    delete_service = services.action_item_delete
