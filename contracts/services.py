"""Writes of the contracts app: contracts, obligations, change requests, exit plans, spend.

Every function is keyword-only, validates through ``full_clean`` (the models'
``clean`` gives field-keyed messages) and runs in a transaction. The contract
date rules live in ``contracts.dates``; here they are applied and stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contracts import dates
from contracts.choices import ChangeRequestStatus, ContractStatus, Renewal
from contracts.models import (
    ChangeRequest,
    Contract,
    ContractReminder,
    ContractRollover,
    ExitPlan,
    ExitStep,
    Obligation,
    SpendRecord,
)
from core import roles
from core.audit import actor_context
from core.services import model_create, model_delete, model_update

logger = logging.getLogger(__name__)


# --- Contracts ----------------------------------------------------------------------


MSG_DATES_OUT_OF_RANGE = (
    "Too close to the first or last representable date: the notice deadline "
    "(end date − notice days) and the renewal day after the end date must fall in years 1–9999."
)


def _notice_deadline_for(instance: Contract, data: dict[str, Any]) -> date | None:
    """The notice deadline the contract will have once ``data`` is applied."""
    terms = {
        name: data.get(name, getattr(instance, name))
        for name in ("end_date", "renewal", "renewal_months", "notice_days")
    }
    if terms["end_date"] is None or terms["notice_days"] is None:
        return None  # full_clean reports the missing field
    try:
        # Both dates must exist: the deadline is stored, the renewal day is shown.
        dates.next_renewal_date(terms["end_date"], terms["renewal"])
        return dates.contract_notice_deadline(dates.ContractTerms(**terms))
    except OverflowError:
        raise ValidationError({"end_date": MSG_DATES_OUT_OF_RANGE}) from None


def contract_create(*, actor=None, data: dict[str, Any]) -> Contract:
    """Create a contract and store its notice deadline (term end − notice days)."""
    data = {k: v for k, v in data.items() if k != "notice_deadline"}
    deadline = _notice_deadline_for(Contract(), data)
    return model_create(model=Contract, data={**data, "notice_deadline": deadline})


# The contract terms that service credits and earn-back are computed from.
CREDIT_TERMS = ("monthly_charge", "at_risk_percent", "earn_back_periods")


def contract_update(*, instance: Contract, actor=None, data: dict[str, Any]) -> Contract:
    """Change a contract; the notice deadline is recomputed from the new terms.

    When a credit term changes, the contract's SLAs are evaluated again so the
    credits, caps and earn-back shown never lag behind the contract.
    """
    data = {k: v for k, v in data.items() if k != "notice_deadline"}
    before = [getattr(instance, name) for name in CREDIT_TERMS]
    deadline = _notice_deadline_for(instance, data)
    instance = model_update(instance=instance, data={**data, "notice_deadline": deadline})
    if [getattr(instance, name) for name in CREDIT_TERMS] != before:
        # slas depends on contracts, not the other way round: import late.
        from slas.evaluation import queue_evaluation

        sla_ids = list(instance.slas.values_list("pk", flat=True))
        if sla_ids:
            queue_evaluation(sla_ids=sla_ids, actor=actor)
    return instance


def contract_delete(*, instance: Contract, actor=None) -> None:
    """Delete a contract (refused with ProtectedError while SOWs or SLAs hang off it)."""
    model_delete(instance=instance)


@dataclass(frozen=True)
class ContractDatesReport:
    """What one run of the daily contract-dates job did."""

    rolled_over: int
    expired: int
    reminders_sent: int


def contract_dates_daily(*, today: date) -> ContractDatesReport:
    """The daily contract-dates job: roll over, expire, remind. Safe to run twice a day.

    1. Tacit renewals: an active ``automatic`` contract whose notice deadline
       is before ``today`` rolls over by its renewal term (as many terms as it
       takes, when the job has not run for a while); each roll-over is recorded
       as a ``ContractRollover`` and in the audit trail.
    2. Active contracts past their term end that do not renew by themselves
       (``none``, ``by_agreement``) become ``expired``.
    3. Reminders 90, 30 and 7 days before a notice deadline go to the vendor's
       relationship owner (see ``_reminder_recipients``) through
       ``notifications.services.notify`` (in-app and/or e-mail by preference),
       once per contract, deadline and reminder.
    """
    with actor_context(source="contract_dates_daily"):
        rolled = _roll_over_tacit_renewals(today=today)
        expired = _expire_ended_contracts(today=today)
        sent = _send_notice_reminders(today=today)
    return ContractDatesReport(rolled_over=rolled, expired=expired, reminders_sent=sent)


@transaction.atomic
def _roll_over_tacit_renewals(*, today: date) -> int:
    due = (
        Contract.objects.select_for_update(skip_locked=True)
        .filter(status=ContractStatus.ACTIVE, renewal=Renewal.AUTOMATIC, notice_deadline__lt=today)
        .order_by("pk")
    )
    rolled = 0
    for contract in due:
        end = contract.end_date
        for new_end in dates.roll_over_ends(contract, today):
            ContractRollover.objects.get_or_create(
                contract=contract,
                from_end_date=end,
                defaults={
                    "to_end_date": new_end,
                    "notice_deadline": dates.notice_deadline(end, contract.notice_days),
                    "rolled_on": today,
                },
            )
            end = new_end
        if end != contract.end_date:
            contract.end_date = end
            contract.notice_deadline = dates.contract_notice_deadline(contract)
            contract.save(update_fields=["end_date", "notice_deadline", "updated_at"])
            rolled += 1
    return rolled


def _expire_ended_contracts(*, today: date) -> int:
    # One UPDATE; the audit-trail triggers still record every row it changes.
    return (
        Contract.objects.filter(status=ContractStatus.ACTIVE, end_date__lt=today)
        .exclude(renewal=Renewal.AUTOMATIC)
        .update(status=ContractStatus.EXPIRED, updated_at=timezone.now())
    )


def _reminder_recipients(contract: Contract) -> list:
    """The vendor's relationship owner; without one (or no address), the governance office.

    Falling back to the office means a deadline is never missed because a
    vendor has no owner on record.
    """
    owner = contract.vendor.relationship_owner
    if owner is not None and owner.is_active and owner.email:
        return [owner]
    office = (
        get_user_model()
        .objects.filter(Q(groups__name=roles.GOVERNANCE_OFFICE), is_active=True)
        .exclude(email="")
        .distinct()
    )
    return sorted(office, key=lambda user: (user.email, user.pk))


def _send_notice_reminders(*, today: date) -> int:
    horizon = today + timedelta(days=max(dates.REMINDER_DAYS))
    contracts = list(
        Contract.objects.filter(
            status=ContractStatus.ACTIVE,
            notice_deadline__gte=today,
            notice_deadline__lte=horizon,
        ).select_related("vendor__relationship_owner")
    )
    already = set(
        ContractReminder.objects.filter(contract__in=contracts, deadline__gte=today).values_list(
            "contract_id", "deadline", "days_before"
        )
    )
    sent = 0
    for contract in contracts:
        days = dates.due_reminder(contract.notice_deadline, today)
        if days is None or (contract.pk, contract.notice_deadline, days) in already:
            continue
        users = _reminder_recipients(contract)
        recipients = sorted({user.email for user in users})
        try:
            with transaction.atomic():
                _, created = ContractReminder.objects.get_or_create(
                    contract=contract,
                    deadline=contract.notice_deadline,
                    days_before=days,
                    defaults={"sent_on": today, "recipients": ", ".join(recipients)},
                )
                if created and users:
                    # In-app and/or e-mail per each user's preference, once per
                    # (user, key); a refused e-mail is retried by notifications' job.
                    from notifications.services import notify

                    subject, body = _reminder_text(contract, days)
                    notify(
                        kind="notice_reminder",
                        users=users,
                        title=subject,
                        body=body,
                        url=contract.get_absolute_url(),
                        dedupe_key=(
                            f"notice_reminder:{contract.pk}:"
                            f"{contract.notice_deadline:%Y-%m-%d}:{days}"
                        ),
                    )
        except Exception:  # noqa: BLE001 — a mail failure must not stop the other reminders
            # The reminder row rolled back with the failed send: tomorrow's run retries it.
            logger.exception("Notice reminder for contract %s not sent", contract.pk)
            continue
        sent += int(created)
    return sent


def _reminder_text(contract: Contract, days: int) -> tuple[str, str]:
    deadline = contract.notice_deadline
    subject = f"Notice deadline in {days} days: {contract.reference} ({contract.vendor.name})"
    if contract.renewal == Renewal.AUTOMATIC:
        renewed = dates.roll_end_date(contract.end_date, contract.renewal_months)
        consequence = (
            f"Unless notice is given by {deadline:%Y-%m-%d}, the contract renews automatically "
            f"for {contract.renewal_months} months, until {renewed:%Y-%m-%d}."
        )
    else:
        consequence = (
            f"The contract ends on {contract.end_date:%Y-%m-%d} unless a renewal is agreed; "
            f"the notice deadline for that decision is {deadline:%Y-%m-%d}."
        )
    body = (
        f"{contract.reference} – {contract.title}\n"
        f"Vendor: {contract.vendor.name}\n"
        f"Term end: {contract.end_date:%Y-%m-%d}\n"
        f"Notice period: {contract.notice_days} days\n"
        f"Notice deadline: {deadline:%Y-%m-%d}\n\n{consequence}\n"
    )
    return subject, body


# --- Obligations --------------------------------------------------------------------


def obligation_create(*, actor=None, data: dict[str, Any]) -> Obligation:
    """Record something a party must do under a contract."""
    return model_create(model=Obligation, data=data)


def obligation_update(*, instance: Obligation, actor=None, data: dict[str, Any]) -> Obligation:
    """Change an obligation (its status, due date, owner …)."""
    return model_update(instance=instance, data=data)


def obligation_delete(*, instance: Obligation, actor=None) -> None:
    """Delete an obligation."""
    model_delete(instance=instance)


# --- Change requests ----------------------------------------------------------------

# proposed → assessed → approved | rejected; approved → implemented (DESIGN.md section 1).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ChangeRequestStatus.PROPOSED: (ChangeRequestStatus.ASSESSED,),
    ChangeRequestStatus.ASSESSED: (ChangeRequestStatus.APPROVED, ChangeRequestStatus.REJECTED),
    ChangeRequestStatus.APPROVED: (ChangeRequestStatus.IMPLEMENTED,),
    ChangeRequestStatus.REJECTED: (),
    ChangeRequestStatus.IMPLEMENTED: (),
}
DECISIONS = (ChangeRequestStatus.APPROVED, ChangeRequestStatus.REJECTED)


def change_request_create(*, actor=None, data: dict[str, Any]) -> ChangeRequest:
    """Record a change request. Pages and the API start it as ``proposed``.

    ``data`` may carry a workflow state (imports and the demo seed record
    history); interactive paths move it only with ``change_request_transition``.
    """
    return model_create(model=ChangeRequest, data=data)


def change_request_update(
    *, instance: ChangeRequest, actor=None, data: dict[str, Any]
) -> ChangeRequest:
    """Change a change request's description and impact (not its workflow state)."""
    return model_update(instance=instance, data=data)


def change_request_delete(*, instance: ChangeRequest, actor=None) -> None:
    """Delete a change request."""
    model_delete(instance=instance)


def change_request_next_statuses(*, change_request: ChangeRequest) -> tuple[str, ...]:
    """The statuses the change request may move to from where it is."""
    return TRANSITIONS.get(change_request.status, ())


@transaction.atomic
def change_request_transition(
    *, change_request: ChangeRequest, to_status: str, actor, note: str = ""
) -> ChangeRequest:
    """Move a change request along its workflow; a move the workflow forbids is refused.

    Approving or rejecting records who decided and when. A ``note`` is kept
    in ``decision_note`` as a dated line per step, so the reasoning of every
    step survives. Raises ``ValidationError({"status": ...})`` for an illegal move.
    """
    locked = ChangeRequest.objects.select_for_update().get(pk=change_request.pk)
    allowed = TRANSITIONS.get(locked.status, ())
    if to_status not in allowed:
        label = dict(ChangeRequestStatus.choices)
        if to_status not in label:
            message = f"Unknown status {to_status!r}."
        elif allowed:
            nexts = " or ".join(label[s] for s in allowed)
            message = f"A {label[locked.status].lower()} change request can only become {nexts}."
        else:
            message = f"A {label[locked.status].lower()} change request is closed."
        raise ValidationError({"status": message})
    now = timezone.now()
    locked.status = to_status
    if to_status in DECISIONS:
        locked.decided_by = actor
        locked.decided_at = now
    if note.strip():
        who = getattr(actor, "display_name", None) or "system"
        line = f"{now:%Y-%m-%d} {dict(ChangeRequestStatus.choices)[to_status]} by {who}: "
        line += note.strip()
        locked.decision_note = f"{locked.decision_note}\n{line}".strip()
    locked.full_clean()
    locked.save()
    return locked


# --- Exit plans ---------------------------------------------------------------------


def exit_plan_create(*, actor=None, data: dict[str, Any]) -> ExitPlan:
    """Create a contract's exit plan (one per contract)."""
    return model_create(model=ExitPlan, data=data)


def exit_plan_update(*, instance: ExitPlan, actor=None, data: dict[str, Any]) -> ExitPlan:
    """Change an exit plan (e.g. record when it was last tested)."""
    return model_update(instance=instance, data=data)


def exit_plan_delete(*, instance: ExitPlan, actor=None) -> None:
    """Delete an exit plan and its steps."""
    model_delete(instance=instance)


def exit_step_create(*, actor=None, data: dict[str, Any]) -> ExitStep:
    """Add a transition step to an exit plan."""
    return model_create(model=ExitStep, data=data)


def exit_step_update(*, instance: ExitStep, actor=None, data: dict[str, Any]) -> ExitStep:
    """Change an exit step."""
    return model_update(instance=instance, data=data)


def exit_step_delete(*, instance: ExitStep, actor=None) -> None:
    """Delete an exit step."""
    model_delete(instance=instance)


# --- Spend --------------------------------------------------------------------------


@transaction.atomic
def spend_record_upsert(*, actor=None, data: dict[str, Any]) -> tuple[SpendRecord, bool]:
    """Record what was invoiced for a contract in a month; the same key replaces.

    One record per contract and month: sending a month again replaces its
    amount, invoice reference and note (the audit trail keeps the old values).
    Returns the record and whether it was created.
    """
    contract = data.get("contract")
    contract_id = getattr(contract, "pk", contract)
    month = data.get("month")
    existing = None
    if contract_id is not None and month is not None:
        existing = (
            SpendRecord.objects.select_for_update()
            .filter(contract_id=contract_id, month=month)
            .first()
        )
    if existing is None:
        return model_create(model=SpendRecord, data=data), True
    return model_update(instance=existing, data=data), False


def spend_record_create(*, actor=None, data: dict[str, Any]) -> SpendRecord:
    """Create or replace the spend record of a contract and month (see ``spend_record_upsert``)."""
    return spend_record_upsert(actor=actor, data=data)[0]


@transaction.atomic
def spend_record_update(*, instance: SpendRecord, actor=None, data: dict[str, Any]) -> SpendRecord:
    """Change a spend record; moving it onto a month that already has one is refused."""
    contract = data.get("contract", instance.contract_id)
    contract_id = getattr(contract, "pk", contract)
    month = data.get("month", instance.month)
    clash = (
        SpendRecord.objects.filter(contract_id=contract_id, month=month)
        .exclude(pk=instance.pk)
        .exists()
    )
    if clash:
        raise ValidationError({"month": "This contract already has a spend record for that month."})
    return model_update(instance=instance, data=data)


def spend_record_delete(*, instance: SpendRecord, actor=None) -> None:
    """Delete a spend record."""
    model_delete(instance=instance)
