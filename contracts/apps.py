from django.apps import AppConfig


class ContractsConfig(AppConfig):
    """Contracts: MSAs and SOWs, obligations, change requests, exit plans, spend."""

    name = "contracts"
