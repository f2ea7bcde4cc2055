"""Pages of the improvement programme under /improvement/."""

from __future__ import annotations

from django.urls import path

from core.routing import app_index, crud_paths
from improvement import views

app_name = "improvement"


def _crud(prefix: str, name: str, group: dict, detail=None) -> list:
    return crud_paths(
        prefix,
        name,
        group["list"],
        detail or group["detail"],
        group["create"],
        group["update"],
        group["delete"],
        group["history"],
    )


urlpatterns = [
    app_index("improvement:goal_list"),
    *_crud("goals", "goal", views.goal_views, views.GoalDetailView),
    path("goals/<int:pk>/agree/", views.GoalAgreeView.as_view(), name="goal_agree"),
    *_crud("assessments", "situationassessment", views.assessment_views),
    *_crud("key-issues", "keyissue", views.key_issue_views),
    *_crud("health-surveys", "healthsurvey", views.survey_views, views.HealthSurveyDetailView),
    path("health/<int:pk>/", views.VendorHealthView.as_view(), name="health"),
    *_crud("ideas", "idea", views.idea_views),
    path(
        "issue-lists/",
        views.IssueListPublicationListView.as_view(),
        name="issuelistpublication_list",
    ),
    path("issue-lists/approve/", views.IssueListApproveView.as_view(), name="issuelist_approve"),
    path(
        "issue-lists/<int:pk>/",
        views.IssueListPublicationDetailView.as_view(),
        name="issuelistpublication_detail",
    ),
    path(
        "issue-lists/<int:pk>/history/",
        views.IssueListPublicationHistoryView.as_view(),
        name="issuelistpublication_history",
    ),
    path(
        "issue-lists/<int:pk>/publish/",
        views.IssueListPublishView.as_view(),
        name="issuelist_publish",
    ),
]
