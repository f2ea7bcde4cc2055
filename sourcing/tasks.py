"""Celery tasks of the sourcing app: thin wrappers around ``sourcing.services``."""

from __future__ import annotations

from celery import shared_task

from core.audit import actor_context
from sourcing import services


@shared_task(name="sourcing.tasks.render_evaluation_summary_task", acks_late=True)
def render_evaluation_summary_task(run_id: int, event_id: int) -> None:
    """Render event ``event_id``'s PDF evaluation summary for job run ``run_id``."""
    from core.services import task_run_update

    try:
        with actor_context(source="evaluation-summary"):
            services.evaluation_summary_render(run_id=run_id, event_id=event_id)
    except Exception as exc:
        task_run_update(run_id=run_id, status="failed", message=f"Rendering failed: {exc}")
        raise
