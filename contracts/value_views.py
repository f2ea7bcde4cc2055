"""The value realised by a contract, on its page and in the API (``contracts/value.py``).

* ``GET /api/v1/contracts/{id}/value/`` — months, quarters, years, payback;
  404 for a contract outside the caller's scope, 403 for a vendor
  representative (baseline and savings are internal figures).
* ``/sourcing/value/contracts/<pk>/`` — the page, with the formulas as help text.
  The contract page shows a summary card (``templates/contracts/_value.html``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.response import Response

from contracts import selectors
from contracts import value as value_rules
from contracts.models import Contract
from contracts.value import contract_value, value_payload
from core import charts, permissions, registry


def value_chart(value) -> str:
    """The monthly saving of the recorded months (a missing month leaves no point)."""
    points = [
        charts.Point(label=m.month.strftime("%Y-%m"), value=m.saving)
        for m in value.months
        if m.saving is not None
    ]
    if not points:
        return ""
    return charts.line_chart(points, title="Realised saving per month")


def business_case(*, contract: Contract) -> list:
    """The contract's business-case objectives with their progress from the KPIs' results.

    The goals are the improvement programme's (provided through ``core.registry``:
    contracts does not import improvement); none without it.
    """
    goals_for = registry.provider("contracts.vendor_goals")
    if goals_for is None:
        return []
    return [
        goal
        for goal in goals_for(vendor=contract.vendor)
        if goal.contract_id == contract.pk and goal.kind == "business_case"
    ]


class ContractValueViewSet(viewsets.GenericViewSet):
    """The ``value`` of a contract (registered beside the contracts viewset)."""

    queryset = Contract.objects.all()
    serializer_class = None

    def get_queryset(self):
        return selectors.contract_list(user=self.request.user)

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def value(self, request, pk=None):
        """Realised savings per month, quarter and year, cost per transaction and payback."""
        contract = self.get_object()
        if not permissions.sees_internal(request.user):
            raise ApiPermissionDenied("The value of a contract is an internal figure.")
        return Response(value_payload(contract_value(contract=contract, user=request.user)))


class ContractValueView(TemplateView):
    """A contract's value realised against its business case, month by month."""

    template_name = "sourcing/contract_value.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        contract = get_object_or_404(selectors.contract_list(user=user), pk=kwargs["pk"])
        if not permissions.sees_internal(user):
            raise PermissionDenied("The value of a contract is an internal figure.")
        value = contract_value(contract=contract, user=user)
        ctx.update(
            # The business case: the improvement programme's goals of kind
            # business_case on this contract (one kind of record with goals).
            business_case=business_case(contract=contract),
        )
        ctx.update(
            contract=contract,
            object=contract,
            value=value,
            chart=value_chart(value),
            formulas=value_rules.__doc__,
        )
        return ctx
