from django.apps import AppConfig


class SlasConfig(AppConfig):
    """SLAs and KPIs: measurements in; results, breaches and service credits out."""

    name = "slas"
    verbose_name = "SLAs"

    def ready(self) -> None:
        from core import registry, roles

        registry.register_app(
            "slas",
            url_prefix="slas/",
            api="slas.api.urls",
            search="slas.search.search",
            panels="slas.dashboard.dashboard_panels",
            menu_section="Service levels",
            menu=[
                ("SLAs & KPIs", "slas:sla_list"),
                ("Measurements", "slas:measurement_list"),
                (
                    "Import measurements",
                    "slas:measurement_import",
                    (roles.EXECUTIVE, roles.AUDITOR),
                ),
                ("Breaches", "slas:breach_list"),
                ("Service credits", "slas:credit_list"),
            ],
        )
