from django.apps import AppConfig


class SourcingConfig(AppConfig):
    """Sourcing: vendor selection events, weighted scoring, the award and the transition in."""

    name = "sourcing"

    def ready(self) -> None:
        from core import permissions, registry

        internal = permissions.sees_internal

        registry.register_app(
            "sourcing",
            url_prefix="sourcing/",
            api="sourcing.api.urls",
            search="sourcing.search.search",
            menu_section="Sourcing",
            menu=[
                ("Sourcing events", "sourcing:sourcingevent_list", internal),
                ("Proposals", "sourcing:proposal_list"),
                (
                    "Selection vs delivery",
                    "sourcing:selection_vs_delivery",
                    permissions.sees_internal,
                ),
                ("Transition steps", "sourcing:transitionstep_list", internal),
            ],
            demo="sourcing.demo.seed_sourcing",
        )
