"""API viewsets of the vendors app: CRUD through ``vendors.services``, scoped per user.

Querysets come from ``vendors.selectors`` (the permission rule applied:
reads see the user's view scope, writes their change scope); the FilterSets
are the list pages' own, so ``?search=``, ``?tier=``, ``?expiry=`` … behave alike.
"""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser

from core.api.viewsets import SelectorViewSet
from vendors import filters, selectors, services
from vendors.api import serializers
from vendors.models import Certification, Contact, Vendor, VendorTierChange
from vendors.views import evidence_response


class VendorViewSet(SelectorViewSet):
    """Vendors with tier, lifecycle status, owner and parent; one vendor shows its tier history."""

    queryset = Vendor.objects.none()  # for the schema and permission checks; see get_queryset
    selector = selectors.vendor_list
    serializer_class = serializers.VendorSerializer
    filterset_class = filters.VendorFilterSet
    search_fields: list[str] = []  # ?search= is the FilterSet's, like the pages
    ordering_fields = ["id", "name", "tier", "status", "service_type", "country", "created_at"]
    ordering = ["name"]
    create_service = services.vendor_create
    update_service = services.vendor_update
    delete_service = services.vendor_delete

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.VendorDetailSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            history = VendorTierChange.objects.order_by("-created_at", "-id")
            queryset = queryset.prefetch_related(Prefetch("tier_changes", queryset=history))
        return queryset


class CertificationViewSet(SelectorViewSet):
    """Certifications with ``expiry_state``; ``?expiry=expired&expiry=expiring`` for the flagged."""

    queryset = Certification.objects.none()
    selector = selectors.certification_list
    # The evidence file is uploaded with the certification: multipart here only.
    parser_classes = [JSONParser, MultiPartParser]
    serializer_class = serializers.CertificationSerializer
    filterset_class = filters.CertificationFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "expires_on", "issued_on", "kind", "vendor__name", "created_at"]
    ordering = ["expires_on", "id"]
    create_service = services.certification_create
    update_service = services.certification_update
    delete_service = services.certification_delete

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
        description="Download the evidence file (404 when there is none or out of scope).",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def evidence(self, request, pk=None):
        return evidence_response(self.get_object())


class ContactViewSet(SelectorViewSet):
    """The communication matrix: who talks to whom, at which level, on either side."""

    queryset = Contact.objects.none()
    selector = selectors.contact_list
    serializer_class = serializers.ContactSerializer
    filterset_class = filters.ContactFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "name", "level", "side", "vendor__name", "created_at"]
    ordering = ["vendor__name", "level", "name"]
    create_service = services.contact_create
    update_service = services.contact_update
    delete_service = services.contact_delete
