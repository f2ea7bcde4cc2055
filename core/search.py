"""The global search (the box in the header): one query, results grouped by kind.

Each app contributes its kinds through the registry:
``register_app(..., search="<app>.selectors.search")``, a function
``search(*, user, query) -> list[SearchGroup]`` that

* starts every queryset from ``core.permissions.restrict`` (a row outside the
  user's scope never shows, not even as a count),
* runs a constant number of queries whatever the data (one per kind:
  ``LIMIT`` one more than shown, so "more" needs no count),
* links each group to the app's list page filtered by ``?search=``, where
  the same words find the same rows and more.

``group_from(...)`` builds a group from a queryset so an app's function is a
few lines (see ``vendors.selectors.search``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from core import registry

MIN_LENGTH = 2
MAX_LENGTH = 100
PER_KIND = 8


@dataclass
class SearchHit:
    """One result: what it is called, where it lives, a short note (vendor, status)."""

    label: str
    url: str
    note: str = ""


@dataclass
class SearchGroup:
    """The results of one kind (Vendors, Contracts, …) and the filtered list behind them."""

    kind: str
    url: str
    hits: list[SearchHit] = field(default_factory=list)
    more: bool = False


def matching(fields: tuple[str, ...], query: str) -> Q:
    """Rows where any of ``fields`` contains every word of ``query`` (case-insensitive).

    "acme availability" finds the Acme contract's availability SLA: each word
    must match some field, not necessarily the same one.
    """
    condition = Q()
    for word in query.split():
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return condition


def group_from(
    *,
    kind: str,
    queryset: QuerySet,
    fields: tuple[str, ...],
    query: str,
    list_url_name: str,
    label: Callable = str,
    note: Callable = lambda obj: "",
) -> SearchGroup:
    """Search ``queryset`` (already scoped) over ``fields``: one query, ``PER_KIND`` hits."""
    rows = list(queryset.filter(matching(fields, query))[: PER_KIND + 1])
    try:
        url = f"{reverse(list_url_name)}?{urlencode({'search': query})}"
    except NoReverseMatch:
        url = ""
    return SearchGroup(
        kind=kind,
        url=url,
        hits=[SearchHit(label(o), o.get_absolute_url(), note(o)) for o in rows[:PER_KIND]],
        more=len(rows) > PER_KIND,
    )


def clean_query(raw: str | None) -> str:
    """The words searched for: trimmed, at most ``MAX_LENGTH`` characters, no NULs."""
    return " ".join((raw or "").replace("\x00", " ").split())[:MAX_LENGTH]


def search(*, user, query: str) -> list[SearchGroup]:
    """Every registered app's groups for ``query``, empty groups left out, apps in order."""
    query = clean_query(query)
    if len(query) < MIN_LENGTH:
        return []
    groups: list[SearchGroup] = []
    for app in registry.apps():
        if app.search:
            groups.extend(registry.resolve(app.search)(user=user, query=query))
    return [g for g in groups if g.hits]
