from django.apps import AppConfig


class RisksConfig(AppConfig):
    """Risks: the register and its heat maps, assessments and findings, continuity plans,
    and the reviews that come due."""

    name = "risks"

    def ready(self) -> None:
        from core import permissions, registry

        internal = permissions.sees_internal
        registry.register_app(
            "risks",
            url_prefix="risks/",
            api="risks.api.urls",
            panels="risks.selectors.dashboard_panels",
            search="risks.search.search",
            menu_section="Risks",
            menu=[
                ("Risk register", "risks:risk_list", internal),
                ("Heat map", "risks:heatmap", internal),
                ("My reviews", "risks:my_reviews", internal),
                ("Assessments", "risks:assessment_list", internal),
                ("Findings", "risks:finding_list"),
                ("Continuity plans", "risks:continuityplan_list", internal),
                ("Review cadence", "risks:reviewcadence_list", internal),
            ],
            demo="risks.demo.seed_risks",
        )
