"""``run_job``: every beat entry is a job that can be run from the shell with ``--at``."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.models import TaskRun

pytestmark = pytest.mark.django_db


def test_list_names_every_beat_entry_one_per_line():
    out = StringIO()
    call_command("run_job", "--list", stdout=out)
    assert out.getvalue().split() == list(settings.CELERY_BEAT_SCHEDULE)


def test_unknown_job_and_bad_at_are_command_errors():
    with pytest.raises(CommandError, match="No job named 'nope'"):
        call_command("run_job", "nope")
    with pytest.raises(CommandError, match="not an ISO 8601"):
        call_command("run_job", "fail-stale-task-runs", "--at", "yesterday")


def test_at_stands_in_for_now_and_a_second_run_does_nothing_more():
    run = TaskRun.objects.create(kind="evaluation")
    later = (timezone.now() + timedelta(hours=7)).isoformat()
    out = StringIO()
    call_command("run_job", "fail-stale-task-runs", "--at", later, stdout=out)
    assert out.getvalue().strip() == "1"  # 7 h after it was queued, the run is stale
    run.refresh_from_db()
    assert run.status == TaskRun.Status.FAILED
    out = StringIO()
    call_command("run_job", "fail-stale-task-runs", "--at", later, stdout=out)
    assert out.getvalue().strip() == "0"


def test_at_before_the_cutoff_closes_nothing():
    TaskRun.objects.create(kind="evaluation")
    soon = (timezone.now() + timedelta(hours=1)).isoformat()
    out = StringIO()
    call_command("run_job", "fail-stale-task-runs", "--at", soon, stdout=out)
    assert out.getvalue().strip() == "0"
