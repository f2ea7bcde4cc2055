"""Pages of the shell that core registers for itself (``core.apps``): search, record imports."""

from django.urls import path

from core import views_imports, views_pages

urlpatterns = [
    path("search/", views_pages.SearchView.as_view(), name="search"),
    path("imports/<slug:key>/", views_imports.RecordImportView.as_view(), name="record_import"),
]
