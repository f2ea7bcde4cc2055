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
from django.utils import timezone

from contracts import dates, signals
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
from core import permissions
from core.audit import actor_context, audited
from core.models import User
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


@audited("contracts:contract_create")
@transaction.atomic
def contract_create(
    *, actor: User | None = None, data: dict[str, Any], today: date | None = None
) -> Contract:
    """Create a contract and store its notice deadline (term end − notice days).

    An active, tacitly renewing contract entered with a term whose notice
    deadline has already passed (a register imported years after signature)
    is rolled over at once to its current term, as the daily job would have
    done: the page and the API show the current term end and notice deadline
    from the first answer (``roll_over_to_current_term``). ``today`` stands in
    for the current date (tests, imports of a register as of a given day).
    """
    data = {k: v for k, v in data.items() if k not in ("notice_deadline", "at_risk_amount")}
    deadline = _notice_deadline_for(Contract(), data)
    contract = model_create(model=Contract, data={**data, "notice_deadline": deadline})
    roll_over_to_current_term(contract=contract, today=today or timezone.localdate())
    return contract


# The contract terms that service credits and earn-back are computed from.
CREDIT_TERMS = ("monthly_charge", "at_risk_percent", "earn_back_periods")


@audited("contracts:contract_update")
@transaction.atomic
def contract_update(
    *,
    instance: Contract,
    actor: User | None = None,
    data: dict[str, Any],
    today: date | None = None,
) -> Contract:
    """Change a contract; the notice deadline is recomputed from the new terms.

    When a credit term changes, the contract's SLAs are evaluated again so the
    credits, caps and earn-back shown never lag behind the contract. The terms
    before the change are read from the database (locked): a form or the
    admin has already written the new values onto ``instance``. A tacitly
    renewing contract whose new terms have already rolled over is moved to
    its current term at once, as on create.
    """
    data = {k: v for k, v in data.items() if k not in ("notice_deadline", "at_risk_amount")}
    before = Contract.objects.select_for_update().filter(pk=instance.pk).values(*CREDIT_TERMS).get()
    deadline = _notice_deadline_for(instance, data)
    instance = model_update(instance=instance, data={**data, "notice_deadline": deadline})
    roll_over_to_current_term(contract=instance, today=today or timezone.localdate())
    # The at-risk amount is computed by the database: read what it now holds.
    instance.refresh_from_db(fields=["at_risk_amount"])
    if any(getattr(instance, name) != before[name] for name in CREDIT_TERMS):
        # slas depends on contracts, not the other way round: it listens
        # (slas.receivers) and evaluates the contract's SLAs again.
        signals.credit_terms_changed.send(sender=Contract, contract=instance, actor=actor)
    return instance


@audited("contracts:contract_delete")
def contract_delete(*, instance: Contract, actor: User | None = None) -> None:
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


def roll_over_to_current_term(*, contract: Contract, today: date) -> bool:
    """Roll an active, tacitly renewing contract over to the term in force on ``today``.

    DESIGN.md section 2: "an automatically renewing contract not cancelled by
    the deadline rolls over by its renewal term" — as many terms as it takes.
    Each roll-over is recorded as a ``ContractRollover`` (once per term end)
    and the new end and notice deadline are saved. Returns whether the
    contract moved. Called by the daily job and by create/update, so a
    contract never shows a notice deadline already passed while it renews.
    """
    if contract.status != ContractStatus.ACTIVE or contract.renewal != Renewal.AUTOMATIC:
        return False
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
    if end == contract.end_date:
        return False
    contract.end_date = end
    contract.notice_deadline = dates.contract_notice_deadline(contract)
    contract.save(update_fields=["end_date", "notice_deadline", "updated_at"])
    return True


@transaction.atomic
def _roll_over_tacit_renewals(*, today: date) -> int:
    due = (
        Contract.objects.select_for_update(skip_locked=True)
        .filter(status=ContractStatus.ACTIVE, renewal=Renewal.AUTOMATIC, notice_deadline__lt=today)
        .order_by("pk")
    )
    return sum(roll_over_to_current_term(contract=contract, today=today) for contract in due)


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
    office = permissions.office_staff(
        get_user_model().objects.filter(is_active=True).exclude(email="")
    ).distinct()
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


@audited("contracts:obligation_create")
def obligation_create(*, actor: User | None = None, data: dict[str, Any]) -> Obligation:
    """Record something a party must do under a contract."""
    return model_create(model=Obligation, data=data)


@audited("contracts:obligation_update")
def obligation_update(
    *, instance: Obligation, actor: User | None = None, data: dict[str, Any]
) -> Obligation:
    """Change an obligation (its status, due date, owner …)."""
    return model_update(instance=instance, data=data)


@audited("contracts:obligation_delete")
def obligation_delete(*, instance: Obligation, actor: User | None = None) -> None:
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


@audited("contracts:change_request_create")
def change_request_create(*, actor: User | None = None, data: dict[str, Any]) -> ChangeRequest:
    """Record a change request. Pages and the API start it as ``proposed``.

    ``data`` may carry a workflow state (imports and the demo seed record
    history); interactive paths move it only with ``change_request_transition``.
    """
    return model_create(model=ChangeRequest, data=data)


@audited("contracts:change_request_update")
def change_request_update(
    *, instance: ChangeRequest, actor: User | None = None, data: dict[str, Any]
) -> ChangeRequest:
    """Change a change request's description and impact (not its workflow state)."""
    return model_update(instance=instance, data=data)


@audited("contracts:change_request_delete")
def change_request_delete(*, instance: ChangeRequest, actor: User | None = None) -> None:
    """Delete a change request."""
    model_delete(instance=instance)


def change_request_next_statuses(*, change_request: ChangeRequest) -> tuple[str, ...]:
    """The statuses the change request may move to from where it is."""
    return TRANSITIONS.get(change_request.status, ())


@audited("contracts:change_request_transition")
@transaction.atomic
def change_request_transition(
    *, change_request: ChangeRequest, to_status: str, actor: User | None, note: str = ""
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


@audited("contracts:exit_plan_create")
def exit_plan_create(*, actor: User | None = None, data: dict[str, Any]) -> ExitPlan:
    """Create a contract's exit plan (one per contract)."""
    return model_create(model=ExitPlan, data=data)


@audited("contracts:exit_plan_update")
def exit_plan_update(
    *, instance: ExitPlan, actor: User | None = None, data: dict[str, Any]
) -> ExitPlan:
    """Change an exit plan (e.g. record when it was last tested)."""
    return model_update(instance=instance, data=data)


@audited("contracts:exit_plan_delete")
def exit_plan_delete(*, instance: ExitPlan, actor: User | None = None) -> None:
    """Delete an exit plan and its steps."""
    model_delete(instance=instance)


@audited("contracts:exit_step_create")
def exit_step_create(*, actor: User | None = None, data: dict[str, Any]) -> ExitStep:
    """Add a transition step to an exit plan."""
    return model_create(model=ExitStep, data=data)


@audited("contracts:exit_step_update")
def exit_step_update(
    *, instance: ExitStep, actor: User | None = None, data: dict[str, Any]
) -> ExitStep:
    """Change an exit step."""
    return model_update(instance=instance, data=data)


@audited("contracts:exit_step_delete")
def exit_step_delete(*, instance: ExitStep, actor: User | None = None) -> None:
    """Delete an exit step."""
    model_delete(instance=instance)


# --- Spend --------------------------------------------------------------------------


@audited("contracts:spend_record_upsert")
@transaction.atomic
def spend_record_upsert(
    *, actor: User | None = None, data: dict[str, Any]
) -> tuple[SpendRecord, bool]:
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


@audited("contracts:spend_record_create")
def spend_record_create(*, actor: User | None = None, data: dict[str, Any]) -> SpendRecord:
    """Create or replace the spend record of a contract and month (see ``spend_record_upsert``)."""
    return spend_record_upsert(actor=actor, data=data)[0]


@audited("contracts:spend_record_update")
@transaction.atomic
def spend_record_update(
    *, instance: SpendRecord, actor: User | None = None, data: dict[str, Any]
) -> SpendRecord:
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


@audited("contracts:spend_record_delete")
def spend_record_delete(*, instance: SpendRecord, actor: User | None = None) -> None:
    """Delete a spend record."""
    model_delete(instance=instance)
