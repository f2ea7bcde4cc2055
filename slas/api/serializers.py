"""Serializers of the slas API (field names per DESIGN.md section 6)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import ScopedModelSerializer
from slas import choices
from slas.models import SLA, Breach, BreachTransition, Measurement, Result


class SLASerializer(ScopedModelSerializer):
    """An SLA or KPI definition, with the engine's early warning (read-only).

    ``trending_to_breach`` and ``projected_next`` come from a least-squares
    line through the last 6 results projected one period ahead (null with
    fewer than 2 results); ``last_status`` is the status of the latest result.
    """

    trending_to_breach = serializers.SerializerMethodField()
    projected_next = serializers.SerializerMethodField()
    last_status = serializers.CharField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = SLA
        fields = [
            "id",
            *SLA.DEFINITION_FIELDS,
            "last_status",
            "trending_to_breach",
            "projected_next",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        validators: list = []  # the service's full_clean reports unique names per field

    def _trend(self, obj: SLA):
        trends = self.context.setdefault("trends", {})
        if obj.pk not in trends:
            from slas.evaluation import sla_trends

            # One query for the whole page: a list's child shares the root's
            # context, and the ListSerializer's instance is the page.
            page = getattr(self.parent, "instance", None) or [obj]
            ids = [o.pk for o in page]
            found = sla_trends(sla_ids=ids)
            trends.update({i: found.get(i) for i in ids})
        return trends.get(obj.pk)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_trending_to_breach(self, obj: SLA) -> bool:
        trend = self._trend(obj)
        return bool(trend and trend.trending_to_breach)

    @extend_schema_field(serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True))
    def get_projected_next(self, obj: SLA):
        trend = self._trend(obj)
        return None if trend is None else f"{trend.projected:f}"


class MeasurementSerializer(ScopedModelSerializer):
    """One value of an SLA for one day; the same (sla, date) again replaces it."""

    source = serializers.ChoiceField(choices=choices.Source.choices, default=choices.Source.API)

    class Meta:
        model = Measurement
        fields = ["id", "sla", "date", "value", "source", "note", "recorded_by", "updated_at"]
        read_only_fields = ["recorded_by", "updated_at"]
        validators: list = []  # (sla, date) is an upsert key, not a conflict


class MeasurementBulkSummarySerializer(serializers.Serializer):
    """The answer to a bulk POST: counts and the queued evaluation's TaskRun id."""

    received = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    evaluation_task_run = serializers.IntegerField(allow_null=True)


class ResultSerializer(ScopedModelSerializer):
    """A computed period result and the rule values it was judged with."""

    class Meta:
        model = Result
        fields = [
            "id",
            "sla",
            "period_start",
            "period_end",
            "actual",
            "status",
            "measurement_count",
            "target",
            "warning_level",
            "critical_level",
            "updated_at",
        ]
        read_only_fields = fields


class BreachTransitionSerializer(serializers.ModelSerializer):
    """One workflow step of a breach."""

    class Meta:
        model = BreachTransition
        fields = ["from_status", "to_status", "actor", "note", "at"]
        read_only_fields = fields


class BreachSerializer(ScopedModelSerializer):
    """A breached period: severity, workflow, service credit and earn-back (read-only here)."""

    credit_earned_back = serializers.BooleanField(read_only=True)
    transitions = BreachTransitionSerializer(many=True, read_only=True)

    class Meta:
        model = Breach
        fields = [
            "id",
            "sla",
            "period_start",
            "period_end",
            "actual",
            "severity",
            "status",
            "credit_month",
            "credit_uncapped",
            "credit",
            "credit_earned_back",
            "earn_back",
            "root_cause",
            "corrective_action",
            "remediation_owner",
            "remediation_due",
            "waiver_reason",
            "transitions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class BreachNoteSerializer(serializers.Serializer):
    """Input of acknowledge, resolve and reopen."""

    note = serializers.CharField(required=False, allow_blank=True, default="")


class BreachRemediateSerializer(serializers.Serializer):
    """Input of remediate: root cause, corrective action, owner and due date."""

    root_cause = serializers.CharField()
    corrective_action = serializers.CharField()
    remediation_owner = serializers.CharField(max_length=200)
    remediation_due = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class BreachWaiveSerializer(serializers.Serializer):
    """Input of waive: the reason (required)."""

    reason = serializers.CharField()


class EvaluateSerializer(serializers.Serializer):
    """Input of ``POST /api/v1/slas/evaluate/``: optional SLA ids and ``since`` date."""

    slas = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, allow_null=True
    )
    since = serializers.DateField(required=False, allow_null=True)


class TaskRunRefSerializer(serializers.Serializer):
    """A queued job: poll ``url`` (``/api/v1/task-runs/{id}/``) for its progress."""

    task_run = serializers.IntegerField()
    status = serializers.CharField()
    url = serializers.CharField()


class CreditStatementSerializer(serializers.Serializer):
    """One credit statement: a contract's service credits for one month (read-only).

    Figures from ``slas.credits``: ``at_risk_amount`` (the monthly cap),
    ``credits_uncapped`` (before the cap; waived, withdrawn and KPI breaches
    carry none), ``credits_due`` (after the cap), ``credits_earned_back``,
    ``credits_pending_earn_back`` (earn-back window still running; counted as
    due) and ``net_credit`` = ``credits_due − credits_earned_back``. ``month``
    is the first day of the month the breached periods end in.
    """

    contract = serializers.IntegerField(read_only=True)
    month = serializers.DateField(read_only=True)
    at_risk_amount = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    credits_uncapped = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    credits_due = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    credits_earned_back = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
    credits_pending_earn_back = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True
    )
    net_credit = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)
