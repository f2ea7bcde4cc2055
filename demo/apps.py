from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo seed and its commands; no models."""

    name = "demo"
    label = "demo"
    verbose_name = "Demo portfolio"
