"""Scheduled jobs and time (DESIGN.md section 2, "Jobs and time").

Every entry of ``CELERY_BEAT_SCHEDULE`` is a job: its key is the job's name and
its task takes an optional ``at`` (an ISO 8601 datetime) that stands in for
now, so ``python manage.py run_job NAME --at DATETIME`` can replay any moment.
Running a job twice for the same ``at`` does nothing twice: that is each
job's service's promise, tested with the job.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone


def job_names() -> list[str]:
    """The scheduled jobs, in the schedule's order."""
    return list(settings.CELERY_BEAT_SCHEDULE)


def job_task_name(name: str) -> str:
    """The Celery task behind job ``name``; ``KeyError`` when there is no such job."""
    return settings.CELERY_BEAT_SCHEDULE[name]["task"]


def job_now(at: str | datetime | None) -> datetime:
    """The moment a job run stands for: ``at`` (aware, default time zone) or now."""
    if at is None:
        return timezone.now()
    moment = datetime.fromisoformat(at) if isinstance(at, str) else at
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def job_today(at: str | datetime | None) -> date:
    """The local date of the moment a job run stands for."""
    return timezone.localdate(job_now(at))
