"""Serializers of the sourcing API: snake_case, ids for relations, computed fields read-only.

Validation beyond field types happens in ``sourcing.services`` (weights sum to
100, blind scoring, the award rule), so the API answers the same field-level
messages as the pages.
"""

from __future__ import annotations

from rest_framework import serializers

from core.api.serializers import ScopedModelSerializer
from sourcing.choices import CandidateStatus
from sourcing.models import (
    Candidate,
    Criterion,
    DueDiligenceItem,
    EvaluatorAssignment,
    Proposal,
    Score,
    SourcingEvent,
)


class CriterionSerializer(ScopedModelSerializer):
    """A weighted criterion; an event's weights sum to 100 before scoring opens."""

    class Meta:
        model = Criterion
        fields = ["id", "event", "name", "weight", "order"]


class SourcingEventSerializer(ScopedModelSerializer):
    """A sourcing event; ``status`` moves through the actions (open, evaluate, award, cancel)."""

    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = SourcingEvent
        fields = [
            "id",
            "title",
            "scope",
            "objectives",
            "status",
            "decision_date",
            "criteria",
            "awarded_candidate",
            "award_rationale",
            "awarded_at",
            "created_at",
        ]
        read_only_fields = ["status", "awarded_candidate", "award_rationale", "awarded_at"]


class CriteriaSetSerializer(serializers.Serializer):
    """The whole set of an event's criteria, saved at once (weights sum to 100)."""

    criteria = serializers.ListField(
        child=serializers.DictField(), help_text='[{"name": "Cost", "weight": "40"}, ...]'
    )


class AwardSerializer(serializers.Serializer):
    """The award: the winning candidate and the rationale."""

    candidate = serializers.IntegerField()
    award_rationale = serializers.CharField(allow_blank=True)


class CandidateSerializer(ScopedModelSerializer):
    """A vendor invited to an event (a prospect or a vendor being evaluated)."""

    class Meta:
        model = Candidate
        fields = ["id", "event", "vendor", "status", "created_at"]
        read_only_fields = ["status"]


class ProposalSerializer(ScopedModelSerializer):
    """A candidate's proposal; ``status`` is the candidate's (all its vendor's users see)."""

    status = serializers.ChoiceField(
        source="candidate.status", choices=CandidateStatus.choices, read_only=True
    )
    event = serializers.IntegerField(source="candidate.event_id", read_only=True)

    class Meta:
        model = Proposal
        fields = ["id", "candidate", "event", "status", "price", "currency", "notes", "document"]


class DueDiligenceItemSerializer(ScopedModelSerializer):
    """One due-diligence check of a candidate; blocking ones stop the award while open."""

    class Meta:
        model = DueDiligenceItem
        fields = ["id", "candidate", "kind", "cmmi_min_level", "status", "blocking", "note"]


class EvaluatorAssignmentSerializer(ScopedModelSerializer):
    """An evaluator of an event; ``submitted_at`` is set by the submit action."""

    class Meta:
        model = EvaluatorAssignment
        fields = ["id", "event", "evaluator", "submitted_at"]
        read_only_fields = ["submitted_at"]


class ScoreSerializer(ScopedModelSerializer):
    """A 0–5 score; the evaluator is the caller. Others' scores show once they submit."""

    evaluator = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Score
        fields = ["id", "evaluator", "proposal", "criterion", "score", "comment"]
