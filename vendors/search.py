"""The vendors app's part of the global search (``core.search``): vendors by name."""

from __future__ import annotations

from core.search import SearchGroup, group_from
from vendors import selectors


def search(*, user, query: str) -> list[SearchGroup]:
    """Vendors whose name, legal name or country match: one query."""
    return [
        group_from(
            kind="Vendors",
            queryset=selectors.vendor_list(user=user).order_by("name"),
            fields=("name", "legal_name", "country"),
            query=query,
            list_url_name="vendors:vendor_list",
            note=lambda v: f"tier {v.tier} · {v.get_status_display()}",
        )
    ]
