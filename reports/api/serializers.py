"""Serializers of the reports API: ``qbr-reports`` (DESIGN.md section 6)."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import permissions
from core.api.serializers import ScopedModelSerializer
from governance.models import Meeting
from reports import choices
from reports.models import QBRReport, meeting_errors, validate_quarter


class QBRReportSerializer(ScopedModelSerializer):
    """A QBR: ``vendor`` (null for the portfolio pack), ``quarter`` (``2026Q3``), ``edition``
    (internal | vendor), ``status`` (queued, rendering, ready, failed) with ``failure_reason``;
    ``pdf_url`` once ready; ``meeting``: the QBR meeting it was prepared for, or null (hidden
    from vendor users). The snapshot the PDF was rendered from is at ``…/{id}/snapshot/``."""

    pdf_url = serializers.SerializerMethodField()
    task_run = serializers.PrimaryKeyRelatedField(read_only=True)
    meeting = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = QBRReport
        fields = [
            "id",
            "vendor",
            "portfolio",
            "quarter",
            "edition",
            "status",
            "failure_reason",
            "scheduled",
            "requested_by",
            "requested_at",
            "rendered_at",
            "data_as_of",
            "pdf_pages",
            "pdf_url",
            "task_run",
            "meeting",
        ]
        read_only_fields = [f for f in fields if f not in ("vendor", "quarter", "edition")]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_pdf_url(self, report) -> str | None:
        if not report.is_ready:
            return None
        return reverse("qbrreport-pdf", args=[report.pk])


class QBRRequestSerializer(serializers.Serializer):
    """The body of ``POST /api/v1/qbr-reports/``: which vendor, quarter and edition; or
    ``portfolio: true`` (and no vendor) for the portfolio pack."""

    vendor = serializers.IntegerField(min_value=1, required=False)
    portfolio = serializers.BooleanField(default=False)
    quarter = serializers.CharField(max_length=6, validators=[validate_quarter])
    edition = serializers.ChoiceField(
        choices=choices.Edition.choices, default=choices.Edition.INTERNAL
    )
    meeting = serializers.IntegerField(min_value=1, required=False, allow_null=True)

    def validate(self, attrs):
        if attrs["portfolio"]:
            if attrs.get("vendor"):
                raise serializers.ValidationError({"vendor": ["The portfolio pack has no vendor."]})
            if attrs["edition"] != choices.Edition.INTERNAL:
                raise serializers.ValidationError({"edition": ["The pack is internal only."]})
            if attrs.get("meeting"):
                raise serializers.ValidationError(
                    {"meeting": ["Only a vendor's report links a QBR meeting."]}
                )
        elif not attrs.get("vendor"):
            raise serializers.ValidationError({"vendor": ["This field is required."]})
        if attrs.get("meeting"):
            attrs["meeting"] = self._meeting(attrs["meeting"], vendor_id=attrs["vendor"])
        return attrs

    def _meeting(self, pk: int, *, vendor_id: int) -> Meeting:
        """The QBR meeting ``pk``, if the caller may see it and it is with ``vendor_id``."""
        request = self.context.get("request")
        user = request.user if request is not None else None
        meeting = permissions.restrict(Meeting.objects.all(), user=user).filter(pk=pk).first()
        if meeting is None:
            raise serializers.ValidationError({"meeting": ["Unknown or inaccessible meeting."]})
        errors = meeting_errors(meeting=meeting, vendor_id=vendor_id)
        if errors:
            raise serializers.ValidationError({"meeting": errors})
        return meeting
