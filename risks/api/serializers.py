"""Serializers of the risks API (DESIGN.md section 6): snake_case, related rows by id.

Scores and ratings are read-only and derived by ``risks.rules``; the rules
beyond field types (residual ≤ inherent, the contract belongs to the vendor,
no future dates) are the services', so the API answers the same field-level
messages as the pages.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from risks.choices import Rating, RiskStatus
from risks.models import Assessment, ContinuityPlan, Finding, Risk, RiskReview
from vendors.models import Vendor

FACTOR = {"min_value": 1, "max_value": 5}


def _staff_field(**kwargs) -> serializers.PrimaryKeyRelatedField:
    """An owner: internal staff only, never a vendor's representative."""
    return ScopedPrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(vendor__isnull=True),
        allow_null=True,
        required=False,
        **kwargs,
    )


class RiskSerializer(ScopedModelSerializer):
    """A risk. ``inherent_score`` = ``likelihood`` × ``impact``; ``residual_score`` =
    ``residual_likelihood`` × ``residual_impact`` (default: the inherent factors), never
    above the inherent score. Ratings: low ≤ 4, medium 5–9, high 10–14, critical ≥ 15.
    Without ``next_review`` an open risk is due one tier cadence from today."""

    likelihood = serializers.IntegerField(**FACTOR)
    impact = serializers.IntegerField(**FACTOR)
    residual_likelihood = serializers.IntegerField(required=False, **FACTOR)
    residual_impact = serializers.IntegerField(required=False, **FACTOR)
    inherent_score = serializers.IntegerField(read_only=True)
    inherent_rating = serializers.ChoiceField(choices=Rating.choices, read_only=True)
    residual_score = serializers.IntegerField(read_only=True)
    residual_rating = serializers.ChoiceField(choices=Rating.choices, read_only=True)
    owner = _staff_field()

    class Meta:
        model = Risk
        fields = [
            "id",
            "vendor",
            "contract",
            "title",
            "description",
            "category",
            "likelihood",
            "impact",
            "inherent_score",
            "inherent_rating",
            "controls",
            "residual_likelihood",
            "residual_impact",
            "residual_score",
            "residual_rating",
            "treatment",
            "owner",
            "status",
            "next_review",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class RiskReviewSerializer(serializers.ModelSerializer):
    """One row of a risk's history: the scores and status then, who, when, the note."""

    inherent_score = serializers.IntegerField(read_only=True)
    residual_score = serializers.IntegerField(read_only=True)
    residual_rating = serializers.ChoiceField(choices=Rating.choices, read_only=True)

    class Meta:
        model = RiskReview
        fields = [
            "id",
            "risk",
            "kind",
            "reviewed_on",
            "reviewed_by",
            "likelihood",
            "impact",
            "inherent_score",
            "residual_likelihood",
            "residual_impact",
            "residual_score",
            "residual_rating",
            "status",
            "note",
            "next_review",
        ]
        read_only_fields = fields


class RiskReviewInputSerializer(serializers.Serializer):
    """A review to record: every field optional; unchanged values may be left out."""

    reviewed_on = serializers.DateField(required=False)
    likelihood = serializers.IntegerField(required=False, **FACTOR)
    impact = serializers.IntegerField(required=False, **FACTOR)
    residual_likelihood = serializers.IntegerField(required=False, **FACTOR)
    residual_impact = serializers.IntegerField(required=False, **FACTOR)
    status = serializers.ChoiceField(choices=RiskStatus.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    next_review = serializers.DateField(required=False, allow_null=True)


class AssessmentSerializer(ScopedModelSerializer):
    """An assessment. ``evidence`` is write-only (multipart upload); download it from
    ``evidence_url`` (``GET /api/v1/assessments/{id}/evidence/``), scope-checked."""

    evidence = serializers.FileField(
        write_only=True, required=False, allow_null=True, help_text="Upload (multipart)."
    )
    has_evidence = serializers.SerializerMethodField()
    evidence_url = serializers.SerializerMethodField()
    open_findings = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "vendor",
            "kind",
            "date",
            "assessor",
            "summary",
            "evidence",
            "has_evidence",
            "evidence_url",
            "open_findings",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_has_evidence(self, obj) -> bool:
        return bool(obj.evidence)

    def get_evidence_url(self, obj) -> str | None:
        if not obj.evidence:
            return None
        url = reverse("assessment-evidence", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def get_open_findings(self, obj) -> int:
        count = getattr(obj, "open_findings", None)
        if count is None:
            count = obj.findings.filter(status__in=("open", "in_progress")).count()
        return count


class FindingSerializer(ScopedModelSerializer):
    """A finding of an assessment; ``vendor`` and ``is_overdue`` (open, past due) are read-only."""

    owner = _staff_field()
    vendor = serializers.IntegerField(source="assessment.vendor_id", read_only=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Finding
        fields = [
            "id",
            "assessment",
            "vendor",
            "title",
            "description",
            "severity",
            "owner",
            "due_date",
            "status",
            "is_overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    @extend_schema_field(serializers.BooleanField())
    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue(self.context.setdefault("today", timezone.localdate()))


class ContinuityPlanSerializer(ScopedModelSerializer):
    """A continuity plan; ``last_test_result`` (pass, partial, fail) comes with its date."""

    class Meta:
        model = ContinuityPlan
        fields = [
            "id",
            "vendor",
            "title",
            "contingency_steps",
            "rto_hours",
            "rpo_hours",
            "last_test_date",
            "last_test_result",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class HeatmapQuerySerializer(serializers.Serializer):
    """The heat map's query: an optional vendor (one the caller may see) and which scores."""

    vendor = ScopedPrimaryKeyRelatedField(queryset=Vendor.objects.all(), required=False)
    residual = serializers.BooleanField(required=False, default=True)


class HeatmapSerializer(serializers.Serializer):
    """Open risks per cell of the 5×5 map: ``grid[likelihood - 1][impact - 1]``."""

    vendor = serializers.IntegerField(allow_null=True)
    residual = serializers.BooleanField()
    grid = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
