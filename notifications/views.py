"""Pages of the notifications app: my notifications, preferences, webhooks and their log.

Notifications belong to one user, not to a vendor: their pages start from
``selectors.notification_list(user=…)`` (the user's own) instead of the
vendor-scoped ``restrict``. Webhook pages are for administrators and the
governance office only (``selectors.may_manage_webhooks``); anyone else gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View, generic
from django_filters.views import FilterView

from core.views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectHistoryView,
    ObjectListView,
    ObjectUpdateView,
)
from notifications import filters, forms, selectors, services, tables
from notifications.models import WebhookDelivery, WebhookSubscription

# --- My notifications ---------------------------------------------------------------


class NotificationListView(LoginRequiredMixin, FilterView):
    """The signed-in user's notifications, newest first, with mark read / mark all read."""

    template_name = "notifications/notification_list.html"
    filterset_class = filters.NotificationFilterSet
    paginate_by = 25

    def get_queryset(self):
        return selectors.notification_list(user=self.request.user)


class NotificationOpenView(LoginRequiredMixin, View):
    """Open one of my notifications: mark it read and go where it points (inside the site)."""

    def get(self, request, pk: int):
        note = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
        services.notification_mark_read(actor=request.user, ids=[note.pk])
        target = note.url
        if not target or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("notifications:notification_list")
        return HttpResponseRedirect(target)


class NotificationMarkReadView(LoginRequiredMixin, View):
    """POST: mark one (``pk``) or all of my notifications read, then back to the list."""

    def post(self, request, pk: int | None = None):
        count = services.notification_mark_read(
            actor=request.user, ids=[pk] if pk is not None else None
        )
        if pk is None:
            messages.success(request, f"{count} notification(s) marked read.")
        return HttpResponseRedirect(reverse("notifications:notification_list"))


class PreferencesView(LoginRequiredMixin, View):
    """Per kind: in-app, e-mail, both or none."""

    template_name = "notifications/preferences.html"

    def _form(self, data=None):
        rows = selectors.preferences_of(user=self.request.user)
        return forms.PreferencesForm(data, rows=rows)

    def get(self, request):
        return render(request, self.template_name, {"form": self._form(), "title": "Preferences"})

    def post(self, request):
        form = self._form(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        services.preferences_set(actor=request.user, choices_by_kind=form.choices_by_kind())
        messages.success(request, "Notification preferences saved.")
        return HttpResponseRedirect(reverse("notifications:preferences"))


# --- Webhooks -----------------------------------------------------------------------


class WebhookAccessMixin:
    """Administrators and the governance office only: everyone else is refused (403)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.may_manage_webhooks(user=request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return selectors.webhook_subscription_list(user=self.request.user)


class UserFormMixin:
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs


class WebhookSubscriptionListView(WebhookAccessMixin, ObjectListView):
    model = WebhookSubscription
    filterset_class = filters.WebhookSubscriptionFilterSet
    table_class = tables.WebhookSubscriptionTable

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = "Webhooks"
        return ctx


class WebhookSubscriptionDetailView(WebhookAccessMixin, ObjectDetailView):
    """A subscription: its target, events, secret (to verify signatures) and recent deliveries."""

    template_name = "notifications/webhooksubscription_detail.html"
    detail_fields = ["name", "target_url", "active", "allow_private", "created_by"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["deliveries"] = list(self.object.deliveries.order_by("-created_at", "-id")[:20])
        return ctx


class WebhookSubscriptionCreateView(WebhookAccessMixin, UserFormMixin, ObjectCreateView):
    model = WebhookSubscription
    form_class = forms.WebhookSubscriptionForm
    create_service = services.webhook_subscription_create


class WebhookSubscriptionUpdateView(WebhookAccessMixin, UserFormMixin, ObjectUpdateView):
    model = WebhookSubscription
    form_class = forms.WebhookSubscriptionForm
    update_service = services.webhook_subscription_update


class WebhookSubscriptionDeleteView(WebhookAccessMixin, ObjectDeleteView):
    model = WebhookSubscription
    delete_service = services.webhook_subscription_delete


class WebhookSubscriptionHistoryView(WebhookAccessMixin, ObjectHistoryView):
    model = WebhookSubscription


class WebhookSendTestView(WebhookAccessMixin, View):
    """POST: the "send test" button; queues a ping and shows the subscription again."""

    def post(self, request, pk: int):
        subscription = get_object_or_404(self.base_queryset(), pk=pk)
        delivery = services.webhook_send_test(actor=request.user, subscription=subscription)
        messages.success(request, f"Test delivery #{delivery.pk} queued.")
        return HttpResponseRedirect(subscription.get_absolute_url())


class WebhookDeliveryListView(WebhookAccessMixin, ObjectListView):
    """The delivery log with response codes; read-only."""

    model = WebhookDelivery
    filterset_class = filters.WebhookDeliveryFilterSet
    table_class = tables.WebhookDeliveryTable

    def base_queryset(self):
        return selectors.webhook_delivery_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_add"] = False  # deliveries are made by events, never typed in
        ctx["bulk_actions"] = []
        return ctx


class WebhookDeliveryDetailView(WebhookAccessMixin, generic.DetailView):
    """One delivery: payload, attempts, the last response code and excerpt."""

    template_name = "notifications/webhookdelivery_detail.html"

    def get_queryset(self):
        return selectors.webhook_delivery_list(user=self.request.user)
