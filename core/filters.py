"""FilterSets of core's own models (used by the API; the jobs page lists the newest)."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from core.models import TaskRun


class TaskRunFilterSet(django_filters.FilterSet):
    """Job runs by kind, status and free-text search over kind and message."""

    search = django_filters.CharFilter(method="filter_search", label="Search")
    status = django_filters.MultipleChoiceFilter(choices=TaskRun.Status.choices)

    class Meta:
        model = TaskRun
        fields = ["kind", "status", "requested_by"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(kind__icontains=value) | Q(message__icontains=value))
