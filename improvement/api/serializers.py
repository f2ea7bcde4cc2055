"""Serializers of the improvement API (DESIGN.md section 6): snake_case, related rows by id."""

from __future__ import annotations

from rest_framework import serializers

from improvement import health
from improvement.models import (
    Goal,
    HealthSurvey,
    Idea,
    IssueListPublication,
    KeyIssue,
    SituationAssessment,
)
from vendors.api.serializers import ScopedModelSerializer


class SituationAssessmentSerializer(ScopedModelSerializer):
    """A situation assessment; its key issues are the ``key-issues`` resource."""

    class Meta:
        model = SituationAssessment
        fields = ["id", "vendor", "title", "assessed_on", "summary", "assessed_by", "created_at"]
        read_only_fields = ["assessed_by", "created_at"]


class KeyIssueSerializer(ScopedModelSerializer):
    """A key issue and the investment (``investment_needed``, ``currency``) needed to fix it."""

    class Meta:
        model = KeyIssue
        fields = ["id", "assessment", "description", "investment_needed", "currency"]


class GoalSerializer(ScopedModelSerializer):
    """A goal: ``kind`` improvement | business_case, ``slas`` (ids) that show it.

    ``agreement`` (read-only): draft, awaiting_vendor, awaiting_client or
    agreed; agreements are recorded with ``POST …/{id}/agree/`` by each side.
    """

    agreement = serializers.CharField(read_only=True)
    is_agreed = serializers.BooleanField(read_only=True)

    class Meta:
        model = Goal
        fields = [
            "id",
            "vendor",
            "contract",
            "kind",
            "title",
            "description",
            "baseline_value",
            "target_value",
            "unit",
            "target_date",
            "slas",
            "owner",
            "agreement",
            "is_agreed",
            "client_agreed_by",
            "client_agreed_at",
            "vendor_agreed_by",
            "vendor_agreed_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "client_agreed_by",
            "client_agreed_at",
            "vendor_agreed_by",
            "vendor_agreed_at",
            "created_at",
            "updated_at",
        ]


class IssueListApproveSerializer(ScopedModelSerializer):
    """Approve the vendor's current issue list as the next version."""

    class Meta:
        model = IssueListPublication
        fields = ["vendor", "note"]


class IssueListPublicationSerializer(ScopedModelSerializer):
    """A numbered version of a vendor's issue list; ``items`` frozen at approval."""

    class Meta:
        model = IssueListPublication
        fields = [
            "id",
            "vendor",
            "version",
            "note",
            "items",
            "approved_by",
            "approved_at",
            "published_by",
            "published_at",
            "recipients",
        ]
        read_only_fields = fields


class HealthSurveySerializer(ScopedModelSerializer):
    """One side's survey for a vendor and quarter (``2026Q3``); six scores 1–5.

    ``health_index`` (read-only) is the mean of the six, 2 decimals half-up.
    A vendor representative answers the vendor side (``side`` may be left out).
    """

    side = serializers.ChoiceField(
        choices=HealthSurvey._meta.get_field("side").choices, required=False
    )
    health_index = serializers.SerializerMethodField()

    class Meta:
        model = HealthSurvey
        fields = [
            "id",
            "vendor",
            "quarter",
            "side",
            "communication",
            "responsiveness",
            "flexibility",
            "quality",
            "innovation",
            "trust",
            "comment",
            "health_index",
            "answered_by",
            "created_at",
        ]
        read_only_fields = ["answered_by", "created_at"]
        validators: list = []  # the unique key is checked by the service, as a field error

    def get_health_index(self, obj) -> str:
        return str(health.health_index(obj.scores()))


class HealthSummarySerializer(serializers.Serializer):
    """``improvement.selectors.health_summary``'s answer."""

    vendor = serializers.IntegerField()
    quarter = serializers.CharField()
    client = serializers.JSONField(allow_null=True)
    vendor_side = serializers.JSONField(allow_null=True)
    gap = serializers.JSONField()
    previous = serializers.JSONField()


class IdeaSerializer(ScopedModelSerializer):
    """An idea of the innovation log: ``status`` proposed | approved | implemented | rejected."""

    class Meta:
        model = Idea
        fields = [
            "id",
            "vendor",
            "proposed_by",
            "proposer",
            "title",
            "description",
            "status",
            "currency",
            "expected_benefit",
            "realised_benefit",
            "benefit_note",
            "decided_at",
            "created_at",
        ]
        read_only_fields = ["proposer", "decided_at", "created_at"]
        extra_kwargs = {"proposed_by": {"required": False}}
