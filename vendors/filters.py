"""One FilterSet per model, shared by the list pages and the API (``?search=`` included).

Choices of related rows (vendor, parent) are limited to what the requesting
user may see, so a filter never reveals another vendor.
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone

from core.filters import SearchFilterSet
from core.permissions import restrict
from vendors import choices
from vendors.models import Certification, Contact, Vendor
from vendors.selectors import expiry_filter

DATE = {"widget": django_filters.widgets.DateRangeWidget(attrs={"type": "date"})}


def _visible_vendors(request):
    """Vendors the requesting user may see (ModelChoiceFilter queryset callable)."""
    return restrict(Vendor.objects.all(), user=getattr(request, "user", None))


class VendorFilterSet(SearchFilterSet):
    """Vendors by tier, service type, status, country, parent; ``mine`` = owned by me."""

    search_fields = ("name", "legal_name", "country", "services_description", "tier_reason")
    tier = django_filters.MultipleChoiceFilter(choices=choices.Tier.choices)
    service_type = django_filters.MultipleChoiceFilter(choices=choices.ServiceType.choices)
    status = django_filters.MultipleChoiceFilter(choices=choices.VendorStatus.choices)
    country = django_filters.CharFilter(lookup_expr="iexact", label="Country")
    parent = django_filters.ModelChoiceFilter(queryset=_visible_vendors, label="Parent vendor")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Owned by me")

    class Meta:
        model = Vendor
        fields = ["tier", "service_type", "status", "country", "parent"]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if user is None:
            return queryset
        owned = Q(relationship_owner=user)
        return queryset.filter(owned) if value else queryset.exclude(owned)


class CertificationFilterSet(SearchFilterSet):
    """Certifications by kind, vendor, ``expiry`` state (today) and expiry date range."""

    search_fields = ("name", "scope", "vendor__name")
    kind = django_filters.MultipleChoiceFilter(choices=choices.CertificationKind.choices)
    vendor = django_filters.ModelChoiceFilter(queryset=_visible_vendors)
    expiry = django_filters.MultipleChoiceFilter(
        choices=choices.ExpiryState.choices,
        method="filter_expiry",
        label="Expiry",
        help_text="Expired; expiring within 60 days; valid for longer; no expiry date.",
    )
    expires_on = django_filters.DateFromToRangeFilter(**DATE)

    class Meta:
        model = Certification
        fields = ["kind", "vendor", "cmmi_level"]

    def filter_expiry(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        query = Q()
        for state in value:
            query |= expiry_filter(state, today=today)
        return queryset.filter(query)


class ContactFilterSet(SearchFilterSet):
    """The communication matrix by vendor, side and level."""

    search_fields = ("name", "role", "email", "phone", "vendor__name")
    vendor = django_filters.ModelChoiceFilter(queryset=_visible_vendors)
    side = django_filters.ChoiceFilter(choices=choices.ContactSide.choices)
    level = django_filters.MultipleChoiceFilter(choices=choices.ContactLevel.choices)

    class Meta:
        model = Contact
        fields = ["vendor", "side", "level"]
