"""Routes of the risks API under /api/v1/."""

from risks.api import views


def register(router) -> None:
    router.register("risks", views.RiskViewSet, basename="risk")
    router.register("risk-reviews", views.RiskReviewViewSet, basename="riskreview")
    router.register("assessments", views.AssessmentViewSet, basename="assessment")
    router.register("findings", views.FindingViewSet, basename="finding")
    router.register("continuity-plans", views.ContinuityPlanViewSet, basename="continuityplan")
