from django.apps import AppConfig


class SlasConfig(AppConfig):
    """SLAs and KPIs: measurements in; results, breaches and service credits out."""

    name = "slas"
    verbose_name = "SLAs"

    def ready(self) -> None:
        from core import permissions, registry

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
                ("Import measurements", "slas:measurement_import", permissions.enters_data),
                ("Breaches", "slas:breach_list"),
                ("Service credits", "slas:credit_list"),
            ],
        )
        # The SLA app's part of the vendor 360 page and of a contract's value:
        # the lower apps ask through core.registry, never import slas.
        registry.register_vendor_section("slas", "slas.vendor_tabs.slas_tab")
        registry.register_vendor_section("breaches", "slas.vendor_tabs.breaches_tab")
        registry.provide("contracts.net_credits_by_month", "slas.providers.net_credits_by_month")
        registry.provide("contracts.volume_kpi", "slas.providers.volume_kpi")
        registry.provide("contracts.volumes_by_month", "slas.providers.volumes_by_month")
        # The batch forms: a portfolio's value in a fixed number of queries.
        registry.provide(
            "contracts.net_credits_by_contract_month",
            "slas.providers.net_credits_by_contract_month",
        )
        registry.provide("contracts.volume_kpis", "slas.providers.volume_kpis")
        registry.provide("contracts.volumes_by_kpi_month", "slas.providers.volumes_by_kpi_month")

        from contracts.signals import credit_terms_changed
        from slas.receivers import evaluate_on_credit_terms_changed

        credit_terms_changed.connect(
            evaluate_on_credit_terms_changed, dispatch_uid="slas.evaluate_on_credit_terms_changed"
        )
