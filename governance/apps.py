from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """Governance: escalation plans and escalations, forums, meetings, the action log."""

    name = "governance"

    def ready(self) -> None:
        from core import registry, roles

        registry.register_app(
            "governance",
            url_prefix="governance/",
            api="governance.api.urls",
            panels="governance.selectors.dashboard_panels",
            menu_section="Governance",
            menu=[
                ("My actions", "governance:my_actions", (roles.EXECUTIVE, roles.AUDITOR)),
                ("Action items", "governance:actionitem_list"),
                ("Escalations", "governance:escalation_list", (roles.VENDOR_USER,)),
                ("Escalation plans", "governance:escalationplan_list", (roles.VENDOR_USER,)),
                ("Forums", "governance:forum_list", (roles.VENDOR_USER,)),
                ("Meetings", "governance:meeting_list", (roles.VENDOR_USER,)),
            ],
            demo="governance.demo.seed_governance",
        )
