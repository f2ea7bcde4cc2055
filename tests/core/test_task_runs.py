"""Job runs: the progress service, the status page, the read-only API, dispatch and outages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, transaction
from django.http import HttpResponse
from django.utils import timezone

from core import roles
from core.dispatch import dispatch_after_commit
from core.middleware import DatabaseUnavailableMiddleware
from core.models import TaskRun
from core.services import task_run_create, task_run_update
from core.tasks import fail_stale_task_runs_task
from tests.factories import VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(gov_user):
    return task_run_create(kind="measurement_import", requested_by=gov_user, total=200)


# --- task_run_update -------------------------------------------------------------------


def test_a_run_goes_from_queued_to_done(run):
    assert (run.status, run.percent, run.started_at, run.finished_at) == ("queued", 0, None, None)

    running = task_run_update(run_id=run.pk, status="running", message="Reading rows")
    assert running.status == "running" and running.started_at is not None
    assert running.finished_at is None

    half = task_run_update(run_id=run.pk, done=50)
    assert (half.progress_done, half.progress_total, half.percent) == (50, 200, 25)
    assert half.message == "Reading rows"  # untouched when not given
    assert half.started_at == running.started_at

    done = task_run_update(
        run_id=run.pk, status="done", done=200, message="Imported", result={"rows": 200}
    )
    assert (done.status, done.percent, done.result) == ("done", 100, {"rows": 200})
    assert done.finished_at >= done.started_at


def test_running_twice_keeps_the_first_start(run):
    first = task_run_update(run_id=run.pk, status="running").started_at
    assert task_run_update(run_id=run.pk, status="running").started_at == first


def test_failing_before_running_stamps_both_times(run):
    failed = task_run_update(run_id=run.pk, status="failed", message="Row 3: bad date")
    assert failed.started_at is not None and failed.finished_at is not None
    assert failed.percent == 0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"status": "exploded"}, "status"),
        ({"status": "running", "done": -1}, "progress_done"),
        ({"total": -5}, "progress_total"),
    ],
)
def test_bad_values_are_refused_and_nothing_changes(run, kwargs, field):
    with pytest.raises(ValidationError) as info:
        task_run_update(run_id=run.pk, **kwargs)
    assert field in info.value.message_dict
    run.refresh_from_db()
    assert (run.status, run.progress_done, run.progress_total) == ("queued", 0, 200)


def test_unknown_run_raises_does_not_exist():
    with pytest.raises(TaskRun.DoesNotExist):
        task_run_update(run_id=987654, status="running")


def test_percent_rounds_down_and_caps(run):
    assert task_run_update(run_id=run.pk, done=1, total=3).percent == 33
    assert task_run_update(run_id=run.pk, done=5, total=3).percent == 100


# --- The status page -------------------------------------------------------------------


def test_requester_sees_progress_and_auto_refresh(client, gov_user, run):
    task_run_update(run_id=run.pk, status="running", done=50, message="Reading rows")
    client.force_login(gov_user)
    response = client.get(f"/tasks/{run.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<span style="width: 25%"></span>' in html
    assert "50 of 200" in html and "Reading rows" in html
    assert 'data-status="running"' in html
    assert "measurement_import" in html


def test_finished_run_stops_refreshing_and_shows_the_result(client, gov_user, run):
    task_run_update(
        run_id=run.pk,
        status="done",
        done=200,
        result={"rows_created": 180, "rows_replaced": 20, "periods": ["2026-01", "2026-02"]},
    )
    client.force_login(gov_user)
    html = client.get(f"/tasks/{run.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in html
    assert '<span style="width: 100%"></span>' in html
    assert "<dt>Rows created</dt><dd>180</dd>" in html
    assert "<dt>Periods</dt><dd>[&quot;2026-01&quot;, &quot;2026-02&quot;]</dd>" in html


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (roles.ADMIN, 200),
        (roles.GOVERNANCE_OFFICE, 200),
        (roles.EXECUTIVE, 200),
        (roles.AUDITOR, 200),
        (roles.VENDOR_MANAGER, 404),
        (roles.VENDOR_USER, 404),
    ],
)
def test_who_sees_someone_elses_run(client, make_user, run, role, status):
    vendor = VendorFactory() if role == roles.VENDOR_USER else None
    client.force_login(make_user(role, vendor=vendor))
    assert client.get(f"/tasks/{run.pk}/").status_code == status


def test_vendor_user_sees_their_own_run(client, make_user):
    rep = make_user(roles.VENDOR_USER, vendor=VendorFactory())
    own = task_run_create(kind="measurement_import", requested_by=rep)
    client.force_login(rep)
    assert client.get(f"/tasks/{own.pk}/").status_code == 200
    listing = client.get("/tasks/")
    assert [r.pk for r in listing.context["runs"]] == [own.pk]


def test_missing_run_is_404(client, gov_user):
    client.force_login(gov_user)
    assert client.get("/tasks/424242/").status_code == 404


def test_jobs_list_is_constant_in_queries(client, gov_user, django_assert_max_num_queries):
    for i in range(12):
        task_run_create(kind=f"job{i}", requested_by=gov_user)
    client.force_login(gov_user)
    with django_assert_max_num_queries(8):
        response = client.get("/tasks/")
    assert len(response.context["runs"]) == 12
    assert b"Job11" in response.content  # the kind, humanised


# --- The API ---------------------------------------------------------------------------


def test_api_lists_and_shows_runs(gov_api, run):
    task_run_update(run_id=run.pk, status="running", done=20)
    listing = gov_api.get("/api/v1/task-runs/")
    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    detail = gov_api.get(f"/api/v1/task-runs/{run.pk}/").json()
    assert detail["kind"] == "measurement_import"
    assert (detail["status"], detail["progress_done"], detail["percent"]) == ("running", 20, 10)
    assert detail["finished_at"] is None
    assert detail["created_at"].endswith("Z")


def test_api_is_read_only(gov_api, run):
    assert gov_api.post("/api/v1/task-runs/", {"kind": "x"}, format="json").status_code == 405
    url = f"/api/v1/task-runs/{run.pk}/"
    assert gov_api.patch(url, {"status": "done"}, format="json").status_code == 405
    assert gov_api.delete(url).status_code == 405
    run.refresh_from_db()
    assert run.status == "queued"


def test_api_scope_and_filters(api_client_for, make_user, gov_user, run):
    manager = make_user(roles.VENDOR_MANAGER)
    mine = task_run_create(kind="qbr_render", requested_by=manager)
    task_run_update(run_id=mine.pk, status="done")
    client = api_client_for(manager)
    assert [r["id"] for r in client.get("/api/v1/task-runs/").json()["results"]] == [mine.pk]
    assert client.get(f"/api/v1/task-runs/{run.pk}/").status_code == 404

    auditor = api_client_for(make_user(roles.AUDITOR))
    assert auditor.get("/api/v1/task-runs/").json()["count"] == 2
    by_status = auditor.get("/api/v1/task-runs/?status=done").json()["results"]
    assert [r["id"] for r in by_status] == [mine.pk]
    by_search = auditor.get("/api/v1/task-runs/?search=import").json()["results"]
    assert [r["id"] for r in by_search] == [run.pk]
    oldest_first = auditor.get("/api/v1/task-runs/?ordering=id").json()["results"]
    assert [r["id"] for r in oldest_first] == [run.pk, mine.pk]
    assert auditor.get("/api/v1/task-runs/?status=exploded").status_code == 400


def test_api_needs_authentication(client, run):
    assert client.get("/api/v1/task-runs/").status_code == 401


# --- Housekeeping ------------------------------------------------------------------------


def test_stale_runs_are_failed_once_and_fresh_ones_left_alone(gov_user):
    task_run_create(kind="a", requested_by=gov_user)
    stale_running = task_run_create(kind="b", requested_by=gov_user)
    task_run_update(run_id=stale_running.pk, status="running")
    finished = task_run_create(kind="c", requested_by=gov_user)
    task_run_update(run_id=finished.pk, status="done")
    fresh = task_run_create(kind="d", requested_by=gov_user)
    seven_hours_ago = timezone.now() - timedelta(hours=7)
    TaskRun.objects.exclude(pk=fresh.pk).update(created_at=seven_hours_ago)

    # apply() runs the task body in this process, as a worker would.
    assert fail_stale_task_runs_task.apply(kwargs={"older_than_hours": 6}).get() == 2
    assert fail_stale_task_runs_task.apply().get() == 0  # nothing more the second time

    statuses = dict(TaskRun.objects.values_list("kind", "status"))
    assert statuses == {"a": "failed", "b": "failed", "c": "done", "d": "queued"}
    closed = TaskRun.objects.get(pk=stale_running.pk)
    assert closed.message == "Stopped: no worker finished this job within 6 hours."
    assert closed.finished_at is not None and closed.started_at is not None


def test_a_rerun_reopens_a_run_the_stale_sweep_closed(gov_user):
    """A worker killed mid-job: the sweep closes the run, the redelivered task opens it again."""
    run = task_run_create(kind="evaluation", requested_by=gov_user)
    task_run_update(run_id=run.pk, status="running")
    TaskRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(hours=7))
    assert fail_stale_task_runs_task.apply().get() == 1

    rerun = task_run_update(run_id=run.pk, status="running", message="Evaluating")
    assert (rerun.status, rerun.finished_at) == ("running", None)
    done = task_run_update(run_id=run.pk, status="done", message="3 periods")
    assert done.status == "done" and done.finished_at >= done.started_at


# --- Dispatch: the message is kept on the run, sent after commit, swept when unsent ------

PAYLOAD = "core.tasks.fail_stale_task_runs_task"  # harmless: closes runs older than 10,000 h


def _dispatched(**fields) -> TaskRun:
    run = task_run_create(kind="evaluation")
    TaskRun.objects.filter(pk=run.pk).update(
        task_name=PAYLOAD, task_kwargs={"older_than_hours": 10000}, **fields
    )
    return TaskRun.objects.get(pk=run.pk)


def test_dispatch_records_the_message_and_sends_it_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        run = task_run_create(kind="evaluation")
        dispatch_after_commit(
            run=run, task_name=PAYLOAD, kwargs={"older_than_hours": 10000}, options={"priority": 3}
        )
        stored = TaskRun.objects.get(pk=run.pk)
        assert stored.sent_at is None  # nothing leaves before the commit
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert (run.task_name, run.task_args, run.task_kwargs) == (
        PAYLOAD,
        [],
        {"older_than_hours": 10000},
    )
    assert run.task_options == {"priority": 3}
    assert (run.status, run.send_attempts, run.send_error) == ("queued", 1, "")
    assert run.sent_at is not None


def test_a_rolled_back_write_sends_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        run = task_run_create(kind="evaluation")
        dispatch_after_commit(run=run, task_name=PAYLOAD)
        raise RuntimeError("the write failed")
    assert callbacks == [] and not TaskRun.objects.exists()


def test_the_sweep_sends_waiting_and_lost_runs_exactly_once():
    now = timezone.now()
    waiting = _dispatched(status="waiting", send_attempts=1, send_error="OperationalError: down")
    lost = _dispatched(created_at=now - timedelta(minutes=5))  # its web process died
    fresh = _dispatched()  # its on-commit send may still be under way
    sent = _dispatched(created_at=now - timedelta(minutes=5), sent_at=now - timedelta(minutes=4))
    no_message = task_run_create(kind="old_style")
    TaskRun.objects.filter(pk=no_message.pk).update(created_at=now - timedelta(minutes=5))

    assert call_command_output("run_job", "send-waiting-task-runs") == "2"
    assert call_command_output("run_job", "send-waiting-task-runs") == "0"  # never twice

    runs = {r.pk: r for r in TaskRun.objects.all()}
    assert (runs[waiting.pk].status, runs[waiting.pk].send_attempts) == ("queued", 2)
    assert runs[waiting.pk].send_error == "" and runs[waiting.pk].sent_at is not None
    assert runs[lost.pk].sent_at is not None and runs[lost.pk].send_attempts == 1
    assert runs[fresh.pk].sent_at is None
    assert runs[sent.pk].send_attempts == 0
    assert runs[no_message.pk].sent_at is None


def call_command_output(*args) -> str:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_a_waiting_run_says_so_on_its_page_and_in_the_api(client, gov_api, gov_user):
    run = _dispatched(status="waiting", send_attempts=2, send_error="OperationalError: refused")
    TaskRun.objects.filter(pk=run.pk).update(requested_by=gov_user)
    client.force_login(gov_user)
    html = client.get(f"/tasks/{run.pk}/").content.decode()
    assert 'data-status="waiting"' in html and "Waiting for the broker" in html
    assert "(2 attempts so far)" in html and "OperationalError: refused" in html
    assert '<meta http-equiv="refresh"' in html  # it will move on by itself
    listing = client.get("/tasks/").content.decode()
    assert 'badge-warn">Waiting for the broker' in listing
    assert gov_api.get(f"/api/v1/task-runs/{run.pk}/").json()["status"] == "waiting"
    by_status = gov_api.get("/api/v1/task-runs/?status=waiting").json()["results"]
    assert [r["id"] for r in by_status] == [run.pk]


# --- Health and outages -------------------------------------------------------------------


def test_health_reports_the_database_and_the_broker(client):
    answer = client.get("/health/")
    assert answer.status_code == 200
    assert answer.json() == {
        "status": "ok",
        "database": {"ok": True},
        "broker": {"ok": True, "mode": "eager"},  # no REDIS_URL here: tasks run in process
    }
    assert client.get("/healthz").json()["status"] == "ok"


def _request(path: str):
    from django.test import RequestFactory

    return RequestFactory().get(path)


def test_a_database_outage_in_a_view_is_a_503_json_on_the_api_and_a_page_elsewhere():
    outage = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    middleware = DatabaseUnavailableMiddleware(lambda request: None)

    api = middleware.process_exception(_request("/api/v1/slas/"), outage)
    assert (api.status_code, api["Retry-After"]) == (503, "5")
    assert json.loads(api.content) == {
        "detail": "The database is unavailable; nothing was changed. Try again shortly."
    }
    page = middleware.process_exception(_request("/slas/"), InterfaceError("connection closed"))
    assert page.status_code == 503 and b"Covenant is temporarily unavailable" in page.content
    assert middleware.process_exception(_request("/slas/"), ValueError("x")) is None


def test_a_database_outage_in_another_middleware_is_a_503_not_a_500():
    """Errors raised outside the view (the session, the user) arrive as a 500 response."""
    request = _request("/api/v1/vendors/")

    def inner(request):
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError:
            got_request_exception.send(sender=None, request=request)
        return HttpResponse(status=500)

    assert DatabaseUnavailableMiddleware(inner)(request).status_code == 503
    other = _request("/api/v1/vendors/")
    plain_500 = DatabaseUnavailableMiddleware(lambda r: HttpResponse(status=500))(other)
    assert plain_500.status_code == 500  # other errors are not dressed up as outages


def test_tasks_are_retried_while_the_database_is_unreachable():
    from config.celery_app import app

    app.loader.import_default_modules()
    task = app.tasks["slas.tasks.evaluate_slas_task"]
    assert set(task.autoretry_for) == {OperationalError, InterfaceError}
    assert task.max_retries >= 20 and task.retry_backoff
