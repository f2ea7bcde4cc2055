"""FilterSets of the notifications app, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q

from notifications import choices
from notifications.models import Notification, WebhookDelivery, WebhookSubscription


class NotificationFilterSet(django_filters.FilterSet):
    """The user's notifications by kind and read state; ``search`` in title and body."""

    search = django_filters.CharFilter(method="filter_search", label="Search")
    kind = django_filters.MultipleChoiceFilter(choices=choices.Kind.choices)
    unread = django_filters.BooleanFilter(
        field_name="read_at", lookup_expr="isnull", label="Unread"
    )

    class Meta:
        model = Notification
        fields = ["kind", "unread"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))


class WebhookSubscriptionFilterSet(django_filters.FilterSet):
    """Subscriptions by state and event; ``search`` in name and target."""

    search = django_filters.CharFilter(method="filter_search", label="Search")
    active = django_filters.BooleanFilter()
    event = django_filters.ChoiceFilter(
        choices=choices.Event.choices, method="filter_event", label="Event"
    )

    class Meta:
        model = WebhookSubscription
        fields = ["active"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(target_url__icontains=value))

    def filter_event(self, queryset, name, value):
        return queryset.filter(event_types__contains=[value])


class WebhookDeliveryFilterSet(django_filters.FilterSet):
    """The delivery log by subscription, event and status; ``search`` in the dedupe key."""

    search = django_filters.CharFilter(field_name="dedupe_key", lookup_expr="icontains")
    status = django_filters.MultipleChoiceFilter(choices=choices.DeliveryStatus.choices)
    event = django_filters.MultipleChoiceFilter(choices=choices.Event.choices)
    subscription = django_filters.ModelChoiceFilter(queryset=WebhookSubscription.objects.all())

    class Meta:
        model = WebhookDelivery
        fields = ["status", "event", "subscription"]
