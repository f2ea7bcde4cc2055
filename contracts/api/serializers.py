"""Serializers of the contracts API (DESIGN.md section 6): snake_case, ids, decimals as strings.

Validation beyond field types happens in ``contracts.services`` (the models'
``clean`` and constraints), so the API answers the same field-level messages
as the pages.
"""

from __future__ import annotations

from rest_framework import serializers

from contracts.choices import ChangeRequestStatus
from contracts.models import (
    ChangeRequest,
    Contract,
    ExitPlan,
    ExitStep,
    Obligation,
    SpendRecord,
)
from core.api.serializers import ScopedModelSerializer


class ContractSerializer(ScopedModelSerializer):
    """A contract; ``notice_deadline``, ``next_renewal_date``, ``at_risk_amount`` are computed.

    Vendor representatives do not receive the internal ``baseline_annual_cost``,
    ``target_savings_percent``, ``transition_cost`` and ``transition_cost_month``
    (``Contract.internal_fields``). ``transition_cost_month`` is the first day of
    the month the one-off transition cost was paid.
    """

    at_risk_amount = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        read_only=True,
        help_text="monthly_charge × at_risk_percent / 100.",
    )
    next_renewal_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The day after end_date when the contract renews; null when renewal is none.",
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            "vendor",
            "reference",
            "title",
            "contract_type",
            "parent",
            "start_date",
            "end_date",
            "renewal",
            "renewal_months",
            "notice_days",
            "notice_deadline",
            "next_renewal_date",
            "currency",
            "monthly_charge",
            "total_value",
            "at_risk_percent",
            "at_risk_amount",
            "earn_back_periods",
            "baseline_annual_cost",
            "target_savings_percent",
            "transition_cost",
            "transition_cost_month",
            "scope_in",
            "scope_out",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["notice_deadline", "created_at", "updated_at"]


class ObligationSerializer(ScopedModelSerializer):
    """An obligation; ``is_overdue`` is true when open or in progress past its due date."""

    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Obligation
        fields = [
            "id",
            "contract",
            "title",
            "description",
            "party",
            "due_date",
            "recurrence",
            "owner",
            "status",
            "is_overdue",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def get_is_overdue(self, obj) -> bool:
        return obj.is_overdue()


class ChangeRequestSerializer(ScopedModelSerializer):
    """A change request. Its status moves only with ``POST …/transition/``.

    ``baseline_adjustment`` (with its required ``baseline_adjustment_date``)
    moves the contract's savings baseline once the change is approved; both
    are internal (``ChangeRequest.internal_fields``): vendor representatives
    do not receive them.
    """

    class Meta:
        model = ChangeRequest
        fields = [
            "id",
            "contract",
            "reference",
            "title",
            "description",
            "impact",
            "cost_impact",
            "status",
            "requested_by",
            "decided_by",
            "decided_at",
            "decision_note",
            "baseline_adjustment",
            "baseline_adjustment_date",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_at",
            "updated_at",
        ]


class ChangeRequestTransitionSerializer(serializers.Serializer):
    """One workflow step: proposed → assessed → approved | rejected; approved → implemented."""

    status = serializers.ChoiceField(choices=ChangeRequestStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ExitStepSerializer(ScopedModelSerializer):
    """One transition step of an exit plan (``/api/v1/exit-steps/``)."""

    class Meta:
        model = ExitStep
        fields = [
            "id",
            "plan",
            "order",
            "title",
            "owner",
            "start_date",
            "due_date",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class ExitStepNestedSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExitStep
        fields = ["id", "order", "title", "owner", "start_date", "due_date", "status"]
        read_only_fields = fields


class ExitPlanSerializer(ScopedModelSerializer):
    """A contract's exit plan; ``steps`` lists its steps (read-only: edit them at exit-steps)."""

    steps = ExitStepNestedSerializer(many=True, read_only=True)

    class Meta:
        model = ExitPlan
        fields = [
            "id",
            "contract",
            "summary",
            "ip_transfer",
            "data_return",
            "last_tested_on",
            "steps",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class SpendRecordSerializer(ScopedModelSerializer):
    """What was invoiced for a contract in a month (``month`` = its first day)."""

    class Meta:
        model = SpendRecord
        fields = [
            "id",
            "contract",
            "month",
            "amount",
            "invoice_reference",
            "note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # One per contract and month is an upsert key, not an error: POST replaces.
        validators: list = []
