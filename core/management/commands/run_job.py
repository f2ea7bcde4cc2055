"""``python manage.py run_job NAME [--at DATETIME]``: run a scheduled job now, in process."""

from __future__ import annotations

import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from config.celery_app import app
from core.jobs import job_names, job_task_name


class Command(BaseCommand):
    help = "Run one scheduled job (a CELERY_BEAT_SCHEDULE entry) now; --at stands in for now."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="the job's name (run_job --list names them)")
        parser.add_argument("--at", help="ISO 8601 date or datetime that stands in for now")
        parser.add_argument("--list", action="store_true", help="name the jobs, one per line")

    def handle(self, *args, name=None, at=None, list=False, **options):
        if list:
            for job in job_names():
                self.stdout.write(job)
            return
        if not name:
            raise CommandError("Name a job, or use --list.")
        app.loader.import_default_modules()  # the apps' tasks.py, found lazily otherwise
        try:
            task = app.tasks[job_task_name(name)]
        except KeyError:
            raise CommandError(f"No job named {name!r}. Jobs: {', '.join(job_names())}.") from None
        if at is not None:
            try:
                datetime.fromisoformat(at)
            except ValueError:
                raise CommandError(f"--at {at!r} is not an ISO 8601 date or datetime.") from None
        result = task.apply(kwargs={"at": at}, throw=True).get()
        self.stdout.write(json.dumps(result, default=str, sort_keys=True))
