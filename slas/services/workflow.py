"""The breach workflow: acknowledge, remediate, resolve, waive, reopen.

DESIGN.md section 1: "a workflow open → acknowledged → remediating →
resolved, or waived (with reason), or withdrawn (set only by recomputation,
when a correction cures the period). Root cause and corrective action are
recorded."

Allowed moves (anything else is a ``ValidationError`` on ``status``):

=============  ======================================  ===========================
action         from                                    to
=============  ======================================  ===========================
acknowledge    open                                    acknowledged
remediate      open, acknowledged                      remediating
resolve        remediating                             resolved
waive          open, acknowledged, remediating         waived (reason required)
reopen         resolved, waived                        open
=============  ======================================  ===========================

Who: whoever may change the breach (``core.permissions.restrict(...,
CHANGE)``: the governance office and admins everywhere, a vendor manager on
the vendors they own). Waiving a breach gives up a service credit, so only
the governance office and admins may waive, or reopen a waived breach.
Withdrawn breaches are out of the workflow: only recomputation sets or
clears that state. Every move writes a ``BreachTransition`` (from, to, actor,
note, time); the Breach itself is audited by its pghistory triggers. Every
move sends ``slas.signals.breach_changed`` (governance turns it into a
``breach.changed`` webhook).

Waiving (and reopening a waived breach) changes who shares the contract's
monthly credit cap, so the breach's period is re-evaluated at once, inside
the same transaction, and the credits shown afterwards are already right.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from core import permissions
from core.audit import actor_context
from core.models import User
from slas.choices import BreachStatus
from slas.models import Breach, BreachTransition
from slas.signals import breach_changed

S = BreachStatus
ACTIVE = (S.OPEN, S.ACKNOWLEDGED, S.REMEDIATING)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "acknowledge": ((S.OPEN,), S.ACKNOWLEDGED),
    "remediate": ((S.OPEN, S.ACKNOWLEDGED), S.REMEDIATING),
    "resolve": ((S.REMEDIATING,), S.RESOLVED),
    "waive": (ACTIVE, S.WAIVED),
    "reopen": ((S.RESOLVED, S.WAIVED), S.OPEN),
}


def allowed_actions(*, breach: Breach, user) -> list[str]:
    """The workflow actions ``user`` may take on ``breach`` now (decides which forms show)."""
    if not _may_change(breach=breach, user=user):
        return []
    privileged = permissions.has_office_powers(user)
    actions = []
    for action, (sources, _) in TRANSITIONS.items():
        if breach.status not in sources:
            continue
        if not privileged and (action == "waive" or breach.status == S.WAIVED):
            continue
        actions.append(action)
    return actions


def _may_change(*, breach: Breach, user) -> bool:
    return permissions.may_change(user=user, obj=breach)


def _move(
    *, breach: Breach, actor: User | None, action: str, note: str = "", changes: dict | None = None
) -> Breach:
    """Check and apply one move; record it. Runs inside the caller's transaction."""
    if not _may_change(breach=breach, user=actor):
        raise PermissionDenied("You may not change this breach.")
    # Lock the row: two people pressing buttons at once make two clean moves, not one lost.
    locked = Breach.objects.select_for_update().get(pk=breach.pk)
    sources, target = TRANSITIONS[action]
    if locked.status not in sources:
        allowed = ", ".join(str(S(s).label).lower() for s in sources)
        raise ValidationError(
            {
                "status": f"Cannot {action} a breach that is "
                f"{locked.get_status_display().lower()} (only from: {allowed})."
            }
        )
    if (action == "waive" or locked.status == S.WAIVED) and not permissions.has_office_powers(
        actor
    ):
        raise PermissionDenied("Only the governance office may waive a breach or reopen a waiver.")
    from_status = locked.status
    changes = dict(changes or {})
    if action == "reopen" and from_status == S.WAIVED:
        changes["waiver_reason"] = ""  # the reason belonged to the waiver now undone
    fields = ["status", "updated_at"]
    locked.status = target
    for name, value in changes.items():
        setattr(locked, name, value)
        fields.append(name)
    with actor_context(user=actor, source=f"breach:{action}"):
        locked.save(update_fields=fields)
        transition = BreachTransition.objects.create(
            breach=locked, from_status=from_status, to_status=target, actor=actor, note=note
        )
    if S.WAIVED in (from_status, target):
        from slas.evaluation import evaluate_touched

        evaluate_touched(touched=[(locked.sla_id, locked.period_start)], refresh_credits=True)
        locked.refresh_from_db()
    # After the re-evaluation, so receivers see the credit as it now stands; in the
    # move's transaction, so what they write (webhook deliveries) commits with it.
    breach_changed.send(sender=Breach, breach=locked, transition=transition, action=action)
    return locked


def _required(**values) -> None:
    errors = {
        name: "This field is required."
        for name, value in values.items()
        if value is None or (isinstance(value, str) and not value.strip())
    }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def breach_acknowledge(*, breach: Breach, actor: User | None, note: str = "") -> Breach:
    """The vendor manager or governance office has seen the breach: open → acknowledged."""
    return _move(breach=breach, actor=actor, action="acknowledge", note=note)


@transaction.atomic
def breach_remediate(
    *,
    breach: Breach,
    actor: User | None,
    root_cause: str,
    corrective_action: str,
    remediation_owner: str,
    remediation_due: date | None,
    note: str = "",
) -> Breach:
    """Record why it happened and what will be done, by whom and when: → remediating."""
    _required(
        root_cause=root_cause,
        corrective_action=corrective_action,
        remediation_owner=remediation_owner,
        remediation_due=remediation_due,
    )
    return _move(
        breach=breach,
        actor=actor,
        action="remediate",
        note=note,
        changes={
            "root_cause": root_cause.strip(),
            "corrective_action": corrective_action.strip(),
            "remediation_owner": remediation_owner.strip(),
            "remediation_due": remediation_due,
        },
    )


@transaction.atomic
def breach_resolve(*, breach: Breach, actor: User | None, note: str = "") -> Breach:
    """The corrective action is done: remediating → resolved."""
    return _move(breach=breach, actor=actor, action="resolve", note=note)


@transaction.atomic
def breach_waive(*, breach: Breach, actor: User | None, reason: str) -> Breach:
    """Give up the breach and its credit, with a reason (governance office and admins only)."""
    _required(reason=reason)
    return _move(
        breach=breach,
        actor=actor,
        action="waive",
        note=reason.strip(),
        changes={"waiver_reason": reason.strip()},
    )


@transaction.atomic
def breach_reopen(*, breach: Breach, actor: User | None, note: str = "") -> Breach:
    """Take a resolved or waived breach back to open (the waiver reason is cleared)."""
    return _move(breach=breach, actor=actor, action="reopen", note=note)


WORKFLOW_SERVICES = {
    "acknowledge": breach_acknowledge,
    "remediate": breach_remediate,
    "resolve": breach_resolve,
    "waive": breach_waive,
    "reopen": breach_reopen,
}
