"""Reads of the contracts app. Every list starts from ``core.permissions.restrict``."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from contracts.choices import ContractStatus, ObligationStatus, Renewal
from contracts.models import (
    ChangeRequest,
    Contract,
    ExitPlan,
    ExitStep,
    Obligation,
    SpendRecord,
)
from core import charts
from core.permissions import restrict

CENT = Decimal("0.01")
OPEN_OBLIGATION = (ObligationStatus.OPEN, ObligationStatus.IN_PROGRESS)
NOTICE_WINDOW_DAYS = 90
RENEWING = (Renewal.AUTOMATIC, Renewal.BY_AGREEMENT)
DASHBOARD_ROWS = 8


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


def contracts_renewing(
    *, user, today: date | None = None, within_days: int = NOTICE_WINDOW_DAYS
) -> QuerySet[Contract]:
    """Active renewing contracts whose current term ends in ``[today, today + within_days]``.

    They renew the day after their term end (``contracts.dates``); an automatic
    one whose notice deadline has passed has already rolled over, so its term
    end, and hence its renewal, has moved on by a term.
    """
    today = today or timezone.localdate()
    return (
        contract_list(user=user)
        .filter(
            status=ContractStatus.ACTIVE,
            renewal__in=RENEWING,
            end_date__gte=today,
            end_date__lte=today + timedelta(days=within_days),
        )
        .order_by("end_date", "reference")
    )


def _months(first: date, last: date) -> list[date]:
    """The first day of every month from ``first``'s to ``last``'s, both included."""
    start, stop = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(start, stop + 1)]


def _month_bars(
    *, contracts: QuerySet[Contract], field: str, today: date, base: str, noun: str
) -> tuple[int, dict]:
    """Counts per month of ``field`` over the 90-day window: one query.

    Returns the total and the panel's chart parts: a bar per month of the window
    (empty months too) and, per month, a link to the contract list filtered to
    that month's part of the window (``<field>_after`` / ``_before``).
    """
    end = today + timedelta(days=NOTICE_WINDOW_DAYS)
    counts = {
        (row["month"].date() if hasattr(row["month"], "date") else row["month"]): row["n"]
        for row in contracts.order_by()
        .annotate(month=TruncMonth(field))
        .values("month")
        .annotate(n=Count("id"))
    }
    total = sum(counts.values())
    bars, links = [], []
    for month in _months(today, end):
        n = counts.get(month, 0)
        last_day = date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
        after, before = max(month, today), min(last_day, end)
        bars.append((f"{month:%Y-%m}", n))
        links.append(
            (
                f"{month:%Y-%m}",
                f"{base}&{field}_after={after:%Y-%m-%d}&{field}_before={before:%Y-%m-%d}",
                f"{n} {noun if n == 1 else noun + 's'}",
            )
        )
    return total, {"bars": bars, "links": links}


def dashboard_panels(*, user, today: date | None = None) -> list[dict]:
    """Dashboard panels: notice deadlines and renewals in the next 90 days, each with a
    bar chart by month, and overdue obligations. Two queries a panel, whatever the size.
    """
    today = today or timezone.localdate()
    lists = reverse("contracts:contract_list")
    due = contracts_due_for_notice(user=user, today=today)
    due_base = f"{lists}?status=active"
    due_count, due_chart = _month_bars(
        contracts=due, field="notice_deadline", today=today, base=due_base, noun="deadline"
    )
    renewing = contracts_renewing(user=user, today=today)
    renew_base = f"{lists}?status=active&renewal={Renewal.AUTOMATIC}&renewal={Renewal.BY_AGREEMENT}"
    end = today + timedelta(days=NOTICE_WINDOW_DAYS)
    renew_count, renew_chart = _month_bars(
        contracts=renewing, field="end_date", today=today, base=renew_base, noun="contract"
    )
    overdue = obligations_overdue(user=user, today=today)
    overdue_rows = list(overdue[:8])
    return [
        {
            "title": "Notice deadlines (90 days)",
            "count": due_count,
            "url": f"{due_base}&notice_within={NOTICE_WINDOW_DAYS}",
            "tone": "warn" if due_count else "ok",
            "chart": charts.single_bars(
                due_chart["bars"], title="Notice deadlines per month", name="Deadlines", width=260
            )
            if due_count
            else "",
            "chart_links": due_chart["links"] if due_count else [],
            "rows": [
                (
                    f"{c.reference} – {c.vendor.name}",
                    c.get_absolute_url(),
                    f"notice by {c.notice_deadline:%Y-%m-%d} "
                    f"({(c.notice_deadline - today).days} d)",
                )
                for c in due[:DASHBOARD_ROWS]
            ],
        },
        {
            "title": "Renewals (90 days)",
            "count": renew_count,
            "url": f"{renew_base}&end_date_after={today:%Y-%m-%d}&end_date_before={end:%Y-%m-%d}",
            "tone": "warn" if renew_count else "ok",
            "chart": charts.single_bars(
                renew_chart["bars"],
                title="Contracts renewing per month of term end",
                name="Renewing",
                width=260,
            )
            if renew_count
            else "",
            "chart_links": renew_chart["links"] if renew_count else [],
            "rows": [
                (
                    f"{c.reference} – {c.vendor.name}",
                    c.get_absolute_url(),
                    f"term ends {c.end_date:%Y-%m-%d}, renews {c.next_renewal_date:%Y-%m-%d} "
                    f"({c.renewal.replace('_', ' ')})",
                )
                for c in renewing[:DASHBOARD_ROWS]
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
