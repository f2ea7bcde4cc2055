from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: users and roles, permissions, audit, API and view bases."""

    name = "core"
    verbose_name = "Core"
