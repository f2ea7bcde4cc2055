"""Pages of the vendors app: /vendors/<plural>/ with add, detail, edit, delete, history."""

from __future__ import annotations

from django.urls import path

from core.routing import app_index, crud_paths
from vendors import views

app_name = "vendors"


urlpatterns = [
    app_index("vendors:vendor_list"),
    *crud_paths(
        "vendors",
        "vendor",
        views.VendorListView,
        views.VendorDetailView,
        views.VendorCreateView,
        views.VendorUpdateView,
        views.VendorDeleteView,
        views.VendorHistoryView,
    ),
    *crud_paths(
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
    *crud_paths(
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
