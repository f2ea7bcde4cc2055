"""Celery tasks of the reports app: thin wrappers around ``reports.services``.

``render_qbr_task`` renders one report under a time limit: past
``QBR_RENDER_SOFT_LIMIT`` seconds the render is stopped and the report is
marked failed with that reason (the hard limit kills a worker stuck beyond
it). Running it twice is harmless: a ready report is left alone.
"""

from __future__ import annotations

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from core.audit import actor_context
from reports import services

SOFT_LIMIT = getattr(settings, "QBR_RENDER_SOFT_LIMIT", 300)


@shared_task(
    name="reports.tasks.render_qbr_task", soft_time_limit=SOFT_LIMIT, time_limit=SOFT_LIMIT + 30
)
def render_qbr_task(report_id: int) -> str:
    """Gather and render QBR ``report_id``; returns its final status."""
    try:
        with actor_context(source="qbr-render"):
            return services.qbr_render(report_id=report_id).status
    except SoftTimeLimitExceeded:
        services.qbr_fail(
            report_id=report_id, reason=f"Stopped: rendering took longer than {SOFT_LIMIT} s."
        )
        return "failed"


@shared_task(name="reports.tasks.qbr_quarter_end_task")
def qbr_quarter_end_task(at: str | None = None) -> dict:
    """Quarter end: queue every active vendor's report of the quarter just ended, and the pack."""
    with actor_context(source="qbr-quarter-end"):
        return services.qbr_quarter_end(at=at)
