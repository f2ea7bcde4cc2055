from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notifications: in-app and e-mail notices per user preference, and outbound webhooks."""

    name = "notifications"

    def ready(self) -> None:
        from core import registry

        registry.register_app("notifications")
