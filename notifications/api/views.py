"""API viewsets of the notifications app.

``notifications``: the requesting user's own in-app notifications (nobody
else's, whatever the role), read-only but for the ``read`` actions.
``webhooks``: subscriptions, for administrators and the governance office
only (403 for every other role), with ``test`` and ``deliveries``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import ScopedModelViewSet
from notifications import filters, selectors, services
from notifications.api import serializers
from notifications.models import Notification, WebhookSubscription


class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The user's own notifications, newest first; ``?unread=true``, ``?kind=``."""

    queryset = Notification.objects.none()
    serializer_class = serializers.NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = filters.NotificationFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "created_at", "kind"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return selectors.notification_list(user=self.request.user)

    @extend_schema(request=None, responses=serializers.MarkedSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark this notification read."""
        note = self.get_object()
        marked = services.notification_mark_read(actor=request.user, ids=[note.pk])
        return Response({"marked": marked})

    @extend_schema(request=serializers.MarkReadSerializer, responses=serializers.MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark ``ids`` (or every unread notification) read."""
        payload = serializers.MarkReadSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        ids = payload.validated_data.get("ids")
        marked = services.notification_mark_read(actor=request.user, ids=ids)
        return Response({"marked": marked})


class WebhookManagers(permissions.BasePermission):
    """Administrators and the governance office; everyone else 403."""

    def has_permission(self, request, view) -> bool:
        return bool(
            request.user
            and request.user.is_authenticated
            and selectors.may_manage_webhooks(user=request.user)
        )


class WebhookSubscriptionViewSet(ScopedModelViewSet):
    """Webhook subscriptions; ``POST …/{id}/test/`` sends a ping, ``…/{id}/deliveries/`` the log."""

    queryset = WebhookSubscription.objects.none()
    serializer_class = serializers.WebhookSubscriptionSerializer
    permission_classes = [WebhookManagers]
    filterset_class = filters.WebhookSubscriptionFilterSet
    search_fields: list[str] = []
    ordering_fields = ["id", "name", "created_at"]
    ordering = ["name"]
    create_service = services.webhook_subscription_create
    update_service = services.webhook_subscription_update
    delete_service = services.webhook_subscription_delete

    def get_queryset(self):
        return selectors.webhook_subscription_list(user=self.request.user)

    @extend_schema(request=None, responses={202: serializers.WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        """Queue a ``ping`` delivery to this subscription (202)."""
        delivery = services.webhook_send_test(actor=request.user, subscription=self.get_object())
        body = serializers.WebhookDeliverySerializer(delivery).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=serializers.WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """This subscription's delivery log, newest first (paginated)."""
        subscription = self.get_object()
        rows = selectors.webhook_delivery_list(user=request.user).filter(subscription=subscription)
        page = self.paginate_queryset(rows)
        data = serializers.WebhookDeliverySerializer(page, many=True).data
        return self.get_paginated_response(data)
