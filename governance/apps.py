from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    """Governance: escalation plans and escalations, forums, meetings, the action log."""

    name = "governance"

    def ready(self) -> None:
        from core import permissions, registry
        from governance.notifying import breach_workflow_changed
        from governance.tasks import after_evaluation
        from slas.signals import breach_changed, evaluation_committed

        # slas announces, governance reacts (imports run one way: slas never imports us).
        evaluation_committed.connect(after_evaluation, dispatch_uid="governance.after_evaluation")
        breach_changed.connect(breach_workflow_changed, dispatch_uid="governance.breach_changed")

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
