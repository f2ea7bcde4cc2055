from django.apps import AppConfig


class VendorsConfig(AppConfig):
    """Vendors: the register, tiers, certifications and the communication matrix."""

    name = "vendors"
