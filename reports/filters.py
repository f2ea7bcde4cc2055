"""One FilterSet per model, shared by the reports list page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from core.permissions import restrict
from reports import choices
from reports.models import QBRReport, VendorReportSetting
from vendors.models import Vendor


def _visible_vendors(request):
    return restrict(Vendor.objects.all(), user=getattr(request, "user", None))


class QBRReportFilterSet(django_filters.FilterSet):
    """Reports by vendor, quarter, edition, status, portfolio pack; ``search`` on vendor name."""

    search = django_filters.CharFilter(method="filter_search", label="Search")
    vendor = django_filters.ModelChoiceFilter(queryset=_visible_vendors)
    quarter = django_filters.CharFilter(lookup_expr="exact", label="Quarter (e.g. 2026Q3)")
    edition = django_filters.MultipleChoiceFilter(choices=choices.Edition.choices)
    status = django_filters.MultipleChoiceFilter(choices=choices.ReportStatus.choices)
    portfolio = django_filters.BooleanFilter()
    scheduled = django_filters.BooleanFilter()

    class Meta:
        model = QBRReport
        fields = ["vendor", "quarter", "edition", "status", "portfolio", "scheduled"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(vendor__name__icontains=value) | Q(quarter__icontains=value))


class VendorReportSettingFilterSet(django_filters.FilterSet):
    vendor = django_filters.ModelChoiceFilter(queryset=_visible_vendors)
    vendor_access = django_filters.MultipleChoiceFilter(choices=choices.VendorAccess.choices)

    class Meta:
        model = VendorReportSetting
        fields = ["vendor", "vendor_access"]
