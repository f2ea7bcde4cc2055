"""Pages of the vendors app: /vendors/<plural>/ with add, detail, edit, delete, history."""

from __future__ import annotations

from django.urls import path

from vendors import views

app_name = "vendors"


def _crud(prefix: str, name: str, list_view, detail, create, update, delete, history) -> list:
    return [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/add/", create.as_view(), name=f"{name}_add"),
        path(f"{prefix}/<int:pk>/", detail.as_view(), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", update.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", delete.as_view(), name=f"{name}_delete"),
        path(f"{prefix}/<int:pk>/history/", history.as_view(), name=f"{name}_history"),
    ]


urlpatterns = [
    *_crud(
        "vendors",
        "vendor",
        views.VendorListView,
        views.VendorDetailView,
        views.VendorCreateView,
        views.VendorUpdateView,
        views.VendorDeleteView,
        views.VendorHistoryView,
    ),
    *_crud(
        "certifications",
        "certification",
        views.CertificationListView,
        views.CertificationDetailView,
        views.CertificationCreateView,
        views.CertificationUpdateView,
        views.CertificationDeleteView,
        views.CertificationHistoryView,
    ),
    path(
        "certifications/<int:pk>/evidence/",
        views.CertificationEvidenceView.as_view(),
        name="certification_evidence",
    ),
    *_crud(
        "contacts",
        "contact",
        views.ContactListView,
        views.ContactDetailView,
        views.ContactCreateView,
        views.ContactUpdateView,
        views.ContactDeleteView,
        views.ContactHistoryView,
    ),
]
