"""Pages of the shell itself: the dashboard, a health check and job progress."""

import json

from django.db import connection
from django.http import JsonResponse
from django.views.generic import DetailView, ListView, TemplateView

from core.dashboard import dashboard_panels
from core.models import TaskRun
from core.selectors import task_run_list


class DashboardView(TemplateView):
    """Landing page: what needs the governance office's attention today."""

    template_name = "core/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["panels"] = dashboard_panels(user=self.request.user)
        return ctx


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# --- Job runs -----------------------------------------------------------------------
# Badge tone per status, using the badge colours app.css already has.
TASK_RUN_TONES = {"queued": "pending", "running": "pending", "done": "ok", "failed": "bad"}


class TaskRunListView(ListView):
    """Recent job runs the user may watch, newest first."""

    template_name = "core/taskrun_list.html"
    context_object_name = "runs"
    paginate_by = 25

    def get_queryset(self):
        return task_run_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = "Jobs"
        for run in ctx["runs"]:
            run.kind_label = _kind_label(run.kind)
        return ctx


class TaskRunDetailView(DetailView):
    """One job's progress. Refreshes itself every 2 s until the job has finished.

    Visible to whoever requested the job and to writers, executives and
    auditors; for anyone else the run does not exist (404).
    """

    template_name = "core/taskrun_detail.html"
    context_object_name = "run"
    refresh_seconds = 2

    def get_queryset(self):
        return task_run_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        run = self.object
        ctx["kind_label"] = _kind_label(run.kind)
        ctx["title"] = f"{ctx['kind_label']} #{run.pk}"
        ctx["active"] = run.status in (TaskRun.Status.QUEUED, TaskRun.Status.RUNNING)
        ctx["refresh_seconds"] = self.refresh_seconds
        ctx["tone"] = TASK_RUN_TONES.get(run.status, "")
        ctx["result_rows"] = _result_rows(run.result)
        return ctx


def _kind_label(kind: str) -> str:
    """``measurement_import`` -> ``Measurement import``."""
    return kind.replace("_", " ").capitalize()


def _result_rows(result) -> list[tuple[str, str]]:
    """A job's result summary as (label, text) rows; nested values shown as compact JSON."""
    if not isinstance(result, dict):
        return [("Result", json.dumps(result))] if result not in (None, "") else []
    rows = []
    for key, value in result.items():
        label = str(key).replace("_", " ").capitalize()
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        rows.append((label, text))
    return rows
