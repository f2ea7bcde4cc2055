"""One FilterSet per model of the improvement programme, for the pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from core.permissions import restrict
from improvement import choices
from improvement.models import (
    Goal,
    HealthSurvey,
    Idea,
    IssueListPublication,
    KeyIssue,
    SituationAssessment,
)
from vendors.models import Vendor


def _visible_vendors(request):
    return restrict(Vendor.objects.all(), user=getattr(request, "user", None))


class SearchFilterSet(django_filters.FilterSet):
    """Adds ``search``: case-insensitive ``icontains`` over ``search_fields``."""

    search = django_filters.CharFilter(method="filter_search", label="Search")
    search_fields: tuple[str, ...] = ()

    def filter_search(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)


class VendorFilterSet(SearchFilterSet):
    vendor = django_filters.ModelMultipleChoiceFilter(queryset=_visible_vendors)


class SituationAssessmentFilterSet(VendorFilterSet):
    search_fields = ("title", "summary", "vendor__name")

    class Meta:
        model = SituationAssessment
        fields = ["vendor"]


class KeyIssueFilterSet(SearchFilterSet):
    search_fields = ("description",)

    class Meta:
        model = KeyIssue
        fields = ["assessment"]


AGREEMENT_QUERIES = {
    choices.Agreement.DRAFT: Q(client_agreed_at__isnull=True, vendor_agreed_at__isnull=True),
    choices.Agreement.AWAITING_VENDOR: Q(
        client_agreed_at__isnull=False, vendor_agreed_at__isnull=True
    ),
    choices.Agreement.AWAITING_CLIENT: Q(
        client_agreed_at__isnull=True, vendor_agreed_at__isnull=False
    ),
    choices.Agreement.AGREED: Q(client_agreed_at__isnull=False, vendor_agreed_at__isnull=False),
}


class GoalFilterSet(VendorFilterSet):
    """Goals by vendor, kind, agreement state (``agreement=awaiting_vendor``), target date."""

    search_fields = ("title", "description", "vendor__name")
    kind = django_filters.MultipleChoiceFilter(choices=choices.GoalKind.choices)
    agreement = django_filters.MultipleChoiceFilter(
        choices=choices.Agreement.choices, method="filter_agreement"
    )
    target_date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Goal
        fields = ["vendor", "contract", "kind"]

    def filter_agreement(self, queryset, name, value):
        query = Q()
        for state in value:
            query |= AGREEMENT_QUERIES[state]
        return queryset.filter(query)


class IssueListPublicationFilterSet(VendorFilterSet):
    search_fields = ("note", "vendor__name")
    published = django_filters.BooleanFilter(
        field_name="published_at", lookup_expr="isnull", exclude=True, label="Published"
    )

    class Meta:
        model = IssueListPublication
        fields = ["vendor", "version"]


class HealthSurveyFilterSet(VendorFilterSet):
    search_fields = ("comment", "vendor__name")
    side = django_filters.MultipleChoiceFilter(choices=choices.Side.choices)
    quarter = django_filters.CharFilter()

    class Meta:
        model = HealthSurvey
        fields = ["vendor", "quarter", "side"]


class IdeaFilterSet(VendorFilterSet):
    search_fields = ("title", "description", "benefit_note", "vendor__name")
    status = django_filters.MultipleChoiceFilter(choices=choices.IdeaStatus.choices)
    proposed_by = django_filters.MultipleChoiceFilter(choices=choices.Side.choices)

    class Meta:
        model = Idea
        fields = ["vendor", "status", "proposed_by"]
