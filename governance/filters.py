"""One FilterSet per model, shared by the list pages and the API (``?search=`` included)."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from core import permissions
from core.filters import SearchFilterSet
from core.permissions import restrict
from governance import choices
from governance.models import ActionItem, Escalation, EscalationPlan, Forum, Meeting
from governance.selectors import overdue_q
from vendors.filters import DATE, _visible_vendors


def _people(request):
    """Active users as owner/member choices; a representative sees only themself."""
    user = getattr(request, "user", None)
    people = get_user_model().objects.filter(is_active=True)
    if permissions.is_vendor_side(user):
        return people.filter(pk=user.pk)
    return people


def _visible_forums(request):
    return restrict(Forum.objects.all(), user=getattr(request, "user", None))


class EscalationPlanFilterSet(SearchFilterSet):
    """Plans by vendor and contract."""

    search_fields = ("vendor__name", "contract__reference", "levels__name")
    vendor = django_filters.ModelChoiceFilter(queryset=_visible_vendors)
    contract = django_filters.NumberFilter(label="Contract id")

    class Meta:
        model = EscalationPlan
        fields = ["vendor", "consecutive_breaches"]

    def filter_search(self, queryset, name, value):
        return super().filter_search(queryset, name, value).distinct()


class EscalationFilterSet(SearchFilterSet):
    """Escalations by status, level, vendor, subject, overdue flag and opening date."""

    search_fields = ("title", "description", "vendor__name")
    status = django_filters.MultipleChoiceFilter(choices=choices.EscalationStatus.choices)
    subject_type = django_filters.MultipleChoiceFilter(choices=choices.SubjectType.choices)
    vendor = django_filters.ModelChoiceFilter(queryset=_visible_vendors)
    level = django_filters.NumberFilter()
    overdue = django_filters.BooleanFilter(label="Overdue at the top level")
    automatic = django_filters.BooleanFilter(
        field_name="sla", lookup_expr="isnull", exclude=True, label="Opened from SLA results"
    )
    opened_at = django_filters.DateFromToRangeFilter(**DATE)
    plan = django_filters.NumberFilter(label="Plan id")
    sla = django_filters.NumberFilter(label="SLA id")

    class Meta:
        model = Escalation
        fields = ["status", "subject_type", "vendor", "level", "overdue"]


class ForumFilterSet(SearchFilterSet):
    """Forums by kind, cadence, vendor and member."""

    search_fields = ("name", "description")
    kind = django_filters.MultipleChoiceFilter(choices=choices.ForumKind.choices)
    cadence = django_filters.MultipleChoiceFilter(choices=choices.Cadence.choices)
    vendor = django_filters.ModelChoiceFilter(queryset=_visible_vendors)
    members = django_filters.ModelChoiceFilter(queryset=_people, label="Member")

    class Meta:
        model = Forum
        fields = ["kind", "cadence", "vendor", "members"]


class MeetingFilterSet(SearchFilterSet):
    """Meetings by forum, vendor, kind and date."""

    search_fields = ("title", "agenda", "minutes", "forum__name", "vendor__name")
    forum = django_filters.ModelChoiceFilter(queryset=_visible_forums)
    vendor = django_filters.ModelChoiceFilter(queryset=_visible_vendors)
    kind = django_filters.MultipleChoiceFilter(choices=choices.MeetingKind.choices)
    date = django_filters.DateFromToRangeFilter(**DATE)

    class Meta:
        model = Meeting
        fields = ["forum", "vendor", "kind", "date"]


class ActionItemFilterSet(SearchFilterSet):
    """The action log by status, priority, owner, vendor, links, due date; ``overdue``; ``mine``."""

    search_fields = ("title", "description", "note", "vendor__name")
    status = django_filters.MultipleChoiceFilter(choices=choices.ActionStatus.choices)
    priority = django_filters.MultipleChoiceFilter(choices=choices.Priority.choices)
    vendor = django_filters.ModelChoiceFilter(queryset=_visible_vendors)
    owner = django_filters.ModelChoiceFilter(queryset=_people)
    due_date = django_filters.DateFromToRangeFilter(**DATE)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue")
    mine = django_filters.BooleanFilter(method="filter_mine", label="Mine")
    # Linked rows by id: a drop-down would list other vendors' meetings and breaches.
    meeting = django_filters.NumberFilter(label="Meeting id")
    breach = django_filters.NumberFilter(label="Breach id")
    escalation = django_filters.NumberFilter(label="Escalation id")
    risk = django_filters.NumberFilter(label="Risk id")
    finding = django_filters.NumberFilter(label="Finding id")

    class Meta:
        model = ActionItem
        fields = ["status", "priority", "vendor", "owner"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = overdue_q(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        return queryset.filter(Q(owner=user)) if value else queryset.exclude(owner=user)
