from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports: QBR executive packs rendered to PDF from frozen snapshots."""

    name = "reports"
