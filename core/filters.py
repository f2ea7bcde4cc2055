"""The FilterSet base every app shares, and the FilterSets of core's own models."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from core.models import TaskRun


class SearchFilterSet(django_filters.FilterSet):
    """Adds ``search``: case-insensitive ``icontains`` over ``search_fields``.

    One FilterSet per model serves the list page and the API, so the page's
    search box and the API's ``?search=`` are the same code.
    """

    search = django_filters.CharFilter(method="filter_search", label="Search")
    search_fields: tuple[str, ...] = ()

    def filter_search(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)


class TaskRunFilterSet(django_filters.FilterSet):
    """Job runs by kind, status and free-text search over kind and message."""

    search = django_filters.CharFilter(method="filter_search", label="Search")
    status = django_filters.MultipleChoiceFilter(choices=TaskRun.Status.choices)

    class Meta:
        model = TaskRun
        fields = ["kind", "status", "requested_by"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(kind__icontains=value) | Q(message__icontains=value))
