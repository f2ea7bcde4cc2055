"""Routes of the improvement API under /api/v1/."""

from improvement.api import views


def register(router) -> None:
    router.register("improvement-goals", views.GoalViewSet, basename="improvement-goal")
    router.register(
        "improvement-assessments",
        views.SituationAssessmentViewSet,
        basename="improvement-assessment",
    )
    router.register("key-issues", views.KeyIssueViewSet, basename="key-issue")
    router.register(
        "issue-list-publications",
        views.IssueListPublicationViewSet,
        basename="issue-list-publication",
    )
    router.register("health-surveys", views.HealthSurveyViewSet, basename="health-survey")
    router.register("ideas", views.IdeaViewSet, basename="idea")
