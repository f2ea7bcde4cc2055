"""Routes of the governance API under /api/v1/."""

from governance.api import views


def register(router) -> None:
    router.register("escalation-plans", views.EscalationPlanViewSet, basename="escalation-plan")
    router.register("escalations", views.EscalationViewSet, basename="escalation")
    router.register("forums", views.ForumViewSet, basename="forum")
    router.register("meetings", views.MeetingViewSet, basename="meeting")
    router.register("action-items", views.ActionItemViewSet, basename="action-item")
