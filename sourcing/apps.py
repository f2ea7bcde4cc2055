from django.apps import AppConfig


class SourcingConfig(AppConfig):
    """Sourcing: vendor selection events, weighted scoring, the award and the transition in."""

    name = "sourcing"

    def ready(self) -> None:
        from core import registry, roles

        registry.register_app(
            "sourcing",
            url_prefix="sourcing/",
            api="sourcing.api.urls",
            search="sourcing.search.search",
            menu_section="Sourcing",
            menu=[
                ("Sourcing events", "sourcing:sourcingevent_list", (roles.VENDOR_USER,)),
                ("Proposals", "sourcing:proposal_list"),
                ("Selection vs delivery", "sourcing:selection_vs_delivery", (roles.VENDOR_USER,)),
                ("Transition steps", "sourcing:transitionstep_list", (roles.VENDOR_USER,)),
            ],
            demo="sourcing.demo.seed_sourcing",
        )
