"""Pages of the notifications app under /notifications/."""

from __future__ import annotations

from django.urls import path

from core.routing import crud_paths
from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notification_list"),
    path("<int:pk>/open/", views.NotificationOpenView.as_view(), name="notification_open"),
    path("<int:pk>/read/", views.NotificationMarkReadView.as_view(), name="notification_read"),
    path("read-all/", views.NotificationMarkReadView.as_view(), name="notification_read_all"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    *crud_paths(
        "webhooks",
        "webhooksubscription",
        views.WebhookSubscriptionListView,
        views.WebhookSubscriptionDetailView,
        views.WebhookSubscriptionCreateView,
        views.WebhookSubscriptionUpdateView,
        views.WebhookSubscriptionDeleteView,
        views.WebhookSubscriptionHistoryView,
    ),
    path("webhooks/<int:pk>/test/", views.WebhookSendTestView.as_view(), name="webhook_test"),
    path("deliveries/", views.WebhookDeliveryListView.as_view(), name="webhookdelivery_list"),
    path(
        "deliveries/<int:pk>/",
        views.WebhookDeliveryDetailView.as_view(),
        name="webhookdelivery_detail",
    ),
]
