from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports: QBR executive packs rendered to PDF from frozen snapshots."""

    name = "reports"

    def ready(self) -> None:
        from core import registry, roles

        registry.register_app(
            "reports",
            url_prefix="reports/",
            api="reports.api.urls",
            menu_section="Reports",
            menu=[
                ("Portfolio", "reports:executive_home", (roles.VENDOR_USER,)),
                ("QBR reports", "reports:qbrreport_list"),
                (
                    "Vendor access to reports",
                    "reports:vendorreportsetting_list",
                    (roles.VENDOR_USER, roles.EXECUTIVE, roles.AUDITOR, roles.VENDOR_MANAGER),
                ),
            ],
            demo="reports.demo.seed_reports",
        )
