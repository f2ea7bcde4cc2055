"""API viewsets of the risks app: CRUD through ``risks.services``, scoped per user.

Querysets come from ``risks.selectors``; the FilterSets are the list pages'
own. The register, its history, assessments and continuity plans are
internal: for a user whose scope holds none of them (a vendor representative)
every one of their endpoints answers 404 (``InternalOnlyAPIMixin``).
"""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from core import permissions
from core.api.viewsets import SelectorViewSet
from risks import filters, selectors, services
from risks.api import serializers
from risks.models import Assessment, ContinuityPlan, Finding, Risk, RiskReview
from risks.views import evidence_response


class InternalOnlyAPIMixin:
    """404 on every endpoint for a user who may see no row of the model at all."""

    def initial(self, request, *args, **kwargs):
        # Before the permission check, so that a write is 404 too (never 403, which
        # would tell a representative the register exists); anonymous callers get 401.
        user = request.user
        if user.is_authenticated:
            model = self.queryset.model
            if permissions.restrict(model.objects.all(), user=user).query.is_empty():
                raise NotFound
        super().initial(request, *args, **kwargs)


class RiskViewSet(InternalOnlyAPIMixin, SelectorViewSet):
    """The risk register; ``POST /risks/{id}/review/`` records a review."""

    queryset = Risk.objects.none()
    selector = selectors.risk_list
    serializer_class = serializers.RiskSerializer
    filterset_class = filters.RiskFilterSet
    search_fields: list[str] = []
    ordering_fields = [
        "id",
        "title",
        "category",
        "status",
        "next_review",
        "vendor__name",
        "score_inherent",
        "score_residual",
        "created_at",
    ]
    ordering = ["vendor__name", "title"]
    create_service = services.risk_create
    update_service = services.risk_update
    delete_service = services.risk_delete

    @extend_schema(
        request=serializers.RiskReviewInputSerializer,
        responses={201: serializers.RiskReviewSerializer},
        description="Record a review: the scores and status now, a note, the next review date.",
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def review(self, request, pk=None):
        risk = self.get_object()  # change scope: a POST reads the selector with action=CHANGE
        payload = serializers.RiskReviewInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        with transaction.atomic():
            review = services.risk_review(
                risk=risk, actor=request.user, data=dict(payload.validated_data)
            )
        return Response(
            serializers.RiskReviewSerializer(review).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("vendor", int, description="One vendor's map (default: portfolio)."),
            OpenApiParameter("residual", bool, description="Residual (default) or inherent."),
        ],
        responses={200: serializers.HeatmapSerializer},
        description="Open risks per cell: ``grid[likelihood - 1][impact - 1]`` = count.",
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def heatmap(self, request):
        params = serializers.HeatmapQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        vendor = params.validated_data.get("vendor")
        residual = params.validated_data.get("residual", True)
        grid = selectors.heatmap_counts(user=request.user, vendor=vendor, residual=residual)
        return Response(
            {"vendor": vendor.pk if vendor else None, "residual": residual, "grid": grid}
        )


class RiskReviewViewSet(
    InternalOnlyAPIMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Risk histories, read-only (written by creating, changing and reviewing risks)."""

    queryset = RiskReview.objects.none()
    serializer_class = serializers.RiskReviewSerializer
    filterset_class = filters.RiskReviewFilterSet
    ordering_fields = ["id", "reviewed_on"]
    ordering = ["-reviewed_on", "-id"]

    def get_queryset(self):
        return selectors.risk_review_list(user=self.request.user)


class AssessmentViewSet(InternalOnlyAPIMixin, SelectorViewSet):
    """Assessments of vendors, with an evidence file (multipart upload, scoped download)."""

    queryset = Assessment.objects.none()
    selector = selectors.assessment_list
    serializer_class = serializers.AssessmentSerializer
    filterset_class = filters.AssessmentFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "date", "kind", "vendor__name", "created_at"]
    ordering = ["-date", "id"]
    create_service = services.assessment_create
    update_service = services.assessment_update
    delete_service = services.assessment_delete
    parser_classes = [JSONParser, MultiPartParser]  # evidence is uploaded as multipart

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        description="Download the evidence file (404 when there is none or out of scope).",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def evidence(self, request, pk=None):
        return evidence_response(self.get_object())


class FindingViewSet(SelectorViewSet):
    """Findings; a vendor representative reads their own vendor's (and changes none)."""

    queryset = Finding.objects.none()
    selector = selectors.finding_list
    serializer_class = serializers.FindingSerializer
    filterset_class = filters.FindingFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "due_date", "severity", "status", "created_at"]
    ordering = ["due_date", "id"]
    create_service = services.finding_create
    update_service = services.finding_update
    delete_service = services.finding_delete


class ContinuityPlanViewSet(InternalOnlyAPIMixin, SelectorViewSet):
    """Continuity plans of vendors (required for tier 1, tested at least every 12 months)."""

    queryset = ContinuityPlan.objects.none()
    selector = selectors.continuity_plan_list
    serializer_class = serializers.ContinuityPlanSerializer
    filterset_class = filters.ContinuityPlanFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "last_test_date", "vendor__name", "created_at"]
    ordering = ["vendor__name", "title"]
    create_service = services.continuity_plan_create
    update_service = services.continuity_plan_update
    delete_service = services.continuity_plan_delete
