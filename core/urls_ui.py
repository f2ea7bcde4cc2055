"""Pages of the shell that core registers for itself (``core.apps``): the global search."""

from django.urls import path

from core import views_pages

urlpatterns = [
    path("search/", views_pages.SearchView.as_view(), name="search"),
]
