"""Reads shared by every app: the audit trail of an object, the job runs a user may watch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from pghistory.models import Events

if TYPE_CHECKING:
    from core.models import TaskRun


@dataclass(frozen=True)
class HistoryEntry:
    """One event in an object's audit trail, ready to show."""

    at: datetime
    action: str
    actor: str
    via: str
    changes: dict[str, list[Any]]

    @property
    def change_rows(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for templates: ``changes.items`` in a template reads a
        field named ``items`` (an issue list's) instead of the dict's method."""
        return [(field, change[0], change[1]) for field, change in self.changes.items()]


def object_history(*, obj: models.Model, limit: int = 500) -> list[HistoryEntry]:
    """The audit trail of ``obj``, newest first, with actors resolved in one query."""
    events = list(
        Events.objects.tracks(obj)
        .order_by("-pgh_created_at", "-pgh_id")
        .values("pgh_created_at", "pgh_label", "pgh_diff", "pgh_data", "pgh_context")[:limit]
    )
    user_ids = {(e["pgh_context"] or {}).get("user") for e in events} - {None}
    names = {u.pk: u.display_name for u in get_user_model().objects.filter(pk__in=user_ids)}
    entries = []
    for e in events:
        context = e["pgh_context"] or {}
        user = context.get("user")
        diff = e["pgh_diff"] or {}
        if e["pgh_label"] == "insert":
            diff = {
                k: [None, v]
                for k, v in (e["pgh_data"] or {}).items()
                if k not in ("id", "created_at", "updated_at")
            }
        diff.pop("updated_at", None)
        entries.append(
            HistoryEntry(
                at=e["pgh_created_at"],
                action=e["pgh_label"],
                actor=names.get(user, f"user #{user}") if user else context.get("source", "system"),
                via=context.get("url") or context.get("source", ""),
                changes=diff,
            )
        )
    return entries


def task_run_list(*, user) -> QuerySet[TaskRun]:
    """The job runs ``user`` may watch: their own; every run for staff who read everything.

    Writers, executives and auditors see all runs (they oversee the jobs the
    governance office starts); everyone else sees only the runs they asked for,
    so a vendor representative never learns of another vendor's imports.
    """
    from core import permissions
    from core.models import TaskRun

    runs = TaskRun.objects.select_related("requested_by")
    if not getattr(user, "is_authenticated", False):
        return runs.none()
    if permissions.reads_everything(user):
        return runs
    return runs.filter(requested_by=user)
