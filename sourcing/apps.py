from django.apps import AppConfig


class SourcingConfig(AppConfig):
    """Sourcing: vendor selection events, weighted scoring, the award and the transition in."""

    name = "sourcing"
