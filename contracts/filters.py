"""One FilterSet per model, shared by the list pages and the API (``?search=`` included).

Choices of related rows (vendor, contract, plan) are limited to what the
requesting user may see, so a filter never reveals another vendor's rows.
"""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone

from contracts import choices
from contracts.models import (
    ChangeRequest,
    Contract,
    ExitPlan,
    ExitStep,
    Obligation,
    SpendRecord,
)
from core.filters import SearchFilterSet
from core.permissions import restrict

NOTICE_WITHIN_MAX_DAYS = 36_500  # a century ahead: more than any notice deadline
DATE = {"widget": django_filters.widgets.DateRangeWidget(attrs={"type": "date"})}


def _visible(model_path: str, *related: str):
    """A queryset callable for ModelChoiceFilter: rows of that model the user may see.

    ``related`` are loaded with the rows, for choice labels that follow a relation.
    """

    def _queryset(request):
        from django.apps import apps

        model = apps.get_model(model_path)
        user = getattr(request, "user", None)
        return restrict(model._default_manager.select_related(*related), user=user)

    return _queryset


class ContractFilterSet(SearchFilterSet):
    """Contracts by vendor, type, status, renewal, dates; ``notice_within`` = days ahead."""

    search_fields = ("reference", "title", "vendor__name", "scope_in", "scope_out")
    vendor = django_filters.ModelChoiceFilter(queryset=_visible("vendors.Vendor"))
    parent = django_filters.ModelChoiceFilter(queryset=_visible("contracts.Contract"))
    contract_type = django_filters.MultipleChoiceFilter(choices=choices.ContractType.choices)
    status = django_filters.MultipleChoiceFilter(choices=choices.ContractStatus.choices)
    renewal = django_filters.MultipleChoiceFilter(choices=choices.Renewal.choices)
    end_date = django_filters.DateFromToRangeFilter(**DATE)
    notice_deadline = django_filters.DateFromToRangeFilter(**DATE)
    notice_within = django_filters.NumberFilter(
        method="filter_notice_within",
        min_value=0,
        # A cap keeps today + N days a date: larger N overflowed into a 500.
        max_value=NOTICE_WITHIN_MAX_DAYS,
        label="Notice deadline within (days)",
    )

    class Meta:
        model = Contract
        fields = ["vendor", "contract_type", "status", "renewal", "currency", "parent"]

    def filter_notice_within(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(
            notice_deadline__gte=today, notice_deadline__lte=today + timedelta(days=int(value))
        )


class ObligationFilterSet(SearchFilterSet):
    """Obligations by contract, party, status, recurrence, due date; ``overdue``."""

    search_fields = ("title", "description", "contract__reference", "contract__vendor__name")
    contract = django_filters.ModelChoiceFilter(queryset=_visible("contracts.Contract"))
    party = django_filters.ChoiceFilter(choices=choices.Party.choices)
    status = django_filters.MultipleChoiceFilter(choices=choices.ObligationStatus.choices)
    recurrence = django_filters.ChoiceFilter(choices=choices.Recurrence.choices)
    due_date = django_filters.DateFromToRangeFilter(**DATE)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Owned by me")

    class Meta:
        model = Obligation
        fields = ["contract", "party", "status", "recurrence"]

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return queryset.none() if value else queryset
        return queryset.filter(owner=user) if value else queryset.exclude(owner=user)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(
            due_date__lt=timezone.localdate(),
            status__in=(choices.ObligationStatus.OPEN, choices.ObligationStatus.IN_PROGRESS),
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class ChangeRequestFilterSet(SearchFilterSet):
    """Change requests by contract, impact and workflow status."""

    search_fields = ("reference", "title", "description", "requested_by", "contract__reference")
    contract = django_filters.ModelChoiceFilter(queryset=_visible("contracts.Contract"))
    impact = django_filters.MultipleChoiceFilter(choices=choices.ChangeImpact.choices)
    status = django_filters.MultipleChoiceFilter(choices=choices.ChangeRequestStatus.choices)

    class Meta:
        model = ChangeRequest
        fields = ["contract", "impact", "status"]


class ExitPlanFilterSet(SearchFilterSet):
    """Exit plans by contract or vendor."""

    search_fields = ("summary", "ip_transfer", "data_return", "contract__reference")
    contract = django_filters.ModelChoiceFilter(queryset=_visible("contracts.Contract"))
    vendor = django_filters.ModelChoiceFilter(
        field_name="contract__vendor", queryset=_visible("vendors.Vendor")
    )
    last_tested_on = django_filters.DateFromToRangeFilter(**DATE)

    class Meta:
        model = ExitPlan
        fields = ["contract", "vendor"]


class ExitStepFilterSet(SearchFilterSet):
    """Exit steps by plan and status."""

    search_fields = ("title", "owner", "plan__contract__reference")
    plan = django_filters.ModelChoiceFilter(queryset=_visible("contracts.ExitPlan", "contract"))
    status = django_filters.MultipleChoiceFilter(choices=choices.ExitStepStatus.choices)
    due_date = django_filters.DateFromToRangeFilter(**DATE)

    class Meta:
        model = ExitStep
        fields = ["plan", "status"]


class SpendRecordFilterSet(SearchFilterSet):
    """Spend by contract, vendor and month range."""

    search_fields = ("invoice_reference", "note", "contract__reference")
    contract = django_filters.ModelChoiceFilter(queryset=_visible("contracts.Contract"))
    vendor = django_filters.ModelChoiceFilter(
        field_name="contract__vendor", queryset=_visible("vendors.Vendor")
    )
    month = django_filters.DateFromToRangeFilter(**DATE)

    class Meta:
        model = SpendRecord
        fields = ["contract", "vendor"]
