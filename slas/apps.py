from django.apps import AppConfig


class SlasConfig(AppConfig):
    """SLAs and KPIs: measurements in; results, breaches and service credits out."""

    name = "slas"
    verbose_name = "SLAs"
