"""URL patterns shared by the apps' page routes (NetBox-style: one shape per model)."""

from __future__ import annotations

from django.urls import path
from django.views.generic import RedirectView


def crud_paths(prefix: str, name: str, list_view, detail, create, update, delete, history) -> list:
    """The list, add, detail, edit, delete and history pages of one model under ``prefix/``."""
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/add/", create.as_view(), name=f"{name}_add"),
        path(f"{prefix}/<int:pk>/", detail.as_view(), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", update.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", delete.as_view(), name=f"{name}_delete"),
        path(f"{prefix}/<int:pk>/history/", history.as_view(), name=f"{name}_history"),
    ]


def app_index(to: str):
    """``/<app>/`` itself: a redirect to the app's main list, so a typed URL never 404s."""
    return path("", RedirectView.as_view(pattern_name=to, permanent=False), name="index")
