from django.apps import AppConfig


class ContractsConfig(AppConfig):
    """Contracts: MSAs and SOWs, obligations, change requests, exit plans, spend."""

    name = "contracts"

    def ready(self) -> None:
        from core import registry, roles

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
                ("Exit plans", "contracts:exitplan_list", (roles.VENDOR_USER,)),
                ("Spend", "contracts:spendrecord_list", (roles.VENDOR_USER,)),
            ],
        )
