"""Pages of the reports app under /reports/."""

from __future__ import annotations

from django.urls import path

from core.routing import app_index
from reports import views

app_name = "reports"

urlpatterns = [
    app_index("reports:qbrreport_list"),
    path("portfolio/", views.ExecutiveHomeView.as_view(), name="executive_home"),
    path("qbr-reports/", views.QBRReportListView.as_view(), name="qbrreport_list"),
    path("qbr-reports/add/", views.QBRRequestView.as_view(), name="qbrreport_add"),
    path("qbr-reports/<int:pk>/", views.QBRReportDetailView.as_view(), name="qbrreport_detail"),
    path("qbr-reports/<int:pk>/pdf/", views.QBRReportPDFView.as_view(), name="qbrreport_pdf"),
    path(
        "qbr-reports/<int:pk>/history/",
        views.QBRReportHistoryView.as_view(),
        name="qbrreport_history",
    ),
    path(
        "vendor-access/",
        views.VendorReportSettingListView.as_view(),
        name="vendorreportsetting_list",
    ),
    path(
        "vendor-access/add/",
        views.VendorReportSettingCreateView.as_view(),
        name="vendorreportsetting_add",
    ),
    path(
        "vendor-access/<int:pk>/",
        views.VendorReportSettingDetailView.as_view(),
        name="vendorreportsetting_detail",
    ),
    path(
        "vendor-access/<int:pk>/edit/",
        views.VendorReportSettingUpdateView.as_view(),
        name="vendorreportsetting_edit",
    ),
    path(
        "vendor-access/<int:pk>/history/",
        views.VendorReportSettingHistoryView.as_view(),
        name="vendorreportsetting_history",
    ),
]
