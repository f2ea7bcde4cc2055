"""Writes of the governance app: escalation plans and escalations, forums, meetings and
decisions, action items and their reminders.

Keyword-only, validated through ``full_clean`` (``core.services``), atomic. The
automatic side of escalations (opening from SLA results, moving at due times)
is set-based SQL in ``governance.escalation``; this module holds what people
do: open by hand, acknowledge, resolve, note.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from core import permissions
from core.jobs import job_now
from core.services import model_create, model_delete, model_update
from governance import notifying
from governance.choices import (
    VENDOR_USER_EDITABLE,
    ActionStatus,
    EscalationStatus,
    EventKind,
    SubjectType,
)
from governance.escalation import escalations_advance
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

# --- Escalation plans ---------------------------------------------------------------

LEVEL_FIELDS = ("level", "name", "contact_user", "contact", "response_hours", "is_executive")


def _pk(value) -> int | None:
    return getattr(value, "pk", value)


def escalation_levels_check(*, vendor_id: int | None, levels: list[dict[str, Any]]) -> None:
    """Field errors of a plan's levels: numbered 1, 2, … without gaps; exactly one
    executive; each with one contact (a user or a contact of the plan's vendor)."""
    if not levels:
        raise ValidationError({"levels": "A plan needs at least one level."})
    numbers = sorted(int(lv.get("level") or 0) for lv in levels)
    if numbers != list(range(1, len(levels) + 1)):
        raise ValidationError({"levels": "Levels are numbered 1, 2, 3 … without gaps or repeats."})
    if sum(1 for lv in levels if lv.get("is_executive")) != 1:
        raise ValidationError({"levels": "Exactly one level is the escalation executive."})
    for lv in levels:
        user, contact = lv.get("contact_user"), lv.get("contact")
        if (user is None) == (contact is None):
            raise ValidationError(
                {"levels": f"Level {lv['level']}: name either a user or a contact."}
            )
        if contact is not None and not hasattr(contact, "vendor_id"):
            from vendors.models import Contact

            contact = Contact.objects.filter(pk=contact).first()
        if contact is not None and contact.vendor_id != vendor_id:
            raise ValidationError(
                {"levels": f"Level {lv['level']}: the contact belongs to another vendor."}
            )
        if int(lv.get("response_hours") or 0) < 1:
            raise ValidationError({"levels": f"Level {lv['level']}: respond within ≥ 1 hour."})


def _plan_check(data: dict[str, Any], instance: EscalationPlan | None = None) -> None:
    contract = data.get("contract", getattr(instance, "contract", None))
    vendor_id = _pk(data.get("vendor", getattr(instance, "vendor_id", None)))
    if contract is not None:
        from contracts.models import Contract

        contract_vendor = Contract.objects.filter(pk=_pk(contract)).values_list(
            "vendor_id", flat=True
        )
        if list(contract_vendor) != [vendor_id]:
            raise ValidationError({"contract": "The contract belongs to another vendor."})


def _save_levels(plan: EscalationPlan, levels: list[dict[str, Any]]) -> None:
    """Replace the plan's levels by ``levels`` (validated as a whole first)."""
    escalation_levels_check(vendor_id=plan.vendor_id, levels=levels)
    plan.levels.all().delete()
    for lv in levels:
        model_create(
            model=EscalationLevel,
            data={"plan": plan, **{k: lv.get(k) for k in LEVEL_FIELDS if k in lv}},
        )


@transaction.atomic
def escalation_plan_create(*, actor=None, data: dict[str, Any]) -> EscalationPlan:
    """Create a vendor's (or a contract's) escalation plan with its ``levels`` (list of dicts)."""
    data = dict(data)
    levels = data.pop("levels", None)
    _plan_check(data)
    plan = model_create(model=EscalationPlan, data=data)
    _save_levels(plan, levels or [])
    return plan


@transaction.atomic
def escalation_plan_update(
    *, instance: EscalationPlan, actor=None, data: dict[str, Any]
) -> EscalationPlan:
    """Change a plan; ``levels``, when given, replace the plan's levels as a whole.

    Escalations already under way keep their level number; they move on with
    the new levels' hours from their next due time.
    """
    data = dict(data)
    levels = data.pop("levels", None)
    _plan_check(data, instance)
    plan = model_update(instance=instance, data=data)
    if levels is not None:
        _save_levels(plan, levels)
    return plan


def escalation_plan_delete(*, instance: EscalationPlan, actor=None) -> None:
    """Delete a plan (refused while escalations refer to it: ProtectedError)."""
    model_delete(instance=instance)


# --- Escalations ----------------------------------------------------------------------


def _subject_check(*, subject_type: str, subject_id: int | None, vendor_id: int) -> None:
    """A breach or action item subject must exist and belong to the escalation's vendor."""
    if subject_type == SubjectType.OTHER:
        return
    if subject_id is None:
        raise ValidationError({"subject_id": "Name the subject's id."})
    if subject_type == SubjectType.BREACH:
        from slas.models import Breach

        found = Breach.objects.filter(pk=subject_id, sla__contract__vendor_id=vendor_id)
    elif subject_type == SubjectType.ACTION_ITEM:
        found = ActionItem.objects.filter(pk=subject_id, vendor_id=vendor_id)
    else:
        from risks.models import Risk

        found = Risk.objects.filter(pk=subject_id, vendor_id=vendor_id)
    if not found.exists():
        raise ValidationError(
            {"subject_id": f"No {subject_type.replace('_', ' ')} {subject_id} of this vendor."}
        )


def _event(escalation: Escalation, *, kind: str, at: datetime, by=None, note: str = ""):
    return EscalationTimelineEvent.objects.create(
        escalation=escalation,
        kind=kind,
        at=at,
        level=escalation.level,
        by=by if getattr(by, "pk", None) else None,
        note=note,
    )


@transaction.atomic
def escalation_create(
    *, actor=None, data: dict[str, Any], at: datetime | str | None = None
) -> Escalation:
    """Open an escalation by hand: at level 1 of the plan (default: the vendor's plan),
    due after level 1's response hours."""
    data = dict(data)
    vendor_id = _pk(data.get("vendor"))
    plan = data.get("plan")
    if plan is None and vendor_id is not None:
        plan = EscalationPlan.objects.filter(vendor_id=vendor_id, contract=None).first()
        if plan is None:
            raise ValidationError({"plan": "This vendor has no escalation plan; create one first."})
        data["plan"] = plan
    if plan is not None and not isinstance(plan, EscalationPlan):
        plan = EscalationPlan.objects.filter(pk=plan).first()
    if plan is not None and plan.vendor_id != vendor_id:
        raise ValidationError({"plan": "The plan belongs to another vendor."})
    first = plan.levels.filter(level=1).first() if plan is not None else None
    if plan is not None and first is None:
        raise ValidationError({"plan": "The plan has no levels."})
    subject_type = data.get("subject_type") or SubjectType.OTHER
    if vendor_id is not None:
        _subject_check(
            subject_type=subject_type, subject_id=data.get("subject_id"), vendor_id=vendor_id
        )
    moment = job_now(at)
    for name in ("sla", "streak_start", "trigger_period", "level", "status", "overdue"):
        data.pop(name, None)  # set by the engine, never typed in
    hours = first.response_hours if first is not None else 0
    escalation = model_create(
        model=Escalation,
        data={
            **data,
            "subject_type": subject_type,
            "opened_at": moment,
            "due_at": moment + timedelta(hours=hours),
            "opened_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    _event(escalation, kind=EventKind.OPENED, at=moment, by=actor, note="Opened by hand.")
    notifying.escalation_events_notify(escalation_ids=[escalation.pk])
    return escalation


def escalation_update(*, instance: Escalation, actor=None, data: dict[str, Any]) -> Escalation:
    """Change an escalation's title and description; its level and status move only
    through the engine, ``escalation_acknowledge`` and ``escalation_resolve``."""
    allowed = {k: v for k, v in data.items() if k in ("title", "description")}
    return model_update(instance=instance, data=allowed)


def _locked(escalation: Escalation) -> Escalation:
    return Escalation.objects.select_for_update().get(pk=escalation.pk)


@transaction.atomic
def escalation_acknowledge(
    *, escalation: Escalation, actor=None, note: str = "", at: datetime | str | None = None
) -> Escalation:
    """Acknowledge an open escalation: it stops climbing.

    Moves whose due time passed before ``at`` happened (the job may not have
    run yet): they are recorded first, at their due times, so the timeline
    says who had it when it was acknowledged.
    """
    moment = job_now(at)
    escalations_advance(now=moment, escalation_ids=[escalation.pk])
    current = _locked(escalation)
    if current.status != EscalationStatus.OPEN:
        raise ValidationError(
            {
                "status": f"Only an open escalation can be acknowledged "
                f"(this one is {current.get_status_display().lower()})."
            }
        )
    current.status = EscalationStatus.ACKNOWLEDGED
    current.acknowledged_at = moment
    current.save(update_fields=["status", "acknowledged_at", "updated_at"])
    _event(current, kind=EventKind.ACKNOWLEDGED, at=moment, by=actor, note=note)
    notifying.escalation_events_notify(escalation_ids=[current.pk])
    return current


@transaction.atomic
def escalation_resolve(
    *, escalation: Escalation, actor=None, note: str = "", at: datetime | str | None = None
) -> Escalation:
    """Resolve an open or acknowledged escalation: it is closed."""
    moment = job_now(at)
    escalations_advance(now=moment, escalation_ids=[escalation.pk])
    current = _locked(escalation)
    if current.status == EscalationStatus.RESOLVED:
        raise ValidationError({"status": "This escalation is already resolved."})
    current.status = EscalationStatus.RESOLVED
    current.resolved_at = moment
    current.overdue = False
    current.save(update_fields=["status", "resolved_at", "overdue", "updated_at"])
    _event(current, kind=EventKind.RESOLVED, at=moment, by=actor, note=note)
    notifying.escalation_events_notify(escalation_ids=[current.pk])
    return current


@transaction.atomic
def escalation_note(*, escalation: Escalation, actor=None, note: str) -> EscalationTimelineEvent:
    """Add a note to an escalation's timeline."""
    if not (note or "").strip():
        raise ValidationError({"note": "Write the note."})
    return _event(escalation, kind=EventKind.NOTE, at=timezone.now(), by=actor, note=note.strip())


def escalation_delete(*, instance: Escalation, actor=None) -> None:
    """Delete an escalation opened in error (its timeline goes with it; the audit trail stays)."""
    model_delete(instance=instance)


# --- Forums, meetings, decisions ------------------------------------------------------


def forum_create(*, actor=None, data: dict[str, Any]) -> Forum:
    """Set up a governance forum with its members and cadence."""
    return model_create(model=Forum, data=data)


def forum_update(*, instance: Forum, actor=None, data: dict[str, Any]) -> Forum:
    """Change a forum (its members, cadence …)."""
    return model_update(instance=instance, data=data)


def forum_delete(*, instance: Forum, actor=None) -> None:
    """Delete a forum (refused while it has meetings)."""
    model_delete(instance=instance)


def _decisions_check(decisions: list[dict[str, Any]]) -> None:
    for index, item in enumerate(decisions):
        if not str(item.get("text") or "").strip():
            raise ValidationError({"decisions": f"Decision {index + 1}: write what was decided."})


def _save_decisions(meeting: Meeting, decisions: list[dict[str, Any]]) -> None:
    """Replace the meeting's decisions; each defaults to the meeting's date."""
    _decisions_check(decisions)
    meeting.decisions.all().delete()
    for item in decisions:
        model_create(
            model=Decision,
            data={
                "meeting": meeting,
                "text": str(item["text"]).strip(),
                "decided_at": item.get("decided_at") or meeting.date,
            },
        )


def _meeting_check(data: dict[str, Any], instance: Meeting | None = None) -> None:
    forum = data.get("forum", getattr(instance, "forum", None))
    vendor_id = _pk(data.get("vendor", getattr(instance, "vendor_id", None)))
    if forum is not None and not isinstance(forum, Forum):
        forum = Forum.objects.filter(pk=forum).first()
    if forum is not None and forum.vendor_id and vendor_id and forum.vendor_id != vendor_id:
        raise ValidationError({"vendor": "The forum governs another vendor."})


@transaction.atomic
def meeting_create(*, actor=None, data: dict[str, Any]) -> Meeting:
    """Record a meeting; ``decisions`` (list of {text, decided_at}) become Decision rows."""
    data = dict(data)
    decisions = data.pop("decisions", None)
    if not data.get("vendor") and isinstance(data.get("forum"), Forum):
        data["vendor"] = data["forum"].vendor
    _meeting_check(data)
    meeting = model_create(model=Meeting, data=data)
    if decisions:
        _save_decisions(meeting, decisions)
    return meeting


@transaction.atomic
def meeting_update(*, instance: Meeting, actor=None, data: dict[str, Any]) -> Meeting:
    """Change a meeting; ``decisions``, when given, replace its decisions."""
    data = dict(data)
    decisions = data.pop("decisions", None)
    _meeting_check(data, instance)
    meeting = model_update(instance=instance, data=data)
    if decisions is not None:
        _save_decisions(meeting, decisions)
    return meeting


def meeting_delete(*, instance: Meeting, actor=None) -> None:
    """Delete a meeting with its decisions (its action items stay, unlinked)."""
    model_delete(instance=instance)


# --- Action items -------------------------------------------------------------------

VENDOR_USER_FIELDS = frozenset(VENDOR_USER_EDITABLE)


def _is_vendor_user(actor) -> bool:
    return permissions.is_vendor_side(actor)


def _links_check(data: dict[str, Any], vendor_id: int | None) -> None:
    """Linked meeting, breach and escalation must concern the item's vendor."""
    checks = (
        ("meeting", "vendor_id"),
        ("escalation", "vendor_id"),
        ("breach", "sla__contract__vendor_id"),
        ("risk", "vendor_id"),
        ("finding", "assessment__vendor_id"),
    )
    for name, path in checks:
        value = data.get(name)
        if value is None or vendor_id is None:
            continue
        model = ActionItem._meta.get_field(name).related_model
        owner = model.objects.filter(pk=_pk(value)).values_list(path, flat=True).first()
        if owner is not None and owner != vendor_id:
            raise ValidationError({name: f"The {name} concerns another vendor."})


def _completion(data: dict[str, Any], before: str | None) -> dict[str, Any]:
    status = data.get("status")
    if status is None or status == before:
        return data
    done = status in (ActionStatus.DONE, ActionStatus.CANCELLED)
    return {**data, "completed_at": timezone.now() if done else None}


@transaction.atomic
def action_item_create(*, actor=None, data: dict[str, Any]) -> ActionItem:
    """Add an item to the action log; its owner is notified (once)."""
    if _is_vendor_user(actor):
        raise PermissionDenied("Vendor representatives update action items; they do not add them.")
    data = _completion(dict(data), None)
    _links_check(data, _pk(data.get("vendor")))
    item = model_create(model=ActionItem, data=data)
    transaction.on_commit(lambda: notifying.action_item_changed(item=item, assigned=True))
    return item


@transaction.atomic
def action_item_update(*, instance: ActionItem, actor=None, data: dict[str, Any]) -> ActionItem:
    """Change an action item. A vendor representative may change its status and note only.

    A new owner is notified; every change goes to the ``action_item.changed`` webhook.
    """
    before = ActionItem.objects.select_for_update().values("status", "owner_id").get(pk=instance.pk)
    if _is_vendor_user(actor):
        current = {f: getattr(instance, f) for f in data}
        refused = sorted(
            name
            for name, value in data.items()
            if name not in VENDOR_USER_FIELDS and _pk(value) != _pk(current.get(name))
        )
        if refused:
            raise ValidationError(
                dict.fromkeys(
                    refused, "Vendor representatives may change only the status and note."
                )
            )
    data = _completion(dict(data), before["status"])
    _links_check(data, _pk(data.get("vendor", instance.vendor_id)))
    item = model_update(instance=instance, data=data)
    assigned = item.owner_id != before["owner_id"]
    transaction.on_commit(lambda: notifying.action_item_changed(item=item, assigned=assigned))
    return item


def action_item_delete(*, instance: ActionItem, actor=None) -> None:
    """Remove an action item (the governance office's; representatives cannot)."""
    if _is_vendor_user(actor):
        raise PermissionDenied("Vendor representatives cannot delete action items.")
    model_delete(instance=instance)


REMIND_DAYS_BEFORE = 3

_REMINDERS_SQL = """
INSERT INTO governance_actionreminder (action_item_id, due_date, kind, sent_on)
SELECT a.id, a.due_date,
       CASE WHEN a.due_date < %(today)s THEN 'overdue' ELSE 'due' END, %(today)s
FROM governance_actionitem a
WHERE a.status IN ('open', 'in_progress') AND a.due_date <= %(horizon)s
ON CONFLICT DO NOTHING
RETURNING action_item_id, kind
"""


def action_items_remind(*, today: date, days_before: int = REMIND_DAYS_BEFORE) -> dict[str, int]:
    """Remind owners of the action items falling due within ``days_before`` days and of
    those overdue; each reminder once per item, due date and kind (idempotent)."""
    from notifications.services import notify

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                _REMINDERS_SQL, {"today": today, "horizon": today + timedelta(days=days_before)}
            )
            sent = dict(cursor.fetchall())
        items = ActionItem.objects.filter(pk__in=sent).select_related("owner", "vendor")
        counts = {"due": 0, "overdue": 0}
        for item in items:
            kind = sent[item.pk]
            counts[kind] += 1
            if kind == "overdue":
                title = f"Action overdue since {item.due_date:%Y-%m-%d}: {item.title}"
            else:
                title = f"Action due {item.due_date:%Y-%m-%d}: {item.title}"
            notify(
                kind=f"action_{kind}",
                users=[item.owner],
                title=title[:300],
                body=f"{item.vendor} — priority {item.get_priority_display().lower()}.",
                url=item.get_absolute_url(),
                dedupe_key=f"action_{kind}:{item.pk}:{item.due_date.isoformat()}",
            )
    return counts
