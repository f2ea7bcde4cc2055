"""One FilterSet per model, shared by the list pages and the API (``?search=`` included).

Vendor, contract and assessment choices are limited to what the requesting
user may see. ``inherent_rating`` / ``residual_rating`` filter on the SQL
face of the one rating rule (``risks.rules.rating_sql``), so a heat-map cell,
the register and the API agree.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from contracts.models import Contract
from core import permissions
from core.filters import SearchFilterSet
from core.permissions import restrict
from risks import choices, rules
from risks.models import Assessment, ContinuityPlan, Finding, Risk, RiskReview
from vendors.models import Vendor

DATE = {"widget": django_filters.widgets.DateRangeWidget(attrs={"type": "date"})}
SCALE = [(n, str(n)) for n in rules.SCALE]
REVIEW_STATES = [("overdue", "Overdue"), ("due", "Due (within 14 days)"), ("scheduled", "Later")]


def _visible_vendors(request):
    return restrict(Vendor.objects.all(), user=getattr(request, "user", None))


def _visible_contracts(request):
    return restrict(Contract.objects.all(), user=getattr(request, "user", None))


def _visible_assessments(request):
    user = getattr(request, "user", None)
    return restrict(Assessment.objects.select_related("vendor"), user=user)


def _staff(request):
    """Owners to filter by: the office's people; none offered to a vendor representative."""
    users = get_user_model().objects.filter(is_active=True, vendor__isnull=True)
    return users if permissions.sees_internal(getattr(request, "user", None)) else users.none()


class RiskFilterSet(SearchFilterSet):
    """The register by vendor, contract, category, status, treatment, owner, factors,
    rating bands (inherent and residual), ``open`` (not closed) and ``review`` state."""

    search_fields = ("title", "description", "controls", "vendor__name", "contract__reference")
    vendor = django_filters.ModelChoiceFilter(queryset=_visible_vendors)
    contract = django_filters.ModelChoiceFilter(queryset=_visible_contracts)
    category = django_filters.MultipleChoiceFilter(choices=choices.Category.choices)
    status = django_filters.MultipleChoiceFilter(choices=choices.RiskStatus.choices)
    treatment = django_filters.MultipleChoiceFilter(choices=choices.Treatment.choices)
    owner = django_filters.ModelChoiceFilter(queryset=_staff)
    open = django_filters.BooleanFilter(method="filter_open", label="Open (not closed)")
    inherent_rating = django_filters.MultipleChoiceFilter(
        choices=choices.Rating.choices, method="filter_rating", label="Inherent rating"
    )
    residual_rating = django_filters.MultipleChoiceFilter(
        choices=choices.Rating.choices, method="filter_rating", label="Residual rating"
    )
    likelihood = django_filters.TypedChoiceFilter(choices=SCALE, coerce=int)
    impact = django_filters.TypedChoiceFilter(choices=SCALE, coerce=int)
    residual_likelihood = django_filters.TypedChoiceFilter(choices=SCALE, coerce=int)
    residual_impact = django_filters.TypedChoiceFilter(choices=SCALE, coerce=int)
    review = django_filters.MultipleChoiceFilter(
        choices=REVIEW_STATES, method="filter_review", label="Review"
    )
    next_review = django_filters.DateFromToRangeFilter(**DATE)

    class Meta:
        model = Risk
        fields = ["vendor", "contract", "category", "status", "treatment", "owner"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        query = Q(status__in=choices.OPEN_STATUSES)
        return queryset.filter(query) if value else queryset.exclude(query)

    def filter_rating(self, queryset, name, value):
        if not value:
            return queryset
        residual = name == "residual_rating"
        return queryset.alias(
            **{f"_{name}": rules.rating_sql(rules.score_sql(residual=residual))}
        ).filter(**{f"_{name}__in": value})

    def filter_review(self, queryset, name, value):
        if not value:
            return queryset
        today = timezone.localdate()
        horizon = rules.due_horizon(today)
        conditions = {
            "overdue": Q(next_review__lt=today),
            "due": Q(next_review__gte=today, next_review__lte=horizon),
            "scheduled": Q(next_review__gt=horizon),
        }
        query = Q()
        for state in value:
            query |= conditions[state]
        return queryset.filter(query, status__in=choices.OPEN_STATUSES)


class AssessmentFilterSet(SearchFilterSet):
    """Assessments by vendor, kind and date."""

    search_fields = ("summary", "assessor", "vendor__name")
    vendor = django_filters.ModelChoiceFilter(queryset=_visible_vendors)
    kind = django_filters.MultipleChoiceFilter(choices=choices.AssessmentKind.choices)
    date = django_filters.DateFromToRangeFilter(**DATE)

    class Meta:
        model = Assessment
        fields = ["vendor", "kind"]


class FindingFilterSet(SearchFilterSet):
    """Findings by vendor, assessment, severity, status, owner, ``open`` and ``overdue``."""

    search_fields = ("title", "description", "assessment__vendor__name")
    vendor = django_filters.ModelChoiceFilter(
        queryset=_visible_vendors, field_name="assessment__vendor", label="Vendor"
    )
    assessment = django_filters.ModelChoiceFilter(queryset=_visible_assessments)
    severity = django_filters.MultipleChoiceFilter(choices=choices.Severity.choices)
    status = django_filters.MultipleChoiceFilter(choices=choices.FindingStatus.choices)
    owner = django_filters.ModelChoiceFilter(queryset=_staff)
    open = django_filters.BooleanFilter(method="filter_open", label="Open")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue")
    due_date = django_filters.DateFromToRangeFilter(**DATE)

    class Meta:
        model = Finding
        fields = ["assessment", "severity", "status", "owner"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        query = Q(status__in=choices.OPEN_FINDING_STATUSES)
        return queryset.filter(query) if value else queryset.exclude(query)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        query = Q(status__in=choices.OPEN_FINDING_STATUSES, due_date__lt=timezone.localdate())
        return queryset.filter(query) if value else queryset.exclude(query)


class ContinuityPlanFilterSet(SearchFilterSet):
    """Continuity plans by vendor, vendor tier, last test result and date."""

    search_fields = ("title", "contingency_steps", "vendor__name")
    vendor = django_filters.ModelChoiceFilter(queryset=_visible_vendors)
    tier = django_filters.NumberFilter(field_name="vendor__tier", label="Vendor tier")
    last_test_result = django_filters.MultipleChoiceFilter(choices=choices.TestResult.choices)
    last_test_date = django_filters.DateFromToRangeFilter(**DATE)

    class Meta:
        model = ContinuityPlan
        fields = ["vendor", "last_test_result"]


class RiskReviewFilterSet(django_filters.FilterSet):
    """Rows of risk histories by risk, vendor, kind and date."""

    risk = django_filters.NumberFilter(field_name="risk_id")
    vendor = django_filters.NumberFilter(field_name="risk__vendor_id")
    kind = django_filters.MultipleChoiceFilter(choices=choices.ReviewKind.choices)
    reviewed_on = django_filters.DateFromToRangeFilter(**DATE)

    class Meta:
        model = RiskReview
        fields = ["kind"]
