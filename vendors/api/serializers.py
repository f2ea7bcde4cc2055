"""Serializers of the vendors API (DESIGN.md section 6): snake_case, related rows by id.

Validation beyond field types happens in ``vendors.services`` (unique name,
tier 1–4, dates, CMMI level, parent chain, tier reason), so the API answers
the same field-level messages as the pages.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core import permissions
from core.api.serializers import ScopedModelSerializer
from vendors.choices import ExpiryState
from vendors.models import Certification, Contact, Vendor, VendorTierChange


def _sees_internal(serializer) -> bool:
    request = serializer.context.get("request")
    return request is None or permissions.sees_internal(request.user)


class VendorSerializer(ScopedModelSerializer):
    """A vendor: ``tier`` 1 (critical) … 4 (low), ``service_type`` bpo | ito | both.

    Changing ``tier`` records a tier change with ``tier_reason`` (required then).
    Vendor representatives do not receive the internal ``tier_reason`` and
    ``relationship_owner`` (``Vendor.internal_fields``).
    """

    class Meta:
        model = Vendor
        fields = [
            "id",
            "name",
            "legal_name",
            "country",
            "service_type",
            "services_description",
            "tier",
            "tier_reason",
            "status",
            "relationship_owner",
            "parent",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class VendorTierChangeSerializer(serializers.ModelSerializer):
    """One change of tier: from (null for the initial tier), to, why, by whom, when."""

    changed_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = VendorTierChange
        fields = ["from_tier", "to_tier", "reason", "changed_by", "changed_at"]
        read_only_fields = fields


class VendorDetailSerializer(VendorSerializer):
    """A vendor with its tier history (read-only, newest first)."""

    tier_history = serializers.SerializerMethodField()

    class Meta(VendorSerializer.Meta):
        fields = [*VendorSerializer.Meta.fields, "tier_history"]

    @extend_schema_field(VendorTierChangeSerializer(many=True))
    def get_tier_history(self, obj) -> list[dict]:
        if not _sees_internal(self):
            return []
        return VendorTierChangeSerializer(obj.tier_changes.all(), many=True).data


class CertificationSerializer(ScopedModelSerializer):
    """A certification. ``expiry_state`` (today): expired | expiring (≤ 60 days) | valid |
    no_expiry. ``evidence`` is write-only (multipart upload); download it from
    ``evidence_url`` (``GET /api/v1/certifications/{id}/evidence/``), which checks
    the caller's scope."""

    expiry_state = serializers.SerializerMethodField()
    evidence = serializers.FileField(
        write_only=True, required=False, allow_null=True, help_text="Upload (multipart)."
    )
    has_evidence = serializers.SerializerMethodField()
    evidence_url = serializers.SerializerMethodField()

    class Meta:
        model = Certification
        fields = [
            "id",
            "vendor",
            "kind",
            "name",
            "cmmi_level",
            "scope",
            "issued_on",
            "expires_on",
            "expiry_state",
            "evidence",
            "has_evidence",
            "evidence_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    @extend_schema_field(serializers.ChoiceField(choices=ExpiryState.choices))
    def get_expiry_state(self, obj) -> str:
        today = self.context.setdefault("today", timezone.localdate())
        return obj.expiry_state(today)

    def get_has_evidence(self, obj) -> bool:
        return bool(obj.evidence)

    def get_evidence_url(self, obj) -> str | None:
        if not obj.evidence:
            return None
        # The API's own download action: it accepts tokens and checks the caller's scope.
        url = reverse("certification-evidence", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class ContactSerializer(ScopedModelSerializer):
    """A person of the communication matrix: ``side`` client | vendor, ``level``
    operational | tactical | strategic."""

    class Meta:
        model = Contact
        fields = [
            "id",
            "vendor",
            "name",
            "side",
            "level",
            "role",
            "email",
            "phone",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
