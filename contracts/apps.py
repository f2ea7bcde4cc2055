from django.apps import AppConfig


class ContractsConfig(AppConfig):
    """Contracts: MSAs and SOWs, obligations, change requests, exit plans, spend."""

    name = "contracts"

    def ready(self) -> None:
        from core import permissions, registry

        registry.register_app(
            "contracts",
            url_prefix="contracts/",
            api="contracts.api.urls",
            search="contracts.search.search",
            panels="contracts.selectors.dashboard_panels",
            menu_section="Contracts",
            menu=[
                ("Contracts", "contracts:contract_list"),
                ("Obligations", "contracts:obligation_list"),
                ("Change requests", "contracts:changerequest_list"),
                ("Exit plans", "contracts:exitplan_list", permissions.sees_internal),
                ("Spend", "contracts:spendrecord_list", permissions.sees_internal),
            ],
        )
        # The contracts' part of the vendor 360 page (vendors does not import contracts).
        for tab in ("overview", "contracts"):
            registry.register_vendor_section(tab, "contracts.vendor_tabs.contracts_section")
