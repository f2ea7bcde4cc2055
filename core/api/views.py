"""API viewsets of core's own resources, and the JSON answer to an unknown API URL."""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
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


def api_not_found(request, path: str = ""):
    """``/api/<anything unknown>``: a JSON 404 like every other API error, not the HTML page.

    A path that exists with a trailing slash is redirected there for ``GET``
    (as Django's ``APPEND_SLASH`` would) and named in the 404 otherwise, since a
    client must not have its ``POST`` silently turned into a ``GET``.
    """
    detail = "No such API endpoint. The schema lists them all: /api/schema/."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            if request.method in ("GET", "HEAD"):
                query = request.META.get("QUERY_STRING", "")
                return HttpResponsePermanentRedirect(
                    request.path + "/" + (f"?{query}" if query else "")
                )
            detail = f"Not found. Did you mean {request.path}/ (with the trailing slash)?"
    return JsonResponse({"detail": detail}, status=404)
