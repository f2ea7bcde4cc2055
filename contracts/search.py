"""The contracts app's part of the global search (``core.search``): contracts."""

from __future__ import annotations

from contracts import selectors
from core.search import SearchGroup, group_from


def search(*, user, query: str) -> list[SearchGroup]:
    """Contracts by reference, title or vendor name: one query."""
    return [
        group_from(
            kind="Contracts",
            queryset=selectors.contract_list(user=user).order_by("reference"),
            fields=("reference", "title", "vendor__name"),
            query=query,
            list_url_name="contracts:contract_list",
            note=lambda c: f"{c.vendor.name} · {c.get_status_display()}",
        )
    ]
