"""One FilterSet per model of the slas app, shared by the list pages and the API.

Related-object choices (contracts, vendors, SLAs) are narrowed to what the
request's user may see, so a filter drop-down never reveals another vendor.
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q

from contracts.models import Contract
from core import permissions
from slas import choices
from slas.forms import SLAChoiceField, sla_choices
from slas.models import SLA, Breach, Measurement, Result
from vendors.models import Vendor


class SLAChoiceFilter(django_filters.ModelChoiceFilter):
    """An SLA filter whose options read "contract reference — SLA name" (``slas.forms``)."""

    field_class = SLAChoiceField


def _scoped_slas(request):
    if request is None:
        return SLA.objects.none()
    return sla_choices(permissions.restrict(SLA.objects.all(), user=request.user))


def _scoped(model):
    """A queryset callable for ModelChoiceFilter: the rows the request's user may see."""

    def queryset(request):
        if request is None:
            return model.objects.none()
        return permissions.restrict(model.objects.all(), user=request.user)

    return queryset


class _YearFilter(django_filters.NumberFilter):
    """A whole year 1000–9999: fractions and far years are field errors, not lookup crashes."""

    field_class = forms.IntegerField


class _MonthFilter(django_filters.CharFilter):
    """``YYYY-MM``: rows whose date field falls in that calendar month.

    Anything else is a field error (400 in the API): years outside 1000–9999
    reached the ``__year`` lookup and failed there (a 500, or year 0 a vague 400).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "validators",
            [RegexValidator(r"^[1-9]\d{3}-(0?[1-9]|1[0-2])$", "Enter a month as YYYY-MM.")],
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        year, month = (int(p) for p in value.split("-"))
        return qs.filter(**{f"{self.field_name}__year": year, f"{self.field_name}__month": month})


class SLAFilterSet(django_filters.FilterSet):
    """SLAs by contract, vendor, kind, category, period, last status and trend."""

    search = django_filters.CharFilter(method="filter_search", label="Search")
    contract = django_filters.ModelChoiceFilter(queryset=_scoped(Contract))
    vendor = django_filters.ModelChoiceFilter(
        field_name="contract__vendor", queryset=_scoped(Vendor), label="Vendor"
    )
    kind = django_filters.ChoiceFilter(choices=choices.Kind.choices)
    category = django_filters.ChoiceFilter(choices=choices.Category.choices)
    focus = django_filters.ChoiceFilter(choices=choices.Focus.choices)
    period = django_filters.ChoiceFilter(choices=choices.Period.choices)
    status = django_filters.ChoiceFilter(
        field_name="last_status",
        choices=choices.ResultStatus.choices,
        label="Status of last result",
        method="filter_status",
    )
    trending = django_filters.BooleanFilter(method="filter_trending", label="Trending to breach")

    class Meta:
        model = SLA
        fields = ["search", "contract", "vendor", "kind", "category", "focus", "period"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value)
            | Q(description__icontains=value)
            | Q(contract__reference__icontains=value)
            | Q(contract__vendor__name__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        # ``last_status`` is annotated by ``slas.selectors.sla_list``, where every
        # SLA queryset of the pages and the API starts.
        return queryset.filter(last_status=value)

    def filter_trending(self, queryset, name, value):
        # The portfolio's trending SLAs, fitted once per evaluation (the dashboard's
        # reader, so its count and this list agree); the queryset keeps the scope.
        from slas.selectors import ids_array, trending_to_breach

        ids = ids_array(trending_to_breach())
        return queryset.filter(pk__in=ids) if value else queryset.exclude(pk__in=ids)


class MeasurementFilterSet(django_filters.FilterSet):
    """Measurements by SLA, contract, vendor, source and date range."""

    search = django_filters.CharFilter(method="filter_search", label="Search")
    sla = SLAChoiceFilter(queryset=_scoped_slas, label="SLA")
    contract = django_filters.ModelChoiceFilter(
        field_name="sla__contract", queryset=_scoped(Contract), label="Contract"
    )
    vendor = django_filters.ModelChoiceFilter(
        field_name="sla__contract__vendor", queryset=_scoped(Vendor), label="Vendor"
    )
    source = django_filters.ChoiceFilter(choices=choices.Source.choices)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="From")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="To")

    class Meta:
        model = Measurement
        fields = ["search", "sla", "contract", "vendor", "source", "date_from", "date_to"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(sla__name__icontains=value)
            | Q(note__icontains=value)
            | Q(sla__contract__reference__icontains=value)
            | Q(sla__contract__vendor__name__icontains=value)
        )


class ResultFilterSet(django_filters.FilterSet):
    """Results by SLA, contract, vendor, status and period."""

    search = django_filters.CharFilter(method="filter_search", label="Search")
    sla = SLAChoiceFilter(queryset=_scoped_slas, label="SLA")
    contract = django_filters.ModelChoiceFilter(
        field_name="sla__contract", queryset=_scoped(Contract), label="Contract"
    )
    vendor = django_filters.ModelChoiceFilter(
        field_name="sla__contract__vendor", queryset=_scoped(Vendor), label="Vendor"
    )
    status = django_filters.MultipleChoiceFilter(choices=choices.ResultStatus.choices)
    period_start_from = django_filters.DateFilter(field_name="period_start", lookup_expr="gte")
    period_start_to = django_filters.DateFilter(field_name="period_start", lookup_expr="lte")

    class Meta:
        model = Result
        fields = ["search", "sla", "contract", "vendor", "status"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(sla__name__icontains=value)
            | Q(sla__contract__reference__icontains=value)
            | Q(sla__contract__vendor__name__icontains=value)
        )


class BreachFilterSet(django_filters.FilterSet):
    """Breaches by status, severity, vendor, contract, SLA, credit month and earn-back."""

    search = django_filters.CharFilter(method="filter_search", label="Search")
    status = django_filters.MultipleChoiceFilter(choices=choices.BreachStatus.choices)
    severity = django_filters.ChoiceFilter(choices=choices.Severity.choices)
    vendor = django_filters.ModelChoiceFilter(
        field_name="sla__contract__vendor", queryset=_scoped(Vendor), label="Vendor"
    )
    contract = django_filters.ModelChoiceFilter(
        field_name="sla__contract", queryset=_scoped(Contract), label="Contract"
    )
    sla = SLAChoiceFilter(queryset=_scoped_slas, label="SLA")
    month = _MonthFilter(field_name="credit_month", label="Credit month (YYYY-MM)")
    earn_back = django_filters.ChoiceFilter(choices=choices.EarnBack.choices)

    class Meta:
        model = Breach
        fields = ["search", "status", "severity", "vendor", "contract", "sla", "month", "earn_back"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(sla__name__icontains=value)
            | Q(root_cause__icontains=value)
            | Q(corrective_action__icontains=value)
            | Q(sla__contract__reference__icontains=value)
            | Q(sla__contract__vendor__name__icontains=value)
        )


class _MonthBoundFilter(django_filters.CharFilter):
    """A month bound, ``YYYY-MM`` or any ``YYYY-MM-DD`` of that month, inclusive.

    ``lookup_expr`` ``gte`` (from that month on) or ``lte`` (up to that month).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "validators",
            [
                RegexValidator(
                    r"^[1-9]\d{3}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$",
                    "Enter a month as YYYY-MM (or a date YYYY-MM-DD).",
                )
            ],
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        year, month = (int(p) for p in value.split("-")[:2])
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": dt.date(year, month, 1)})


class CreditFilterSet(django_filters.FilterSet):
    """Filters of the credit statements, page and API: vendor, contract, month range.

    The rows are aggregates over breaches (``slas.credits.statement_rows``):
    these filters choose the breaches, by the contract and month they are
    credited to. ``month_after`` / ``month_before`` are inclusive.
    """

    vendor = django_filters.ModelChoiceFilter(
        field_name="sla__contract__vendor", queryset=_scoped(Vendor), label="Vendor"
    )
    contract = django_filters.ModelChoiceFilter(
        field_name="sla__contract", queryset=_scoped(Contract), label="Contract"
    )
    month_after = _MonthBoundFilter(
        field_name="credit_month", lookup_expr="gte", label="From month (YYYY-MM)"
    )
    month_before = _MonthBoundFilter(
        field_name="credit_month", lookup_expr="lte", label="To month (YYYY-MM)"
    )
    month = _MonthFilter(field_name="credit_month", label="Month (YYYY-MM)")
    year = _YearFilter(
        field_name="credit_month", lookup_expr="year", label="Year", min_value=1000, max_value=9999
    )

    class Meta:
        model = Breach
        fields = ["vendor", "contract", "month_after", "month_before", "month", "year"]
