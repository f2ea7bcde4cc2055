"""Reads of the governance app, each starting from the permission rule (``restrict``)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from core import charts
from core.permissions import VIEW, restrict, sees_internal
from governance.choices import ACTION_PENDING, CADENCE_MONTHS, EscalationStatus
from governance.models import (
    ActionItem,
    Decision,
    Escalation,
    EscalationLevel,
    EscalationPlan,
    EscalationTimelineEvent,
    Forum,
    Meeting,
)


def escalation_plan_list(*, user, action: str = VIEW) -> QuerySet[EscalationPlan]:
    """Plans ``user`` may see, with vendor, contract and levels (contacts loaded)."""
    levels = EscalationLevel.objects.select_related("contact_user", "contact").order_by("level")
    return restrict(
        EscalationPlan.objects.select_related("vendor", "contract").prefetch_related(
            Prefetch("levels", queryset=levels)
        ),
        user=user,
        action=action,
    )


def escalation_list(*, user, action: str = VIEW) -> QuerySet[Escalation]:
    """Escalations ``user`` may see, newest first, with their vendor and plan."""
    return restrict(
        Escalation.objects.select_related("vendor", "plan", "plan__contract"),
        user=user,
        action=action,
    )


def escalation_events(*, escalation: Escalation) -> list[EscalationTimelineEvent]:
    """The timeline of one escalation, oldest first."""
    return list(escalation.timeline.select_related("by").order_by("at", "id"))


def escalation_level_rows(*, escalation: Escalation) -> list[EscalationLevel]:
    """The plan's levels, for the escalation page (which one it is at)."""
    return list(escalation.plan.levels.select_related("contact_user", "contact").order_by("level"))


def forum_list(*, user, action: str = VIEW) -> QuerySet[Forum]:
    """Forums ``user`` may see, with the date of their latest meeting (``last_meeting``)."""
    return restrict(
        Forum.objects.select_related("vendor")
        .prefetch_related("members")
        .annotate(last_meeting=Max("meetings__date"), meeting_count=Count("meetings"))
        .order_by("name"),
        user=user,
        action=action,
    )


def next_meeting_due(*, cadence: str, last_meeting: date | None, today: date) -> date:
    """When a forum should meet next: one cadence step after its latest meeting;
    a forum that never met is due today."""
    if last_meeting is None:
        return today
    if cadence == "weekly":
        return last_meeting + timedelta(days=7)
    index = last_meeting.year * 12 + last_meeting.month - 1 + CADENCE_MONTHS[cadence]
    year, month = divmod(index, 12)
    day = min(last_meeting.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def meeting_list(*, user, action: str = VIEW) -> QuerySet[Meeting]:
    """Meetings ``user`` may see, newest first, with forum and vendor."""
    return restrict(
        Meeting.objects.select_related("forum", "vendor").prefetch_related(
            "attendees", Prefetch("decisions", queryset=Decision.objects.order_by("id"))
        ),
        user=user,
        action=action,
    )


def decisions_of_quarter(*, user, vendor_id: int, start: date, end: date) -> QuerySet[Decision]:
    """The decisions of a vendor's meetings in [start, end] (what the QBR reads)."""
    return restrict(Decision.objects.select_related("meeting", "meeting__forum"), user=user).filter(
        meeting__vendor_id=vendor_id, meeting__date__range=(start, end)
    )


def action_item_list(*, user, action: str = VIEW) -> QuerySet[ActionItem]:
    """Action items ``user`` may see (a representative: those of their vendor)."""
    return restrict(
        ActionItem.objects.select_related("owner", "vendor", "meeting", "escalation"),
        user=user,
        action=action,
    )


def overdue_q(today: date) -> Q:
    """Overdue: still open or in progress after the due date."""
    return Q(status__in=ACTION_PENDING, due_date__lt=today)


DASHBOARD_ROWS = 6


def _escalation_panel(*, user) -> dict:
    """Open escalations per level as bars, levels 1 to the highest open one (gaps at 0)."""
    escalations = escalation_list(user=user).filter(status=EscalationStatus.OPEN)
    counts = dict(
        escalations.order_by()
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    total = sum(counts.values())
    overdue = escalations.filter(overdue=True).count()
    url = reverse("governance:escalation_list") + "?status=open"
    levels = range(1, max(counts, default=0) + 1)
    bars = [(f"Level {level}", counts.get(level, 0)) for level in levels]
    chart_links = [
        (label, f"{url}&level={level}", f"{n} open")
        for level, (label, n) in zip(levels, bars, strict=True)
    ]
    if overdue:
        chart_links.append(("Overdue at the top level", f"{url}&overdue=true", f"{overdue}"))
    return {
        "title": "Open escalations by level",
        "count": total,
        "url": url,
        "tone": "bad" if overdue else ("warn" if total else "ok"),
        "chart": charts.single_bars(bars, title="Open escalations by level", name="Open", width=260)
        if total
        else "",
        "chart_links": chart_links,
        "rows": [],
    }


def dashboard_panels(*, user) -> list[dict]:
    """Two panels: open escalations by level (a bar chart), overdue action items.

    Each is a constant number of queries (two for the escalations, two for the
    actions), whatever the portfolio's size; each bar and row links to the
    escalation or action list filtered as it says.
    """
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    panels = []
    if sees_internal(user):  # escalations are the office's business, not the vendor's
        panels.append(_escalation_panel(user=user))
    late = action_item_list(user=user).filter(overdue_q(today))
    count = late.count()
    panels.append(
        {
            "title": "Overdue action items",
            "count": count,
            "url": reverse("governance:actionitem_list") + "?overdue=true",
            "tone": "bad" if count else "ok",
            "rows": [
                (
                    str(a),
                    a.get_absolute_url(),
                    f"due {a.due_date:%Y-%m-%d} · {a.owner.display_name}",
                )
                for a in late.order_by("due_date", "id")[:DASHBOARD_ROWS]
            ],
        }
    )
    return panels
