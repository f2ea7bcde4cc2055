"""Routes of the notifications API under /api/v1/."""

from notifications.api import views


def register(router) -> None:
    router.register("notifications", views.NotificationViewSet, basename="notification")
    router.register("webhooks", views.WebhookSubscriptionViewSet, basename="webhook")
