"""Pages of the shell itself: the dashboard, a health check and job progress."""

import json

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.views.generic import DetailView, ListView, TemplateView

from core import permissions
from core.dashboard import dashboard_panels
from core.models import TaskRun
from core.selectors import task_run_list


class SearchView(TemplateView):
    """The global search's results (``/search/?q=``), grouped by kind (``core.search``)."""

    template_name = "core/search.html"

    def get_context_data(self, **kwargs):
        from core import search

        ctx = super().get_context_data(**kwargs)
        query = search.clean_query(self.request.GET.get("q"))
        ctx.update(
            title=f"Search: {query}" if query else "Search",
            search_query=query,
            groups=search.search(user=self.request.user, query=query),
            too_short=0 < len(query) < search.MIN_LENGTH,
            min_length=search.MIN_LENGTH,
        )
        return ctx


class DashboardView(TemplateView):
    """Landing page: what needs the governance office's attention today."""

    template_name = "core/dashboard.html"

    def get(self, request, *args, **kwargs):
        # Executives land on the portfolio (reports/).
        if permissions.lands_on_portfolio(request.user):
            return redirect("reports:executive_home")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["panels"] = dashboard_panels(user=self.request.user)
        return ctx


def healthz(request):
    """Health check (``/health/``, ``/healthz``): the database's and the broker's state, as JSON.

    200 ``{"status": "ok"}`` when both answer; 200 ``"degraded"`` when only the
    broker is down (pages and writes still work; queued jobs wait for it, see
    ``core.dispatch``); 503 ``"unavailable"`` when the database is down.
    """
    from core.dispatch import broker_status
    from core.middleware import is_database_outage

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = {"ok": True}
    except Exception as exc:
        if not is_database_outage(exc):
            raise
        database = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:500]}
    broker = broker_status()
    status = "ok" if database["ok"] and broker["ok"] else "degraded"
    if not database["ok"]:
        status = "unavailable"
    body = {"status": status, "database": database, "broker": broker}
    return JsonResponse(body, status=503 if status == "unavailable" else 200)


# --- Job runs -----------------------------------------------------------------------
# Badge tone per status, using the badge colours app.css already has.
TASK_RUN_TONES = {
    "queued": "pending",
    "waiting": "warn",
    "running": "pending",
    "done": "ok",
    "failed": "bad",
}


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
        ctx["active"] = run.status in (
            TaskRun.Status.QUEUED,
            TaskRun.Status.WAITING,
            TaskRun.Status.RUNNING,
        )
        ctx["refresh_seconds"] = self.refresh_seconds
        ctx["tone"] = TASK_RUN_TONES.get(run.status, "")
        ctx["result_rows"] = _result_rows(run.result)
        ctx["result_links"] = _result_links(run)
        return ctx


def _kind_label(kind: str) -> str:
    """``measurement_import`` -> ``Measurement import``."""
    return kind.replace("_", " ").capitalize()


# Where a finished job's output can be seen, for jobs whose result does not list it.
RESULT_LISTS = {
    "measurement_import": [
        ("Breaches (newest first)", "slas:breach_list", "?sort=-period_start"),
        ("Service credits", "slas:credit_list", ""),
        ("Measurements", "slas:measurement_list", "?source=import"),
    ],
}


def _result_links(run) -> list[tuple[str, str]]:
    """(label, url) of what a finished job produced: its own ``links``, or its kind's lists."""
    if run.status != TaskRun.Status.DONE:
        return []
    result = run.result if isinstance(run.result, dict) else {}
    links = [(label, url) for label, url in result.get("links", [])]
    for label, url_name, query in RESULT_LISTS.get(run.kind, []):
        try:
            links.append((label, reverse(url_name) + query))
        except NoReverseMatch:
            continue
    return links


def _result_rows(result) -> list[tuple[str, str]]:
    """A job's result summary as (label, text) rows; nested values shown as compact JSON."""
    if not isinstance(result, dict):
        return [("Result", json.dumps(result))] if result not in (None, "") else []
    rows = []
    for key, value in result.items():
        if key == "links":
            continue  # shown as links (``_result_links``)
        label = str(key).replace("_", " ").capitalize()
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        rows.append((label, text))
    return rows
