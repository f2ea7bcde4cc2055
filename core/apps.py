from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: users and roles, permissions, audit, API and view bases."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core import record_imports, registry  # noqa: F401 - registers the import task

        # The shell's own pages, registered like any app's: its menu section
        # comes first (core is first in INSTALLED_APPS), so "Overview" leads.
        registry.register_app(
            "core",
            url_prefix="",
            urls="core.urls_ui",
            menu_section="Overview",
            menu=[
                ("Dashboard", "dashboard"),
                ("Search", "search"),
                ("Jobs", "taskrun_list"),
            ],
        )
