from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    """The improvement programme: assessment, agreed goals, issue list, health, ideas."""

    name = "improvement"

    def ready(self) -> None:
        from core import permissions, registry

        staff_only = permissions.sees_internal
        registry.register_app(
            "improvement",
            url_prefix="improvement/",
            api="improvement.api.urls",
            panels="improvement.selectors.dashboard_panels",
            menu_section="Improvement",
            menu=[
                ("Goals", "improvement:goal_list"),
                ("Relationship health", "improvement:healthsurvey_list"),
                ("Innovation log", "improvement:idea_list"),
                ("Issue list versions", "improvement:issuelistpublication_list"),
                ("Situation assessments", "improvement:situationassessment_list", staff_only),
            ],
            demo="improvement.demo.seed_improvement",
        )
        # A contract's business case shows the improvement goals (contracts does not
        # import improvement).
        registry.provide("contracts.vendor_goals", "improvement.selectors.goals_for")
