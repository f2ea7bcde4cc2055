from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notifications: in-app and e-mail notices per user preference, and outbound webhooks."""

    name = "notifications"

    def ready(self) -> None:
        from core import registry, roles

        not_managers = (roles.VENDOR_MANAGER, roles.EXECUTIVE, roles.AUDITOR, roles.VENDOR_USER)
        registry.register_app(
            "notifications",
            url_prefix="notifications/",
            api="notifications.api.urls",
            menu_section="Notifications",
            menu=[
                ("My notifications", "notifications:notification_list"),
                ("Preferences", "notifications:preferences"),
                ("Webhooks", "notifications:webhooksubscription_list", not_managers),
                ("Webhook deliveries", "notifications:webhookdelivery_list", not_managers),
            ],
            demo="notifications.demo.seed_notifications",
        )
