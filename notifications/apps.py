from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notifications: in-app and e-mail notices per user preference, and outbound webhooks."""

    name = "notifications"

    def ready(self) -> None:
        from core import permissions, registry

        office = permissions.has_office_powers
        registry.register_app(
            "notifications",
            url_prefix="notifications/",
            api="notifications.api.urls",
            menu_section="Notifications",
            menu=[
                ("My notifications", "notifications:notification_list"),
                ("Preferences", "notifications:preferences"),
                ("Webhooks", "notifications:webhooksubscription_list", office),
                ("Webhook deliveries", "notifications:webhookdelivery_list", office),
            ],
            demo="notifications.demo.seed_notifications",
        )
