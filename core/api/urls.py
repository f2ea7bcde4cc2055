"""Routes of core's API under /api/v1/."""

from core.api.views import TaskRunViewSet


def register(router) -> None:
    router.register("task-runs", TaskRunViewSet, basename="taskrun")
