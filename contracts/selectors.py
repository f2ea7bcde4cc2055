"""Reads of the contracts app. Every list starts from ``core.permissions.restrict``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from contracts.choices import ContractStatus, ObligationStatus
from contracts.models import (
    ChangeRequest,
    Contract,
    ExitPlan,
    ExitStep,
    Obligation,
    SpendRecord,
)
from core.permissions import restrict

CENT = Decimal("0.01")
OPEN_OBLIGATION = (ObligationStatus.OPEN, ObligationStatus.IN_PROGRESS)
NOTICE_WINDOW_DAYS = 90


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def contract_list(*, user) -> QuerySet[Contract]:
    """Contracts the user may see, with vendor and parent loaded."""
    return restrict(Contract.objects.select_related("vendor", "parent"), user=user)


def obligation_list(*, user) -> QuerySet[Obligation]:
    """Obligations the user may see, with contract, vendor and owner loaded."""
    return restrict(Obligation.objects.select_related("contract__vendor", "owner"), user=user)


def change_request_list(*, user) -> QuerySet[ChangeRequest]:
    """Change requests the user may see, with contract, vendor and decider loaded."""
    return restrict(
        ChangeRequest.objects.select_related("contract__vendor", "decided_by"), user=user
    )


def exit_plan_list(*, user) -> QuerySet[ExitPlan]:
    """Exit plans the user may see (never vendor representatives), steps prefetched."""
    return restrict(
        ExitPlan.objects.select_related("contract__vendor").prefetch_related("steps"), user=user
    )


def exit_step_list(*, user) -> QuerySet[ExitStep]:
    """Exit steps the user may see, with their plan and contract loaded."""
    return restrict(ExitStep.objects.select_related("plan__contract__vendor"), user=user)


def spend_record_list(*, user) -> QuerySet[SpendRecord]:
    """Spend records the user may see (never vendor representatives)."""
    return restrict(SpendRecord.objects.select_related("contract__vendor"), user=user)


def obligations_overdue(*, user, today: date | None = None) -> QuerySet[Obligation]:
    """Open or in-progress obligations whose due date is before ``today``, oldest first."""
    today = today or timezone.localdate()
    return (
        obligation_list(user=user)
        .filter(due_date__lt=today, status__in=OPEN_OBLIGATION)
        .order_by("due_date", "id")
    )


def contracts_due_for_notice(
    *, user, today: date | None = None, within_days: int = NOTICE_WINDOW_DAYS
) -> QuerySet[Contract]:
    """Active contracts whose notice deadline falls in ``[today, today + within_days]``."""
    today = today or timezone.localdate()
    return (
        contract_list(user=user)
        .filter(
            status=ContractStatus.ACTIVE,
            notice_deadline__gte=today,
            notice_deadline__lte=today + timedelta(days=within_days),
        )
        .order_by("notice_deadline", "reference")
    )


def contract_detail_related(*, contract: Contract, user) -> dict:
    """What a contract's page shows next to it, each list scoped to the user.

    Child SOWs/amendments, obligations, change requests, the exit plan with
    its steps, spend by month and SLAs. Each is one query, whatever the sizes.
    """
    from django.apps import apps

    related = {
        "children": contract_list(user=user).filter(parent=contract).order_by("reference"),
        "obligations": obligation_list(user=user).filter(contract=contract),
        "change_requests": change_request_list(user=user).filter(contract=contract),
        "exit_plan": exit_plan_list(user=user).filter(contract=contract).first(),
        "spend": spend_record_list(user=user).filter(contract=contract).order_by("-month"),
        "rollovers": list(contract.rollovers.all()),
    }
    if apps.is_installed("slas"):
        sla_model = apps.get_model("slas", "SLA")
        related["slas"] = restrict(sla_model.objects.filter(contract=contract), user=user)
    return related


@dataclass(frozen=True)
class ContractSavings:
    """Realised savings of a contract against its baseline (see ``contract_savings``)."""

    baseline_annual_cost: Decimal
    target_savings_percent: Decimal
    target_savings: Decimal
    months_of_spend: int
    spend_in_window: Decimal
    annualised_spend: Decimal | None
    realised_savings: Decimal | None
    realised_savings_percent: Decimal | None

    @property
    def on_target(self) -> bool | None:
        """Do realised savings reach the target percent? None without spend or baseline."""
        if self.realised_savings_percent is None:
            return None
        return self.realised_savings_percent >= self.target_savings_percent


def contract_savings(*, contract: Contract, months: int = 12) -> ContractSavings:
    """Savings realised against the baseline, from the latest ``months`` months of spend.

    Formula (all amounts in the contract's currency, rounded to cents):

    * annualised spend = (sum of the latest ``months`` spend records) × 12 /
      (how many records that is) — a year's spend at the recent monthly rate;
    * realised savings = baseline annual cost − annualised spend (negative
      when the outsourced service costs more than the baseline);
    * realised savings % = realised savings / baseline annual cost × 100;
    * target savings = baseline annual cost × target savings percent / 100.

    Without spend records (or with a zero baseline) the realised figures are None.
    Example: baseline 1,200,000.00, target 20 %; spend 80,000, 85,000 and
    90,000 → annualised 1,020,000.00, realised 180,000.00 = 15.00 % against a
    target of 240,000.00.
    """
    amounts = list(
        SpendRecord.objects.filter(contract=contract)
        .order_by("-month")
        .values_list("amount", flat=True)[:months]
    )
    baseline = contract.baseline_annual_cost
    target_pct = contract.target_savings_percent
    total = sum(amounts, Decimal("0"))
    annualised = _cents(total * 12 / len(amounts)) if amounts else None
    realised = _cents(baseline - annualised) if annualised is not None else None
    realised_pct = (
        _cents(realised / baseline * 100) if realised is not None and baseline > 0 else None
    )
    return ContractSavings(
        baseline_annual_cost=baseline,
        target_savings_percent=target_pct,
        target_savings=_cents(baseline * target_pct / 100),
        months_of_spend=len(amounts),
        spend_in_window=total,
        annualised_spend=annualised,
        realised_savings=realised,
        realised_savings_percent=realised_pct,
    )


@dataclass(frozen=True)
class SpendMonth:
    """One month of spend next to the monthly baseline (baseline annual cost / 12)."""

    record: SpendRecord
    baseline_monthly: Decimal
    saving: Decimal


def spend_by_month(*, contract: Contract, records) -> list[SpendMonth]:
    """Each spend record with the month's saving against baseline / 12 (rounded to cents)."""
    baseline_monthly = _cents(contract.baseline_annual_cost / 12)
    return [
        SpendMonth(record=r, baseline_monthly=baseline_monthly, saving=baseline_monthly - r.amount)
        for r in records
    ]


def dashboard_panels(*, user, today: date | None = None) -> list[dict]:
    """Dashboard panels: upcoming notice deadlines (90 days) and overdue obligations."""
    today = today or timezone.localdate()
    due = contracts_due_for_notice(user=user, today=today)
    overdue = obligations_overdue(user=user, today=today)
    due_rows = list(due[:8])
    overdue_rows = list(overdue[:8])
    base = reverse("contracts:contract_list")
    return [
        {
            "title": "Notice deadlines (90 days)",
            "count": due.count(),
            "url": f"{base}?notice_within=90",
            "tone": "warn" if due_rows else "ok",
            "rows": [
                (
                    f"{c.reference} – {c.vendor.name}",
                    c.get_absolute_url(),
                    f"notice by {c.notice_deadline:%Y-%m-%d} "
                    f"({(c.notice_deadline - today).days} d)",
                )
                for c in due_rows
            ],
        },
        {
            "title": "Overdue obligations",
            "count": overdue.count(),
            "url": reverse("contracts:obligation_list") + "?overdue=true",
            "tone": "bad" if overdue_rows else "ok",
            "rows": [
                (
                    o.title,
                    o.get_absolute_url(),
                    f"{o.contract.reference}, due {o.due_date:%Y-%m-%d}",
                )
                for o in overdue_rows
            ],
        },
    ]
