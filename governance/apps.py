from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """Governance: escalation plans and escalations, forums, meetings, the action log."""

    name = "governance"

    def ready(self) -> None:
        from core import permissions, registry

        registry.register_app(
            "governance",
            url_prefix="governance/",
            api="governance.api.urls",
            panels="governance.selectors.dashboard_panels",
            menu_section="Governance",
            menu=[
                ("My actions", "governance:my_actions", permissions.enters_data),
                ("Action items", "governance:actionitem_list"),
                ("Escalations", "governance:escalation_list", permissions.sees_internal),
                ("Escalation plans", "governance:escalationplan_list", permissions.sees_internal),
                ("Forums", "governance:forum_list", permissions.sees_internal),
                ("Meetings", "governance:meeting_list", permissions.sees_internal),
            ],
            demo="governance.demo.seed_governance",
        )
