"""The sourcing app's part of the global search (``core.search``): events by title."""

from __future__ import annotations

from core.search import SearchGroup, group_from
from sourcing import selectors


def search(*, user, query: str) -> list[SearchGroup]:
    """Sourcing events whose title, scope or objectives match: one query (none for vendors)."""
    return [
        group_from(
            kind="Sourcing events",
            queryset=selectors.event_list(user=user).order_by("-created_at"),
            fields=("title", "scope", "objectives"),
            query=query,
            list_url_name="sourcing:sourcingevent_list",
            note=lambda e: e.get_status_display(),
        )
    ]
