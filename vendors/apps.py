from django.apps import AppConfig


class VendorsConfig(AppConfig):
    """Vendors: the register, tiers, certifications and the communication matrix."""

    name = "vendors"

    def ready(self) -> None:
        from core import registry

        registry.register_app(
            "vendors",
            url_prefix="vendors/",
            api="vendors.api.urls",
            search="vendors.search.search",
            panels="vendors.selectors.dashboard_panels",
            menu_section="Vendors",
            menu=[
                ("Vendors", "vendors:vendor_list"),
                ("Certifications", "vendors:certification_list"),
                ("Contacts", "vendors:contact_list"),
            ],
        )
