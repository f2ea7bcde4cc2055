"""The Celery application. Tasks live in each app's ``tasks.py``.

Without ``REDIS_URL`` the settings make Celery run tasks eagerly, in process,
so a laptop needs no broker; with it, ``make worker`` and ``make beat`` run
real processes.

Every task's base class is ``CovenantTask``: a task that meets a database
outage (PostgreSQL restarting under a running worker) is retried with backoff
instead of failing for good, so the job queued by an acknowledged write still
runs once the database is back. Tasks are idempotent (CONTRIBUTING.md), so a
retry is safe. How messages reach the broker: ``core.dispatch``.
"""

import os

from celery import Celery, Task
from django.db import InterfaceError, OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class CovenantTask(Task):
    """Base of every task: retried, with exponential backoff, while the database is unreachable."""

    autoretry_for = (OperationalError, InterfaceError)
    retry_backoff = 2  # 2, 4, 8 ... seconds
    retry_backoff_max = 60
    retry_jitter = True
    # About half an hour of retries: longer than a database restart or failover.
    max_retries = 40


app = Celery("covenant", task_cls=CovenantTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
