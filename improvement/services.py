"""Writes of the improvement programme: assessments, goals and their agreement,
issue-list publications, health surveys and ideas.

Who may do what (DESIGN.md section 7) comes from ``core.permissions``; on top
of it, the rules of each side: the client agrees a goal for the client and a
vendor representative for the vendor; a vendor representative answers only
the vendor side of the survey and proposes ideas (the client side decides).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core import permissions
from core.services import model_create, model_delete, model_update
from improvement import choices
from improvement.models import (
    Goal,
    HealthSurvey,
    Idea,
    IssueListPublication,
    KeyIssue,
    SituationAssessment,
)

log = logging.getLogger(__name__)

# A change to any of these is a change to what was agreed: both agreements lapse.
GOAL_TERMS = (
    "vendor",
    "contract",
    "title",
    "description",
    "kind",
    "baseline_value",
    "target_value",
    "unit",
    "target_date",
)
AGREEMENT_FIELDS = ("client_agreed_by", "client_agreed_at", "vendor_agreed_by", "vendor_agreed_at")


def _is_vendor_user(actor) -> bool:
    return permissions.is_vendor_side(actor)


def _may_change(actor, instance) -> bool:
    return permissions.restrict(
        type(instance).objects.filter(pk=instance.pk), user=actor, action=permissions.CHANGE
    ).exists()


def _check_contract(data: dict[str, Any]) -> None:
    contract, vendor = data.get("contract"), data.get("vendor")
    if contract is not None and vendor is not None:
        vendor_id = getattr(vendor, "pk", vendor)
        if contract.vendor_id != vendor_id:
            raise ValidationError({"contract": ["The contract belongs to another vendor."]})


# --- Situation assessment -------------------------------------------------------------


def assessment_create(*, actor, data: dict[str, Any]) -> SituationAssessment:
    """Record a situation assessment of a vendor relationship."""
    return model_create(model=SituationAssessment, data={"assessed_by": actor, **data})


def assessment_update(*, instance: SituationAssessment, actor, data: dict[str, Any]):
    """Change an assessment's title, date or summary."""
    return model_update(instance=instance, data=data)


def assessment_delete(*, instance: SituationAssessment, actor) -> None:
    """Delete an assessment and its key issues."""
    model_delete(instance=instance)


def key_issue_create(*, actor, data: dict[str, Any]) -> KeyIssue:
    """Add a key issue, with the investment needed to fix it, to an assessment."""
    return model_create(model=KeyIssue, data=data)


def key_issue_update(*, instance: KeyIssue, actor, data: dict[str, Any]) -> KeyIssue:
    """Change a key issue."""
    return model_update(instance=instance, data=data)


def key_issue_delete(*, instance: KeyIssue, actor) -> None:
    """Delete a key issue."""
    model_delete(instance=instance)


# --- Goals ----------------------------------------------------------------------------


def goal_create(*, actor, data: dict[str, Any]) -> Goal:
    """Set a goal for the relationship (or a contract's business case); not yet agreed."""
    data = {k: v for k, v in data.items() if k not in AGREEMENT_FIELDS}
    _check_contract(data)
    return model_create(model=Goal, data=data)


@transaction.atomic
def goal_update(*, instance: Goal, actor, data: dict[str, Any]) -> Goal:
    """Change a goal. A change to its terms (``GOAL_TERMS``) clears both agreements:
    what was agreed is no longer what the goal says, so both sides agree again."""
    data = {k: v for k, v in data.items() if k not in AGREEMENT_FIELDS}
    before = Goal.objects.get(pk=instance.pk)
    _check_contract(
        {"vendor": instance.vendor_id, **data, "contract": data.get("contract", instance.contract)}
    )
    changed = any(
        name in data and _value(data[name]) != _value(getattr(before, name)) for name in GOAL_TERMS
    )
    # The agreements are the database's, never the caller's copy's (which may
    # predate an agreement recorded meanwhile); cleared when the terms change.
    agreements = {name: getattr(before, name) for name in AGREEMENT_FIELDS}
    if changed:
        agreements = dict.fromkeys(AGREEMENT_FIELDS)
    return model_update(instance=instance, data={**data, **agreements})


def _value(value):
    return getattr(value, "pk", value)


def goal_delete(*, instance: Goal, actor) -> None:
    """Delete a goal."""
    model_delete(instance=instance)


@transaction.atomic
def goal_agree(*, instance: Goal, actor) -> Goal:
    """Record the actor's agreement to the goal, for their side.

    A vendor representative of the goal's vendor agrees for the vendor;
    someone who may change the goal (its vendor's manager, the governance
    office, an admin) agrees for the client. Agreeing again changes nothing.
    When the client has agreed and the vendor not yet, the vendor's
    representatives are told once (``goal_awaiting_vendor``).
    """
    goal = Goal.objects.select_for_update().get(pk=instance.pk)
    now = timezone.now()
    if _is_vendor_user(actor):
        if actor.vendor_id != goal.vendor_id:
            raise PermissionDenied("You may only agree to your own vendor's goals.")
        if goal.vendor_agreed_at is None:
            goal.vendor_agreed_by, goal.vendor_agreed_at = actor, now
            goal.save(update_fields=["vendor_agreed_by", "vendor_agreed_at", "updated_at"])
        return goal
    if not _may_change(actor, goal):
        raise PermissionDenied("You may not agree to this goal for the client.")
    if goal.client_agreed_at is None:
        goal.client_agreed_by, goal.client_agreed_at = actor, now
        goal.save(update_fields=["client_agreed_by", "client_agreed_at", "updated_at"])
    if goal.vendor_agreed_at is None:
        _notify_awaiting_vendor(goal)
    return goal


def _notify_awaiting_vendor(goal: Goal) -> int:
    """Tell the vendor's representatives a goal awaits their agreement (once per round)."""
    from core.models import User
    from notifications.services import notify

    representatives = User.objects.filter(vendor_id=goal.vendor_id, is_active=True)
    return notify(
        kind="goal_awaiting_vendor",
        users=representatives,
        title=f"Goal awaiting your agreement: {goal.title}",
        body=f"{goal.client_agreed_by} agreed to this goal for the client on "
        f"{timezone.localtime(goal.client_agreed_at):%Y-%m-%d}.",
        url=goal.get_absolute_url(),
        # One round of agreement per client agreement: a goal whose terms
        # changed is agreed again, and asks again.
        dedupe_key=f"goal:{goal.pk}:awaiting_vendor:{goal.client_agreed_at.isoformat()}",
    )


# --- Issue list publication -----------------------------------------------------------


def _frozen_items(vendor_id: int) -> list[dict]:
    """The vendor's issue list as it stands: every action item not cancelled, by due date."""
    try:
        from governance.models import ActionItem
    except ImportError:  # pragma: no cover - the action log is governance's
        return []
    rows = (
        ActionItem.objects.filter(vendor_id=vendor_id)
        .exclude(status="cancelled")
        .select_related("owner")
        .order_by("due_date", "id")
    )
    return [
        {
            "id": item.pk,
            "title": item.title,
            "owner": item.owner.get_full_name() or item.owner.username,
            "due_date": item.due_date.isoformat(),
            "priority": item.priority,
            "status": item.status,
        }
        for item in rows
    ]


@transaction.atomic
def issue_list_approve(*, actor, vendor, note: str = "") -> IssueListPublication:
    """Approve the vendor's issue list as it stands now: the next numbered version.

    The action items are frozen into the version. Refused while an approved
    version awaits publication (publish it first), so versions go out in order.
    """
    if not permissions.may_create(user=actor, model=IssueListPublication, vendor_id=vendor.pk):
        raise PermissionDenied("You may not approve this vendor's issue list.")
    from vendors.models import Vendor

    Vendor.objects.select_for_update().get(pk=vendor.pk)  # one approval at a time per vendor
    pending = IssueListPublication.objects.filter(vendor=vendor, published_at__isnull=True).first()
    if pending is not None:
        raise ValidationError(
            {"vendor": [f"Version {pending.version} is approved and not yet published."]}
        )
    last = IssueListPublication.objects.filter(vendor=vendor).aggregate(v=Max("version"))["v"]
    return model_create(
        model=IssueListPublication,
        data={
            "vendor": vendor,
            "version": (last or 0) + 1,
            "note": note,
            "items": _frozen_items(vendor.pk),
            "approved_by": actor,
            "approved_at": timezone.now(),
        },
    )


@transaction.atomic
def issue_list_publish(*, instance: IssueListPublication, actor) -> IssueListPublication:
    """Publish an approved version: e-mail it to the vendor's contacts (both sides).

    Publishing twice sends nothing twice (the row is locked and stamped).
    """
    publication = IssueListPublication.objects.select_for_update().get(pk=instance.pk)
    if not _may_change(actor, publication):
        raise PermissionDenied("You may not publish this vendor's issue list.")
    if publication.published_at is not None:
        return publication
    from vendors.models import Contact

    contacts = Contact.objects.filter(vendor_id=publication.vendor_id).exclude(email="")
    recipients = [
        {"name": c.name, "email": c.email, "side": c.side, "level": c.level}
        for c in contacts.order_by("side", "level", "name")
    ]
    publication.published_at = timezone.now()
    publication.published_by = actor
    publication.recipients = recipients
    publication.save(update_fields=["published_at", "published_by", "recipients", "updated_at"])
    if recipients:
        subject, body = _publication_text(publication)
        message = EmailMessage(
            subject=subject, body=body, to=[r["email"] for r in recipients],
            connection=get_connection(),
        )  # fmt: skip
        message.send()  # a refusal rolls the publication back: publish again
    return publication


def _publication_text(publication: IssueListPublication) -> tuple[str, str]:
    lines = [
        f"Issue list of {publication.vendor}, version {publication.version}",
        f"Approved {timezone.localtime(publication.approved_at):%Y-%m-%d} by "
        f"{publication.approved_by or '—'}.",
        "",
    ]
    if publication.note:
        lines += [publication.note, ""]
    for item in publication.items:
        lines.append(
            f"- [{item['status']}] {item['title']} — {item['owner']}, due {item['due_date']} "
            f"({item['priority']})"
        )
    if not publication.items:
        lines.append("No open items.")
    return f"Issue list v{publication.version}: {publication.vendor}", "\n".join(lines) + "\n"


# --- Health survey --------------------------------------------------------------------


def _check_survey_side(actor, data: dict[str, Any], instance=None) -> dict[str, Any]:
    """A vendor representative answers the vendor side, for their vendor; staff the client side."""
    side = data.get("side", getattr(instance, "side", None))
    if _is_vendor_user(actor):
        if side not in (None, choices.Side.VENDOR):
            raise ValidationError({"side": ["Vendor representatives answer the vendor side."]})
        return {**data, "side": choices.Side.VENDOR}
    if instance is None and side == choices.Side.VENDOR:
        raise ValidationError(
            {"side": ["The vendor side is answered by the vendor's representative."]}
        )
    return data


def health_survey_create(*, actor, data: dict[str, Any]) -> HealthSurvey:
    """Record one side's answers for a vendor and quarter (once per side and quarter)."""
    data = _check_survey_side(actor, data)
    return model_create(model=HealthSurvey, data={**data, "answered_by": actor})


def health_survey_update(*, instance: HealthSurvey, actor, data: dict[str, Any]) -> HealthSurvey:
    """Correct one side's answers; a vendor representative only the vendor side."""
    if _is_vendor_user(actor) and instance.side != choices.Side.VENDOR:
        raise PermissionDenied("Vendor representatives answer the vendor side only.")
    data = _check_survey_side(actor, data, instance)
    return model_update(instance=instance, data={**data, "answered_by": actor})


def health_survey_delete(*, instance: HealthSurvey, actor) -> None:
    """Delete a survey answer (staff only; see ``core.permissions``)."""
    if _is_vendor_user(actor):
        raise PermissionDenied("Vendor representatives cannot delete survey answers.")
    model_delete(instance=instance)


# --- Ideas ----------------------------------------------------------------------------

VENDOR_IDEA_FIELDS = {
    "vendor",
    "title",
    "description",
    "expected_benefit",
    "currency",
    "benefit_note",
}


def idea_create(*, actor, data: dict[str, Any]) -> Idea:
    """Log an idea. A vendor representative's is proposed by the vendor side, status proposed."""
    if _is_vendor_user(actor):
        data = {k: v for k, v in data.items() if k in VENDOR_IDEA_FIELDS}
        data.update(proposed_by=choices.Side.VENDOR, status=choices.IdeaStatus.PROPOSED)
    data.setdefault("proposed_by", choices.Side.CLIENT)
    if data.get("status", choices.IdeaStatus.PROPOSED) != choices.IdeaStatus.PROPOSED:
        data["decided_at"] = timezone.now()
    return model_create(model=Idea, data={**data, "proposer": actor})


def idea_update(*, instance: Idea, actor, data: dict[str, Any]) -> Idea:
    """Change an idea. The client side decides its status; a vendor representative may
    edit their vendor's ideas while they are proposed, but not decide them."""
    if _is_vendor_user(actor):
        if instance.status != choices.IdeaStatus.PROPOSED:
            raise PermissionDenied("The idea has been decided; only the client side changes it.")
        data = {k: v for k, v in data.items() if k in VENDOR_IDEA_FIELDS - {"vendor"}}
    if "status" in data and data["status"] != instance.status:
        data["decided_at"] = timezone.now()
    return model_update(instance=instance, data=data)


def idea_delete(*, instance: Idea, actor) -> None:
    """Delete an idea (a vendor representative: only while proposed)."""
    if _is_vendor_user(actor) and instance.status != choices.IdeaStatus.PROPOSED:
        raise PermissionDenied("The idea has been decided; only the client side deletes it.")
    model_delete(instance=instance)
