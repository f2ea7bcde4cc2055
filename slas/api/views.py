"""API viewsets of the slas app: SLAs, measurements (with bulk ingestion), results, breaches."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from core.api.viewsets import ScopedModelViewSet
from slas import selectors, services
from slas.api import serializers
from slas.filters import (
    BreachFilterSet,
    CreditFilterSet,
    MeasurementFilterSet,
    ResultFilterSet,
    SLAFilterSet,
)
from slas.models import Breach, Measurement, Result

BULK_ERROR_EXAMPLE = {
    "items": {
        "3": {"value": ["A valid number is required."]},
        "7": {"sla": ["Unknown or inaccessible SLA 999."]},
    }
}


def _task_run_ref(run) -> dict:
    run.refresh_from_db()  # eager mode (no broker) has already run it at commit
    return {
        "task_run": run.pk,
        "status": run.status,
        "url": reverse("taskrun-detail", args=[run.pk]),
    }


class SLAViewSet(ScopedModelViewSet):
    """SLAs and KPIs: full CRUD, plus ``POST /api/v1/slas/evaluate/`` to queue an evaluation.

    ``trending_to_breach`` / ``projected_next`` are read-only: the engine's
    least-squares projection of the next period. Filters: ``contract``,
    ``vendor``, ``kind``, ``category``, ``focus``, ``period``, ``status``
    (of the last result), ``trending`` (true/false), ``search``.
    """

    queryset = selectors.sla_queryset()
    serializer_class = serializers.SLASerializer
    filterset_class = SLAFilterSet
    search_fields: list[str] = []  # ?search= is the FilterSet's, like the pages
    ordering_fields = ["id", "name", "kind", "category", "period", "target", "effective_from"]
    ordering = ["contract__reference", "name"]
    create_service = services.sla_create
    update_service = services.sla_update
    delete_service = services.sla_delete

    @extend_schema(
        responses={
            204: None,
            409: OpenApiResponse(
                description="The SLA has measurements, results or breaches: end it with "
                "`effective_to` instead."
            ),
        }
    )
    def destroy(self, request, *args, **kwargs):
        """Delete an SLA without measurements; one with any is refused with 409."""
        try:
            return super().destroy(request, *args, **kwargs)
        except services.SLAInUse as exc:
            names = sorted({o._meta.verbose_name_plural for o in exc.protected_objects})
            return Response(
                {"detail": str(exc), "referenced_by": names}, status=status.HTTP_409_CONFLICT
            )

    @extend_schema(
        request=serializers.EvaluateSerializer,
        responses={202: serializers.TaskRunRefSerializer},
        description=(
            "Queue an evaluation of the given SLAs (all when omitted) for the periods ending "
            "on/after `since` (all when omitted). Governance office and admins only. Answers "
            "202 with the TaskRun to poll at `/api/v1/task-runs/{id}/`."
        ),
    )
    @action(detail=False, methods=["post"])
    def evaluate(self, request):
        body = serializers.EvaluateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = services.evaluation_request(
            actor=request.user,
            sla_ids=body.validated_data.get("slas"),
            since=body.validated_data.get("since"),
        )
        return Response(_task_run_ref(run), status=status.HTTP_202_ACCEPTED)


class MeasurementViewSet(ScopedModelViewSet):
    """Measurements. ``POST`` takes one object or a list of up to 10,000 (bulk ingestion).

    * One object → 201 with the stored measurement. Errors: 400
      ``{"field": ["message"]}``.
    * A list → all-or-nothing. 201 when at least one row was created, else
      200, with ``{"received", "created", "updated", "unchanged",
      "evaluation_task_run"}``. Errors: 400 ``{"items": {"<index>":
      {"<field>": ["message"]}}}`` naming every bad item by its 0-based
      index, and nothing is written. An empty list or more than 10,000 items
      is 400 ``{"non_field_errors": [...]}``.

    Fields: ``sla`` (id; must be an SLA you may record for), ``date``
    (``YYYY-MM-DD``, inside the SLA's effective window), ``value`` (decimal),
    ``source`` (default ``api``), ``note``. The same (sla, date) again
    replaces the value; the audit trail keeps the old one. Every write queues
    the evaluation of the periods it touches.
    """

    queryset = Measurement.objects.select_related("sla")
    serializer_class = serializers.MeasurementSerializer
    filterset_class = MeasurementFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "date", "value", "sla", "updated_at"]
    ordering = ["-date", "sla_id"]
    update_service = services.measurement_update
    delete_service = services.measurement_delete

    @extend_schema(
        # One object or a list: a generated client offers both (oneOf).
        request=PolymorphicProxySerializer(
            component_name="MeasurementCreate",
            serializers=[
                serializers.MeasurementSerializer,
                serializers.MeasurementSerializer(many=True),
            ],
            resource_type_field_name=None,
            many=False,
        ),
        responses={
            201: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="MeasurementCreated",
                    serializers=[
                        serializers.MeasurementSerializer,
                        serializers.MeasurementBulkSummarySerializer,
                    ],
                    resource_type_field_name=None,
                ),
                description=(
                    "One object sent: the stored measurement (with `Location`). A list sent "
                    "and at least one row created: the summary."
                ),
            ),
            200: OpenApiResponse(
                serializers.MeasurementBulkSummarySerializer,
                description="A list sent and every row already stored: the summary.",
            ),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=(
                    'One object: `{"field": ["message"]}`. A list: errors by item index '
                    "and field under `items`; nothing written."
                ),
                examples=[OpenApiExample("Bulk errors", value=BULK_ERROR_EXAMPLE)],
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        data = request.data
        if isinstance(data, list):
            return self._create_many(request, data)
        if not isinstance(data, dict):
            raise ValidationError({"non_field_errors": ["Send an object or a list of objects."]})
        row = {k: data.get(k) for k in ("sla", "date", "value", "note") if k in data}
        row["source"] = data.get("source") or "api"
        measurement = services.measurement_create(actor=request.user, data=row)
        return Response(self.get_serializer(measurement).data, status=status.HTTP_201_CREATED)

    def _create_many(self, request, items: list) -> Response:
        if not items:
            raise ValidationError({"non_field_errors": ["Send at least one item."]})
        if len(items) > services.MAX_ITEMS:
            raise ValidationError(
                {
                    "non_field_errors": [
                        f"At most {services.MAX_ITEMS:,} items per request; got {len(items):,}."
                    ]
                }
            )
        try:
            summary = services.measurements_upsert(rows=items, source="api", actor=request.user)
        except services.ItemsValidationError as exc:
            errors = {str(i): fields for i, fields in sorted(exc.items.items())}
            return Response({"items": errors}, status=status.HTTP_400_BAD_REQUEST)
        code = status.HTTP_201_CREATED if summary.created else status.HTTP_200_OK
        return Response(summary.as_dict(), status=code)


class ResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Computed results per SLA and period (read-only), with the rule values used."""

    queryset = Result.objects.none()  # for the schema; get_queryset scopes per user
    serializer_class = serializers.ResultSerializer
    filterset_class = ResultFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "period_start", "period_end", "actual", "status", "sla"]
    ordering = ["sla_id", "-period_start"]

    def get_queryset(self):
        return selectors.result_list(user=self.request.user)


def _workflow_action(name: str, body: type, doc: str):
    """A ``POST /breaches/{id}/<name>/`` action calling the workflow service of that name."""

    def handler(self, request, pk=None):
        breach = self.get_object()
        data = body(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.WORKFLOW_SERVICES[name](
            breach=breach, actor=request.user, **data.validated_data
        )
        fresh = self.get_queryset().get(pk=updated.pk)
        return Response(self.get_serializer(fresh).data)

    # DRF maps the HTTP method to the attribute of this name: set it before @action.
    handler.__name__ = handler.__qualname__ = name
    routed = action(detail=True, methods=["post"], url_path=name)(handler)
    return extend_schema(
        request=body, responses={200: serializers.BreachSerializer}, description=doc
    )(routed)


class BreachViewSet(viewsets.ReadOnlyModelViewSet):
    """Breaches (read), and their workflow: ``POST /api/v1/breaches/{id}/<action>/``.

    Actions: ``acknowledge`` (open → acknowledged), ``remediate`` (open or
    acknowledged → remediating; ``root_cause``, ``corrective_action``,
    ``remediation_owner``, ``remediation_due`` required), ``resolve``
    (remediating → resolved), ``waive`` (any open state → waived; ``reason``
    required; governance office and admins only), ``reopen`` (resolved or
    waived → open). A move the workflow forbids is 400 ``{"status": [...]}``;
    a user who may see but not change the breach gets 403.
    """

    queryset = Breach.objects.none()  # for the schema; get_queryset scopes per user
    serializer_class = serializers.BreachSerializer
    filterset_class = BreachFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "period_start", "credit_month", "credit", "severity", "status"]
    ordering = ["-period_start", "sla_id"]

    def get_queryset(self):
        return selectors.breach_list(user=self.request.user).prefetch_related("transitions")

    acknowledge = _workflow_action(
        "acknowledge", serializers.BreachNoteSerializer, "open → acknowledged"
    )
    remediate = _workflow_action(
        "remediate", serializers.BreachRemediateSerializer, "open/acknowledged → remediating"
    )
    resolve = _workflow_action(
        "resolve", serializers.BreachNoteSerializer, "remediating → resolved"
    )
    waive = _workflow_action(
        "waive", serializers.BreachWaiveSerializer, "→ waived (reason; governance office only)"
    )
    reopen = _workflow_action("reopen", serializers.BreachNoteSerializer, "resolved/waived → open")


class CreditStatementViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Credit statements (read-only): one per contract and month with service credits.

    Filters: ``vendor``, ``contract`` (ids), ``month_after`` and ``month_before``
    (``YYYY-MM``, inclusive), ``month`` (``YYYY-MM``), ``year``. Figures are
    read through ``slas.credits`` like the credits page, scorecards and QBRs.
    Ordering: ``month``, ``contract``, ``net_credit``, ``credits_due``
    (default: newest month first).
    """

    queryset = Breach.objects.none()  # for the schema; get_queryset scopes per user
    serializer_class = serializers.CreditStatementSerializer
    filterset_class = CreditFilterSet
    search_fields: list[str] = []
    ordering_fields = ["month", "contract", "net_credit", "credits_due", "credits_uncapped"]
    ordering = ["-month", "contract"]

    def get_queryset(self):
        return selectors.breach_list(user=self.request.user)

    def filter_queryset(self, queryset):
        # The FilterSet chooses breaches (by contract, vendor, credit month);
        # the statement rows are their aggregates, which ordering then sorts.
        sorting = [b for b in self.filter_backends if issubclass(b, OrderingFilter)]
        for backend in self.filter_backends:
            if backend not in sorting:
                queryset = backend().filter_queryset(self.request, queryset, self)
        rows = selectors.credit_statements(user=self.request.user, breaches=queryset)
        for backend in sorting:
            rows = backend().filter_queryset(self.request, rows, self)
        return rows
