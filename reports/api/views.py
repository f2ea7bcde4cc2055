"""API of the reports app: list, read and request QBRs; download their PDFs.

``POST /api/v1/qbr-reports/`` queues one and answers 202 with the report (poll
it, or its ``task_run``); ``GET /api/v1/qbr-reports/{id}/pdf/`` returns the PDF
once ready (404 before). Reports are made, never edited: no PUT, PATCH or
DELETE.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from core import permissions
from core.api.idempotency import IdempotencyMixin
from reports import selectors, services
from reports.api.serializers import QBRReportSerializer, QBRRequestSerializer
from reports.filters import QBRReportFilterSet
from reports.models import QBRReport
from reports.views import pdf_response
from vendors.models import Vendor


class QBRReportViewSet(IdempotencyMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """QBR reports the caller may see (a vendor representative: the vendor edition, if allowed).

    Filters: ``vendor``, ``quarter``, ``edition``, ``status``, ``portfolio``,
    ``scheduled``, ``search``. Requests: governance office, admins,
    executives, and vendor managers for the vendors they own.
    """

    queryset = QBRReport.objects.none()  # for the schema; get_queryset scopes per user
    serializer_class = QBRReportSerializer
    filterset_class = QBRReportFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "requested_at", "rendered_at", "quarter", "status"]
    ordering = ["-requested_at", "-id"]
    permission_classes = [permissions.RolePermission]

    def get_queryset(self):
        return selectors.qbr_report_list(user=self.request.user)

    def get_permissions(self):
        if self.action == "create":  # who may request is the service's rule, not writers-only
            from rest_framework.permissions import IsAuthenticated

            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        request=QBRRequestSerializer,
        responses={
            202: QBRReportSerializer,
            400: OpenApiResponse(description="A field error: vendor, quarter, edition or meeting."),
            403: OpenApiResponse(description="You may not request reports for this vendor."),
        },
    )
    def create(self, request, *args, **kwargs):
        body = QBRRequestSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        if body.validated_data["portfolio"]:
            try:
                report = services.qbr_request_portfolio(
                    actor=request.user, quarter=body.validated_data["quarter"]
                )
            except DjangoPermissionDenied as exc:
                raise PermissionDenied(str(exc)) from exc
            data = QBRReportSerializer(report, context=self.get_serializer_context()).data
            return Response(data, status=status.HTTP_202_ACCEPTED)
        vendor = (
            permissions.restrict(Vendor.objects.all(), user=request.user)
            .filter(pk=body.validated_data["vendor"])
            .first()
        )
        if vendor is None:
            raise ValidationError({"vendor": ["Unknown or inaccessible vendor."]})
        try:
            report = services.qbr_request(
                actor=request.user,
                vendor=vendor,
                quarter=body.validated_data["quarter"],
                edition=body.validated_data["edition"],
                meeting=body.validated_data.get("meeting"),
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        report.refresh_from_db()  # eager mode (no broker) has rendered it already
        data = QBRReportSerializer(report, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such report, or not ready yet."),
        }
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The report's PDF (``application/pdf``), once it is ready."""
        return pdf_response(self.get_object())

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def snapshot(self, request, pk=None):
        """The frozen data the PDF was rendered from (plain JSON; decimals as strings)."""
        return Response(self.get_object().snapshot)
