"""API viewsets of the contracts app: CRUD through ``contracts.services``, scoped per user.

* ``change-requests``: the status is read-only in CRUD; ``POST
  /api/v1/change-requests/{id}/transition/`` with ``{"status": ..., "note": ...}``
  moves it along the workflow (400 on ``status`` for a move the workflow forbids).
* ``exit-plans`` show their ``steps`` read-only; steps have their own CRUD
  endpoint, ``exit-steps``.
* ``spend-records``: ``POST`` is an upsert on (contract, month): 201 when it
  creates the month's record, 200 when it replaces it.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from contracts import filters, services
from contracts.api import serializers
from contracts.models import (
    ChangeRequest,
    Contract,
    ExitPlan,
    ExitStep,
    Obligation,
    SpendRecord,
)
from core import permissions
from core.api.viewsets import ScopedModelViewSet


class ContractViewSet(ScopedModelViewSet):
    """Contracts: MSAs, SOWs and amendments with their terms, renewal and money."""

    queryset = Contract.objects.select_related("vendor", "parent")
    serializer_class = serializers.ContractSerializer
    filterset_class = filters.ContractFilterSet
    search_fields: list[str] = []  # ?search= is the FilterSet's, like the pages
    ordering_fields = [
        "id",
        "reference",
        "title",
        "start_date",
        "end_date",
        "notice_deadline",
        "monthly_charge",
        "status",
        "vendor__name",
    ]
    ordering = ["reference"]
    create_service = services.contract_create
    update_service = services.contract_update
    delete_service = services.contract_delete


class ObligationViewSet(ScopedModelViewSet):
    """Obligations of either party under a contract; ``?overdue=true`` lists the overdue."""

    queryset = Obligation.objects.select_related("contract__vendor", "owner")
    serializer_class = serializers.ObligationSerializer
    filterset_class = filters.ObligationFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "due_date", "title", "status", "created_at"]
    ordering = ["due_date", "id"]
    create_service = services.obligation_create
    update_service = services.obligation_update
    delete_service = services.obligation_delete


class ChangeRequestViewSet(ScopedModelViewSet):
    """Change requests and their workflow (see ``transition``)."""

    queryset = ChangeRequest.objects.select_related("contract__vendor", "decided_by")
    serializer_class = serializers.ChangeRequestSerializer
    filterset_class = filters.ChangeRequestFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "created_at", "status", "decided_at", "cost_impact"]
    ordering = ["-created_at", "-id"]
    create_service = services.change_request_create
    update_service = services.change_request_update
    delete_service = services.change_request_delete

    @extend_schema(
        request=serializers.ChangeRequestTransitionSerializer,
        responses=serializers.ChangeRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the change request to ``status``; approving or rejecting records who decided."""
        change_request = self.get_object()
        payload = serializers.ChangeRequestTransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        updated = services.change_request_transition(
            change_request=change_request,
            to_status=payload.validated_data["status"],
            actor=request.user,
            note=payload.validated_data.get("note", ""),
        )
        return Response(self.get_serializer(updated).data)


class ExitPlanViewSet(ScopedModelViewSet):
    """Exit plans (one per contract). Not visible to vendor representatives."""

    queryset = ExitPlan.objects.select_related("contract__vendor").prefetch_related(
        Prefetch("steps", queryset=ExitStep.objects.order_by("order", "id"))
    )
    serializer_class = serializers.ExitPlanSerializer
    filterset_class = filters.ExitPlanFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "last_tested_on", "created_at", "contract__reference"]
    ordering = ["contract__reference"]
    create_service = services.exit_plan_create
    update_service = services.exit_plan_update
    delete_service = services.exit_plan_delete


class ExitStepViewSet(ScopedModelViewSet):
    """The steps of exit plans."""

    queryset = ExitStep.objects.select_related("plan__contract__vendor")
    serializer_class = serializers.ExitStepSerializer
    filterset_class = filters.ExitStepFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "order", "start_date", "due_date", "status"]
    ordering = ["plan", "order", "id"]
    create_service = services.exit_step_create
    update_service = services.exit_step_update
    delete_service = services.exit_step_delete


class SpendRecordViewSet(ScopedModelViewSet):
    """Invoiced spend per contract and month, pushed by finance. Not visible to vendors."""

    queryset = SpendRecord.objects.select_related("contract__vendor")
    serializer_class = serializers.SpendRecordSerializer
    filterset_class = filters.SpendRecordFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "month", "amount", "contract__reference"]
    ordering = ["contract__reference", "-month"]
    update_service = services.spend_record_update
    delete_service = services.spend_record_delete

    def create(self, request, *args, **kwargs):
        """Create or replace the record of (contract, month): 201 created, 200 replaced."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        vendor_id = self.vendor_id_for_create(data)
        if not permissions.may_create(user=request.user, model=SpendRecord, vendor_id=vendor_id):
            raise PermissionDenied("You may not create this object.")
        with transaction.atomic():
            record, created = services.spend_record_upsert(actor=request.user, data=data)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(record).data, status=code)
