"""Pages of the risks app: /risks/<plural>/ with add, detail, edit, delete, history;
the heat map, the export, "my reviews" and the cadence per tier."""

from __future__ import annotations

from django.urls import path

from core.routing import app_index, crud_paths
from risks import views, views_reports

app_name = "risks"

urlpatterns = [
    app_index("risks:risk_list"),
    path("risks/export/", views_reports.RiskExportView.as_view(), name="risk_export"),
    path("risks/<int:pk>/review/", views.RiskReviewView.as_view(), name="risk_review"),
    *crud_paths(
        "risks",
        "risk",
        views.RiskListView,
        views.RiskDetailView,
        views.RiskCreateView,
        views.RiskUpdateView,
        views.RiskDeleteView,
        views.RiskHistoryView,
    ),
    path("heatmap/", views_reports.HeatmapView.as_view(), name="heatmap"),
    path("my-reviews/", views_reports.MyReviewsView.as_view(), name="my_reviews"),
    path("cadence/", views_reports.ReviewCadenceListView.as_view(), name="reviewcadence_list"),
    path(
        "cadence/<int:pk>/edit/",
        views_reports.ReviewCadenceUpdateView.as_view(),
        name="reviewcadence_edit",
    ),
    *crud_paths(
        "assessments",
        "assessment",
        views.AssessmentListView,
        views.AssessmentDetailView,
        views.AssessmentCreateView,
        views.AssessmentUpdateView,
        views.AssessmentDeleteView,
        views.AssessmentHistoryView,
    ),
    path(
        "assessments/<int:pk>/evidence/",
        views.AssessmentEvidenceView.as_view(),
        name="assessment_evidence",
    ),
    *crud_paths(
        "findings",
        "finding",
        views.FindingListView,
        views.FindingDetailView,
        views.FindingCreateView,
        views.FindingUpdateView,
        views.FindingDeleteView,
        views.FindingHistoryView,
    ),
    *crud_paths(
        "continuity-plans",
        "continuityplan",
        views.ContinuityPlanListView,
        views.ContinuityPlanDetailView,
        views.ContinuityPlanCreateView,
        views.ContinuityPlanUpdateView,
        views.ContinuityPlanDeleteView,
        views.ContinuityPlanHistoryView,
    ),
]
