"""Admin of the notifications app: subscriptions saved through the services (the SSRF
check and the admin-only ``allow_private`` apply here too); notifications and the
delivery log are read-only."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError

from notifications import services
from notifications.forms import WebhookSubscriptionForm
from notifications.models import Notification, WebhookDelivery, WebhookSubscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "user",
        "kind",
        "in_app",
        "email",
        "emailed_at",
        "read_at",
        "created_at",
    )
    list_filter = ("kind", "in_app", "email")
    search_fields = ("title", "dedupe_key", "user__username")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "subscription",
        "event",
        "status",
        "attempts",
        "response_code",
        "created_at",
    )
    list_filter = ("status", "event")
    search_fields = ("dedupe_key",)


class AdminSubscriptionForm(WebhookSubscriptionForm):
    """The page form, checked by the service so its errors land on the fields."""

    def __init__(self, *args, **kwargs):
        kwargs.pop("user", None)
        super().__init__(*args, user=self.request_user, **kwargs)

    def clean(self):
        data = super().clean()
        fields = {"name", "target_url", "event_types", "active", "allow_private"}
        try:
            services._check_subscription(
                {k: v for k, v in data.items() if k in fields},
                actor=self.request_user,
                current=self.instance if self.instance.pk else None,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("name", "target_url", "active", "allow_private", "created_at")
    list_filter = ("active", "allow_private")
    search_fields = ("name", "target_url")
    readonly_fields = ("secret",)

    def get_form(self, request, obj=None, **kwargs):
        attrs = {"request_user": request.user}
        form = type("BoundSubscriptionForm", (AdminSubscriptionForm,), attrs)
        kwargs["form"] = form
        kwargs["fields"] = ["name", "target_url", "event_types", "active", "allow_private"]
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in form.cleaned_data if k in form.fields}
        if change:
            services.webhook_subscription_update(
                actor=request.user, instance=WebhookSubscription.objects.get(pk=obj.pk), data=data
            )
        else:
            created = services.webhook_subscription_create(actor=request.user, data=data)
            obj.pk = created.pk
            obj._state.adding = False

    def delete_model(self, request, obj):
        services.webhook_subscription_delete(actor=request.user, instance=obj)
