"""API viewsets of the improvement programme: CRUD through ``improvement.services``."""

from __future__ import annotations

import smtplib
from decimal import Decimal

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework import permissions as drf_permissions
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response

from core import permissions
from core.api.viewsets import SelectorViewSet
from improvement import filters, selectors, services
from improvement.api import serializers
from improvement.forms import QUARTER_RE
from improvement.models import (
    Goal,
    HealthSurvey,
    Idea,
    IssueListPublication,
    KeyIssue,
    SituationAssessment,
)
from vendors.models import Vendor


def _plain(value):
    """Decimals as strings (DESIGN.md section 6), through dicts and lists."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class SituationAssessmentViewSet(SelectorViewSet):
    """Situation assessments of vendor relationships (internal: not for vendor representatives)."""

    queryset = SituationAssessment.objects.none()
    selector = selectors.assessment_list
    serializer_class = serializers.SituationAssessmentSerializer
    filterset_class = filters.SituationAssessmentFilterSet
    ordering_fields = ["id", "assessed_on", "created_at"]
    ordering = ["-assessed_on", "-id"]
    create_service = services.assessment_create
    update_service = services.assessment_update
    delete_service = services.assessment_delete


class KeyIssueViewSet(SelectorViewSet):
    """Key issues of the assessments, with the investment needed."""

    queryset = KeyIssue.objects.none()
    selector = selectors.key_issue_list
    serializer_class = serializers.KeyIssueSerializer
    filterset_class = filters.KeyIssueFilterSet
    ordering_fields = ["id", "investment_needed"]
    ordering = ["id"]
    create_service = services.key_issue_create
    update_service = services.key_issue_update
    delete_service = services.key_issue_delete


class GoalViewSet(SelectorViewSet):
    """Improvement goals (and business cases); ``POST …/{id}/agree/`` records a side's agreement."""

    queryset = Goal.objects.none()
    selector = selectors.goal_list
    serializer_class = serializers.GoalSerializer
    filterset_class = filters.GoalFilterSet
    ordering_fields = ["id", "target_date", "title", "created_at"]
    ordering = ["target_date", "id"]
    create_service = services.goal_create
    update_service = services.goal_update
    delete_service = services.goal_delete

    def get_permissions(self):
        if self.action == "agree":
            return [drf_permissions.IsAuthenticated()]
        return super().get_permissions()

    def get_queryset(self):
        if self.action == "agree":  # a vendor representative agrees to what they may see
            return selectors.goal_list(user=self.request.user)
        return super().get_queryset()

    @extend_schema(request=None, responses=serializers.GoalSerializer)
    @action(detail=True, methods=["post"])
    def agree(self, request, pk=None):
        """Record the caller's agreement for their side (vendor representative: the vendor)."""
        goal = services.goal_agree(instance=self.get_object(), actor=request.user)
        goal = selectors.goal_list(user=request.user).get(pk=goal.pk)
        return Response(self.get_serializer(goal).data)


class IssueListPublicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Issue-list versions. ``POST`` approves the vendor's current list as the next version
    (201); ``POST …/{id}/publish/`` e-mails it to the vendor's contacts."""

    queryset = IssueListPublication.objects.none()
    serializer_class = serializers.IssueListPublicationSerializer
    filterset_class = filters.IssueListPublicationFilterSet
    permission_classes = [drf_permissions.IsAuthenticated]
    search_fields: list[str] = []
    ordering_fields = ["id", "version", "approved_at", "published_at"]
    ordering = ["-approved_at", "-id"]

    def get_queryset(self):
        return selectors.publication_list(user=self.request.user)

    @extend_schema(
        request=serializers.IssueListApproveSerializer,
        responses={201: serializers.IssueListPublicationSerializer},
    )
    def create(self, request):
        payload = serializers.IssueListApproveSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        payload.is_valid(raise_exception=True)
        vendor = payload.validated_data["vendor"]
        if not permissions.restrict(
            Vendor.objects.filter(pk=vendor.pk), user=request.user, action=permissions.CHANGE
        ).exists():
            raise PermissionDenied("You may not approve this vendor's issue list.")
        version = services.issue_list_approve(
            actor=request.user, vendor=vendor, note=payload.validated_data.get("note", "")
        )
        return Response(self.get_serializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=serializers.IssueListPublicationSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish this version to the vendor's contacts (again: nothing more is sent)."""
        try:
            version = services.issue_list_publish(instance=self.get_object(), actor=request.user)
        except (OSError, smtplib.SMTPException) as exc:
            # Nothing was published (the transaction rolled back): try again later.
            return Response(
                {"detail": f"The mail server refused the publication: {exc}"},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return Response(self.get_serializer(version).data)


class HealthSurveyViewSet(SelectorViewSet):
    """Health surveys; ``GET …/summary/?vendor=&quarter=`` gives the index, gap and trend."""

    queryset = HealthSurvey.objects.none()
    selector = selectors.health_survey_list
    serializer_class = serializers.HealthSurveySerializer
    filterset_class = filters.HealthSurveyFilterSet
    ordering_fields = ["id", "quarter", "side", "created_at"]
    ordering = ["-quarter", "side", "id"]
    create_service = services.health_survey_create
    update_service = services.health_survey_update
    delete_service = services.health_survey_delete

    @extend_schema(
        parameters=[
            OpenApiParameter("vendor", int, required=True),
            OpenApiParameter("quarter", str, required=True, description="e.g. 2026Q3"),
        ],
        responses=serializers.HealthSummarySerializer,
    )
    @action(detail=False, methods=["get"])
    def summary(self, request):
        """The health index per side and dimension, the gap (client − vendor), the trend."""
        errors = {}
        vendor_id, quarter = (
            request.query_params.get("vendor", ""),
            request.query_params.get("quarter", ""),
        )
        vendor = None
        if not vendor_id.isdigit():
            errors["vendor"] = ["A vendor id is required."]
        else:
            vendor = (
                permissions.restrict(Vendor.objects.all(), user=request.user)
                .filter(pk=vendor_id)
                .first()
            )
            if vendor is None:
                errors["vendor"] = ["No such vendor."]
        if not QUARTER_RE.match(quarter):
            errors["quarter"] = ["A quarter reads like 2026Q3."]
        if errors:
            raise DRFValidationError(errors)
        data = selectors.health_summary(vendor=vendor, quarter=quarter)
        return Response(_plain(serializers.HealthSummarySerializer(data).data))


class IdeaViewSet(SelectorViewSet):
    """The innovation log."""

    queryset = Idea.objects.none()
    selector = selectors.idea_list
    serializer_class = serializers.IdeaSerializer
    filterset_class = filters.IdeaFilterSet
    ordering_fields = ["id", "status", "expected_benefit", "realised_benefit", "created_at"]
    ordering = ["-created_at", "-id"]
    create_service = services.idea_create
    update_service = services.idea_update
    delete_service = services.idea_delete
