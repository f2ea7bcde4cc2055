"""API viewsets of core's own resources."""

from __future__ import annotations

from rest_framework import viewsets

from core.api.serializers import TaskRunSerializer
from core.filters import TaskRunFilterSet
from core.models import TaskRun
from core.selectors import task_run_list


class TaskRunViewSet(viewsets.ReadOnlyModelViewSet):
    """Long jobs (imports, evaluations, reports): poll one to follow its progress.

    Read-only: runs are created by the endpoints that queue work and updated
    by the workers. Requesters see their own runs; admins, the governance
    office, executives and auditors see all of them.
    """

    queryset = TaskRun.objects.none()  # for the schema; get_queryset scopes per user
    serializer_class = TaskRunSerializer
    filterset_class = TaskRunFilterSet
    search_fields: list[str] = []  # ?search= is the FilterSet's, like the pages
    ordering_fields = ["id", "created_at", "status", "kind"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return task_run_list(user=self.request.user)
