"""Serializers of the governance API (DESIGN.md section 6 field names), related rows by id.

Rules beyond field types (the ladder of levels, links to the same vendor,
what a representative may change) live in ``governance.services``, so the API
answers the same field-level messages as the pages.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import ScopedModelSerializer, ScopedPrimaryKeyRelatedField
from governance.models import (
    ActionItem,
    Decision,
    Escalation,
    EscalationLevel,
    EscalationPlan,
    EscalationTimelineEvent,
    Forum,
    Meeting,
)
from governance.selectors import next_meeting_due
from vendors.models import Contact

TIMESTAMPS = ["created_at", "updated_at"]


class EscalationLevelSerializer(ScopedModelSerializer):
    """One level: ``contact`` (a contact of the communication matrix) or ``contact_user``."""

    contact = ScopedPrimaryKeyRelatedField(
        queryset=Contact.objects.all(), required=False, allow_null=True
    )
    contact_user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True
    )

    class Meta:
        model = EscalationLevel
        fields = ["level", "name", "contact", "contact_user", "response_hours", "is_executive"]
        # The plan's service checks the ladder as a whole (numbering, one executive).
        validators: list = []


class EscalationPlanSerializer(ScopedModelSerializer):
    """A vendor's (or a contract's) plan: ``consecutive_breaches`` N and its ``levels``.

    Writing ``levels`` replaces the plan's ladder as a whole: numbered 1, 2, …,
    exactly one ``is_executive``.
    """

    levels = EscalationLevelSerializer(many=True)

    class Meta:
        model = EscalationPlan
        fields = ["id", "vendor", "contract", "consecutive_breaches", "levels", *TIMESTAMPS]
        read_only_fields = TIMESTAMPS
        validators: list = []  # the partial unique keys are checked by full_clean

    def validate_levels(self, value):
        return [dict(item) for item in value]


class EscalationTimelineEventSerializer(serializers.ModelSerializer):
    """A step of the timeline: ``kind`` opened | escalated | acknowledged | resolved |
    cause_withdrawn | note, at ``level``, ``by`` a user (null: the system)."""

    class Meta:
        model = EscalationTimelineEvent
        fields = ["at", "kind", "level", "by", "note"]
        read_only_fields = fields


class EscalationSerializer(ScopedModelSerializer):
    """An escalation. Open one by hand with ``vendor``, ``title``, optional ``plan`` (default:
    the vendor's), ``subject_type`` and ``subject_id``; it then moves by itself.
    ``overdue``: still unacknowledged after the top level's time."""

    events = EscalationTimelineEventSerializer(many=True, read_only=True, source="timeline")

    class Meta:
        model = Escalation
        fields = [
            "id",
            "vendor",
            "plan",
            "subject_type",
            "subject_id",
            "title",
            "description",
            "level",
            "status",
            "opened_at",
            "due_at",
            "overdue",
            "acknowledged_at",
            "resolved_at",
            "opened_by",
            "sla",
            "streak_start",
            "trigger_period",
            "events",
            *TIMESTAMPS,
        ]
        read_only_fields = [
            "level",
            "status",
            "opened_at",
            "due_at",
            "overdue",
            "acknowledged_at",
            "resolved_at",
            "opened_by",
            "sla",
            "streak_start",
            "trigger_period",
            *TIMESTAMPS,
        ]
        extra_kwargs = {"plan": {"required": False, "allow_null": True}}


class EscalationStepSerializer(serializers.Serializer):
    """Body of acknowledge / resolve: an optional note."""

    note = serializers.CharField(required=False, allow_blank=True, default="")


class ForumSerializer(ScopedModelSerializer):
    """A forum: ``kind``, ``cadence`` (weekly | monthly | quarterly | semiannual | annual),
    ``members`` (user ids); ``next_meeting_due`` is computed from its latest meeting."""

    members = serializers.PrimaryKeyRelatedField(
        many=True, queryset=get_user_model().objects.all(), required=False
    )
    next_meeting_due = serializers.SerializerMethodField()

    class Meta:
        model = Forum
        fields = [
            "id",
            "name",
            "kind",
            "cadence",
            "vendor",
            "description",
            "members",
            "next_meeting_due",
            *TIMESTAMPS,
        ]
        read_only_fields = TIMESTAMPS

    @extend_schema_field(serializers.DateField())
    def get_next_meeting_due(self, obj) -> str:
        last = getattr(obj, "last_meeting", None)
        today = self.context.setdefault("today", timezone.localdate())
        return next_meeting_due(cadence=obj.cadence, last_meeting=last, today=today).isoformat()


class DecisionSerializer(serializers.ModelSerializer):
    """A decision of a meeting; ``decided_at`` defaults to the meeting's date."""

    decided_at = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = Decision
        fields = ["id", "text", "decided_at"]
        read_only_fields = ["id"]


class MeetingSerializer(ScopedModelSerializer):
    """A meeting: ``kind`` qbr | jsc | ops_review, ``attendees`` (user ids), ``decisions``
    (writing the list replaces the meeting's decisions)."""

    attendees = serializers.PrimaryKeyRelatedField(
        many=True, queryset=get_user_model().objects.all(), required=False
    )
    decisions = DecisionSerializer(many=True, required=False)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "forum",
            "vendor",
            "date",
            "kind",
            "title",
            "attendees",
            "agenda",
            "minutes",
            "decisions",
            *TIMESTAMPS,
        ]
        read_only_fields = TIMESTAMPS

    def validate_decisions(self, value):
        return [dict(item) for item in value]


class ActionItemSerializer(ScopedModelSerializer):
    """An action item: ``priority`` low | medium | high | critical, ``status`` open |
    in_progress | done | cancelled; ``is_overdue`` (read-only). A vendor representative
    may change ``status`` and ``note`` only."""

    is_overdue = serializers.BooleanField(read_only=True)
    owner = serializers.PrimaryKeyRelatedField(queryset=get_user_model().objects.all())

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "title",
            "description",
            "owner",
            "vendor",
            "due_date",
            "priority",
            "status",
            "note",
            "meeting",
            "breach",
            "escalation",
            "risk",
            "finding",
            "is_overdue",
            "completed_at",
            *TIMESTAMPS,
        ]
        read_only_fields = ["completed_at", *TIMESTAMPS]
