"""Pages of the governance app: /governance/<plural>/ with add, detail, edit, delete, history."""

from __future__ import annotations

from django.urls import path

from core.routing import app_index, crud_paths
from governance import views

app_name = "governance"

urlpatterns = [
    app_index("governance:actionitem_list"),
    *crud_paths(
        "escalation-plans",
        "escalationplan",
        views.EscalationPlanListView,
        views.EscalationPlanDetailView,
        views.EscalationPlanCreateView,
        views.EscalationPlanUpdateView,
        views.EscalationPlanDeleteView,
        views.EscalationPlanHistoryView,
    ),
    *crud_paths(
        "escalations",
        "escalation",
        views.EscalationListView,
        views.EscalationDetailView,
        views.EscalationCreateView,
        views.EscalationUpdateView,
        views.EscalationDeleteView,
        views.EscalationHistoryView,
    ),
    path(
        "escalations/<int:pk>/<str:step>/",
        views.EscalationStepView.as_view(),
        name="escalation_step",
    ),
    *crud_paths(
        "forums",
        "forum",
        views.ForumListView,
        views.ForumDetailView,
        views.ForumCreateView,
        views.ForumUpdateView,
        views.ForumDeleteView,
        views.ForumHistoryView,
    ),
    *crud_paths(
        "meetings",
        "meeting",
        views.MeetingListView,
        views.MeetingDetailView,
        views.MeetingCreateView,
        views.MeetingUpdateView,
        views.MeetingDeleteView,
        views.MeetingHistoryView,
    ),
    *crud_paths(
        "action-items",
        "actionitem",
        views.ActionItemListView,
        views.ActionItemDetailView,
        views.ActionItemCreateView,
        views.ActionItemUpdateView,
        views.ActionItemDeleteView,
        views.ActionItemHistoryView,
    ),
    path("my-actions/", views.MyActionsView.as_view(), name="my_actions"),
]
