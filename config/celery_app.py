"""The Celery application. Tasks live in each app's ``tasks.py``.

Without ``REDIS_URL`` the settings make Celery run tasks eagerly, in process,
so a laptop needs no broker; with it, ``make worker`` and ``make beat`` run
real processes.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("covenant")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
