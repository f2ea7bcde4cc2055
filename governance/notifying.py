"""Notifications and webhooks of governance events, each sent once (``notifications`` app).

Escalation events are notified from their rows: every event that needs a
notice is sent by ``escalation_events_notify`` and marked ``notified_at``;
the advance job sweeps the unmarked ones each run, so a notice lost with a
crashed worker goes out on the next run. The dedupe keys make a second
sending of the same event harmless (``notifications.services.notify``).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from governance.choices import EventKind
from governance.models import ActionItem, EscalationLevel, EscalationTimelineEvent

# event kind -> (notification kind or None, webhook event or None)
EVENT_SIGNALS = {
    EventKind.OPENED: ("escalation_opened", "escalation.opened"),
    EventKind.ESCALATED: ("escalation_moved", "escalation.moved"),
    EventKind.RESOLVED: (None, "escalation.resolved"),
}
NOTIFY_BATCH = 500


def _level_recipients(level: EscalationLevel | None, escalation) -> list:
    """Who hears of an escalation at ``level``: its user, else the vendor's relationship owner.

    A level whose contact is a person of the communication matrix (no login)
    is told through the vendor's relationship owner, who knows whom to call.
    """
    if level is not None and level.contact_user is not None:
        return [level.contact_user]
    owner = escalation.vendor.relationship_owner
    return [owner] if owner is not None else []


def escalation_payload(escalation, *, level: int | None = None) -> dict:
    """The webhook payload of an escalation (DESIGN.md section 6 field names)."""
    return {
        "id": escalation.pk,
        "vendor": escalation.vendor_id,
        "plan": escalation.plan_id,
        "subject_type": escalation.subject_type,
        "subject_id": escalation.subject_id,
        "title": escalation.title,
        "level": level if level is not None else escalation.level,
        "status": escalation.status,
        "opened_at": escalation.opened_at.isoformat(),
        "due_at": escalation.due_at.isoformat(),
    }


def escalation_events_notify(*, escalation_ids: list[int] | None = None) -> int:
    """Send the notices of escalation events not yet notified (those of ``escalation_ids``,
    or the oldest batch of all); returns how many events were handled. Safe to run twice."""
    from notifications.services import notify, webhook_event

    events = EscalationTimelineEvent.objects.filter(notified_at=None).select_related(
        "escalation__vendor__relationship_owner"
    )
    if escalation_ids is not None:
        events = events.filter(escalation_id__in=escalation_ids)
    events = list(events.order_by("id")[:NOTIFY_BATCH])
    if not events:
        return 0
    plan_ids = {e.escalation.plan_id for e in events}
    levels = {
        (lv.plan_id, lv.level): lv
        for lv in EscalationLevel.objects.filter(plan_id__in=plan_ids).select_related(
            "contact_user"
        )
    }
    for event in events:
        kind, hook = EVENT_SIGNALS.get(event.kind, (None, None))
        escalation = event.escalation
        key = f"escalation:{escalation.pk}:{event.kind}:{event.level}"
        url = reverse("governance:escalation_detail", args=[escalation.pk])
        level = levels.get((escalation.plan_id, event.level))
        if kind is not None:
            label = f"level {event.level}" + (f" ({level.name})" if level else "")
            verb = "opened" if event.kind == EventKind.OPENED else "escalated to you"
            notify(
                kind=kind,
                users=_level_recipients(level, escalation),
                title=f"Escalation {verb}: {escalation.title}"[:300],
                body=f"{escalation.vendor} — {label}, at {event.at:%Y-%m-%d %H:%M} UTC.",
                url=url,
                dedupe_key=key,
            )
        if hook is not None:
            payload = escalation_payload(escalation, level=event.level)
            payload["event_at"] = event.at.isoformat()
            webhook_event(event=hook, payload=payload, dedupe_key=key)
    EscalationTimelineEvent.objects.filter(pk__in=[e.pk for e in events]).update(
        notified_at=timezone.now()
    )
    return len(events)


def action_item_payload(item: ActionItem) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "owner": item.owner_id,
        "vendor": item.vendor_id,
        "due_date": item.due_date.isoformat(),
        "priority": item.priority,
        "status": item.status,
        "meeting": item.meeting_id,
        "breach": item.breach_id,
        "escalation": item.escalation_id,
        "risk": item.risk_id,
        "finding": item.finding_id,
    }


def action_item_changed(*, item: ActionItem, assigned: bool) -> None:
    """Webhook ``action_item.changed`` for this version of the item; notify a new owner."""
    from notifications.services import notify, webhook_event

    stamp = item.updated_at.isoformat()
    webhook_event(
        event="action_item.changed",
        payload=action_item_payload(item),
        dedupe_key=f"action_item:{item.pk}:{stamp}",
    )
    if assigned:
        notify(
            kind="action_assigned",
            users=[item.owner],
            title=f"Action assigned to you: {item.title}"[:300],
            body=f"{item.vendor} — due {item.due_date:%Y-%m-%d}, priority {item.priority}.",
            url=item.get_absolute_url(),
            dedupe_key=f"action_assigned:{item.pk}:{item.owner_id}",
        )


def breach_signals(*, changed_since, window_start) -> int:
    """After an evaluation: ``breach.opened`` / ``breach.changed`` webhooks for the breaches
    it wrote, and a ``critical_breach`` notice for each new critical one; once each.

    Written since ``changed_since`` (the evaluation's start) and of periods that
    ended on or after ``window_start`` (the escalations' quarter: a first
    evaluation of years of history is not news). A new breach is "opened";
    one changed (severity, actual, withdrawn, re-opened) is "changed", once
    per version. The critical notice goes to the vendor's relationship owner,
    or to the governance office when the vendor has none. Returns how many
    breaches were signalled.
    """
    from django.contrib.auth import get_user_model

    from core import permissions
    from notifications.models import WebhookSubscription
    from notifications.services import notify, webhook_event
    from slas.models import Breach

    breaches = Breach.objects.filter(
        updated_at__gte=changed_since, period_end__gte=window_start
    ).select_related("sla__contract__vendor__relationship_owner")
    hooks = WebhookSubscription.objects.filter(
        active=True, event_types__overlap=["breach.opened", "breach.changed"]
    ).exists()
    office = None
    count = 0
    for breach in breaches.order_by("id").iterator(chunk_size=2000):
        count += 1
        new = breach.created_at >= changed_since
        if hooks:
            key = (
                f"breach:{breach.pk}:opened"
                if new
                else f"breach:{breach.pk}:{breach.status}:{breach.updated_at.isoformat()}"
            )
            webhook_event(
                event="breach.opened" if new else "breach.changed",
                payload=_breach_payload(breach),
                dedupe_key=key,
            )
        if new and breach.severity == "critical":
            owner = breach.sla.contract.vendor.relationship_owner
            if owner is None and office is None:
                office = list(
                    permissions.office_staff(get_user_model().objects.filter(is_active=True))
                )
            notify(
                kind="critical_breach",
                users=[owner] if owner is not None else office,
                title=f"Critical breach: {breach.sla} ({breach.sla.contract.vendor})"[:300],
                body=f"Period {breach.period_start} – {breach.period_end}: actual {breach.actual}.",
                url=breach.get_absolute_url(),
                dedupe_key=f"critical_breach:{breach.pk}",
            )
    return count


def _breach_payload(breach) -> dict:
    """A breach as DESIGN.md section 6 names its fields."""
    return {
        "id": breach.pk,
        "sla": breach.sla_id,
        "vendor": breach.sla.contract.vendor_id,
        "period_start": breach.period_start.isoformat(),
        "period_end": breach.period_end.isoformat(),
        "actual": str(breach.actual),
        "severity": breach.severity,
        "status": breach.status,
        "credit": str(breach.credit),
        "credit_earned_back": breach.credit_earned_back,
    }


def breach_workflow_changed(sender=None, *, breach, transition, action: str, **kwargs) -> int:
    """Receiver of ``slas.signals.breach_changed``: one ``breach.changed`` webhook per move.

    Runs inside the move's transaction, so the deliveries commit with it (and
    are queued for sending after the commit) or vanish with a rolled-back
    move. The dedupe key names the transition: the same move signalled again
    queues nothing. The payload is the breach as it is after the move, plus
    the move itself and the workflow fields it may have set.
    """
    from notifications.models import WebhookSubscription
    from notifications.services import webhook_event

    if not WebhookSubscription.objects.filter(
        active=True, event_types__contains=["breach.changed"]
    ).exists():
        return 0
    payload = _breach_payload(breach)
    payload.update(
        action=action,
        from_status=transition.from_status,
        changed_at=transition.at.isoformat(),
        changed_by=transition.actor_id,
        note=transition.note,
        root_cause=breach.root_cause,
        corrective_action=breach.corrective_action,
        remediation_owner=breach.remediation_owner,
        remediation_due=breach.remediation_due.isoformat() if breach.remediation_due else None,
        waiver_reason=breach.waiver_reason,
    )
    return webhook_event(
        event="breach.changed",
        payload=payload,
        dedupe_key=f"breach:{breach.pk}:move:{transition.pk}",
    )
