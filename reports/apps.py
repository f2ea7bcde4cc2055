from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports: QBR executive packs rendered to PDF from frozen snapshots."""

    name = "reports"

    def ready(self) -> None:
        from core import permissions, registry

        registry.register_app(
            "reports",
            url_prefix="reports/",
            api="reports.api.urls",
            menu_section="Reports",
            menu=[
                ("Portfolio", "reports:executive_home", permissions.sees_internal),
                ("QBR reports", "reports:qbrreport_list"),
                (
                    "Vendor access to reports",
                    "reports:vendorreportsetting_list",
                    permissions.has_office_powers,
                ),
            ],
            demo="reports.demo.seed_reports",
        )
