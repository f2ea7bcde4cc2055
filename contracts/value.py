"""Value realised by a contract against its business case: savings, cost per
transaction, the transition cost's payback (issue #13).

The formulas (all money in the contract's currency, ``Decimal``, each monthly
figure rounded to the cent ROUND_HALF_UP):

* **Adjusted baseline** (a year) for month *m* = ``baseline_annual_cost`` + the
  ``baseline_adjustment`` of every *approved* (or implemented) change request
  whose ``baseline_adjustment_date`` falls in or before *m* — an adjustment
  applies to the whole month its date falls in, and to every month after.
* **Baseline of the month** = adjusted baseline / 12.
* **Net spend** = the month's spend record − the credits applied that month
  (``net_credit`` of the credit statement, ``slas.credits``, which the SLA
  app provides through ``core.registry``: contracts does not import slas).
* **Saving** = baseline of the month − net spend.
* **Target** = baseline of the month × ``target_savings_percent`` / 100.
* A month **without a spend record is missing**: no net spend, no saving, no
  target; it is shown as missing and left out of every sum (never a zero
  spend, which would count the whole baseline as saved).
* **Quarter and year** = sums of the months recorded in it, with how many
  months are missing; the target of a quarter or year is the sum of the
  targets of the same recorded months, so the two compare like with like.
* **Cost per transaction** (where the contract has a volume KPI: a KPI
  measured monthly with the *sum* aggregation) = net spend / that month's
  result, to 4 places; None where either is missing or the volume is 0.
* **Payback month** = the first month, from ``transition_cost_month`` on, at
  whose end the cumulative saving (recorded months only) reaches
  ``transition_cost``; None while it has not (or without a transition cost).

The months run from the contract's start month to the last complete month
before ``today`` (or the contract's end month, whichever is earlier).

Example: baseline 1,200,000.00 a year (100,000.00 a month), target 10 %; a
change request approved with +120,000.00 a year from 2026-03-01 makes March
on 110,000.00 a month. Spend Jan 90,000, Feb missing, Mar 95,000 with a
credit of 1,000 → savings Jan 10,000.00, Feb missing, Mar 110,000 − 94,000 =
16,000.00; Q1 = 26,000.00 against a target of 10,000 + 11,000 = 21,000.00.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from contracts.choices import ChangeRequestStatus
from contracts.models import ChangeRequest, Contract, SpendRecord
from core import registry

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
APPLIED = (ChangeRequestStatus.APPROVED, ChangeRequestStatus.IMPLEMENTED)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _month(day: date) -> date:
    return day.replace(day=1)


def _next(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


@dataclass
class ValueMonth:
    """One month of value: None figures mean the month has no spend record."""

    month: date
    baseline: Decimal
    spend: Decimal | None
    credits: Decimal
    net_spend: Decimal | None
    saving: Decimal | None
    target: Decimal | None
    cumulative_saving: Decimal
    volume: Decimal | None = None
    cost_per_transaction: Decimal | None = None

    @property
    def missing(self) -> bool:
        return self.spend is None


@dataclass
class ValuePeriod:
    """A quarter or a year: sums over its recorded months."""

    label: str
    saving: Decimal = ZERO
    target: Decimal = ZERO
    recorded: int = 0
    missing: int = 0

    @property
    def on_target(self) -> bool:
        return self.recorded > 0 and self.saving >= self.target


@dataclass
class ContractValue:
    """The value realised by a contract, month by month, with quarters, years and payback."""

    contract: Contract
    months: list[ValueMonth] = field(default_factory=list)
    quarters: list[ValuePeriod] = field(default_factory=list)
    years: list[ValuePeriod] = field(default_factory=list)
    adjustments: list[ChangeRequest] = field(default_factory=list)
    transition_cost: Decimal = ZERO
    payback_month: date | None = None
    volume_kpi: object | None = None

    @property
    def total_saving(self) -> Decimal:
        return sum((m.saving for m in self.months if m.saving is not None), ZERO)

    @property
    def total_target(self) -> Decimal:
        return sum((m.target for m in self.months if m.target is not None), ZERO)

    @property
    def missing_months(self) -> list[date]:
        return [m.month for m in self.months if m.missing]


def _net_credits(*, contracts: list[Contract], user, first: date, last: date) -> dict:
    """Net credits per (contract id, month) from the SLA app (``slas.providers``); none without it.

    One read for all ``contracts``: the provider reads the credit statements
    (``slas.credits``, the one credit reader) as ``user`` may see them.
    """
    read = registry.provider("contracts.net_credits_by_contract_month")
    if read is None:
        return {}
    return read(contracts=contracts, user=user, month_from=first, month_to=last)


def _volumes(*, contracts: list[Contract], first: date, last: date) -> tuple[dict, dict]:
    """Each contract's volume KPI and its actual per (KPI id, month), from the SLA app.

    Two reads for all ``contracts``; ``({}, {})`` without the SLA app.
    """
    read_kpis = registry.provider("contracts.volume_kpis")
    if read_kpis is None:
        return {}, {}
    kpis = read_kpis(contracts=contracts)
    if not kpis:
        return {}, {}
    read = registry.provider("contracts.volumes_by_kpi_month")
    return kpis, read(kpis=list(kpis.values()), month_from=first, month_to=last)


def _span(contract: Contract, today: date) -> tuple[date, date]:
    """The contract's first month and last complete month before ``today`` (or its end month)."""
    first = _month(contract.start_date)
    last = min(_month(contract.end_date), _month(_month(today) - timedelta(days=1)))
    return first, last


def contract_values(
    *, contracts: Iterable[Contract], user, today: date | None = None
) -> dict[int, ContractValue]:
    """The value realised by each of ``contracts`` (module docstring), keyed by contract id.

    Set-based: a fixed number of queries whatever the number of contracts —
    the baseline adjustments, the spend records, the net credits, the volume
    KPIs and their results, each read once for all of them — so list pages,
    the executive's home and the portfolio pack do not grow a query per
    contract. Credits are read as ``user`` may see them.
    """
    from django.utils import timezone

    today = today or timezone.localdate()
    contracts = list({c.pk: c for c in contracts}.values())
    if not contracts:
        return {}
    spans = {c.pk: _span(c, today) for c in contracts}
    adjustments: dict[int, list[ChangeRequest]] = defaultdict(list)
    for cr in ChangeRequest.objects.filter(
        contract_id__in=list(spans),
        status__in=APPLIED,
        baseline_adjustment__isnull=False,
        baseline_adjustment_date__isnull=False,
    ).order_by("baseline_adjustment_date", "id"):
        adjustments[cr.contract_id].append(cr)
    live = [c for c in contracts if spans[c.pk][0] <= spans[c.pk][1]]
    spend: dict[tuple[int, date], Decimal] = {}
    credits: dict[tuple[int, date], Decimal] = {}
    kpis: dict[int, object] = {}
    volumes: dict[tuple[int, date], Decimal] = {}
    if live:
        # One window covering every live contract's months; each contract
        # reads only its own months below, so rows outside its span are unused.
        first = min(spans[c.pk][0] for c in live)
        last = max(spans[c.pk][1] for c in live)
        spend = {
            (contract_id, month): amount
            for contract_id, month, amount in SpendRecord.objects.filter(
                contract_id__in=[c.pk for c in live], month__gte=first, month__lte=last
            ).values_list("contract_id", "month", "amount")
        }
        credits = _net_credits(contracts=live, user=user, first=first, last=last)
        kpis, volumes = _volumes(contracts=live, first=first, last=last)
    return {
        c.pk: _value(
            contract=c,
            first=spans[c.pk][0],
            last=spans[c.pk][1],
            adjustments=adjustments[c.pk],
            spend=spend,
            credits=credits,
            kpi=kpis.get(c.pk),
            volumes=volumes,
        )
        for c in contracts
    }


def contract_value(*, contract: Contract, user, today: date | None = None) -> ContractValue:
    """The value realised by ``contract`` (module docstring), as ``user`` may see the credits."""
    return contract_values(contracts=[contract], user=user, today=today)[contract.pk]


def _value(
    *,
    contract: Contract,
    first: date,
    last: date,
    adjustments: list[ChangeRequest],
    spend: dict,
    credits: dict,
    kpi,
    volumes: dict,
) -> ContractValue:
    """One contract's value from the rows read for all (keyed by contract or KPI id and month)."""
    value = ContractValue(contract=contract, transition_cost=contract.transition_cost)
    value.adjustments = adjustments
    if last < first:
        return value
    if kpi is not None:
        value.volume_kpi = kpi
    pct = contract.target_savings_percent
    cumulative = ZERO
    quarters: dict[str, ValuePeriod] = {}
    years: dict[str, ValuePeriod] = {}
    paid_from = _month(contract.transition_cost_month) if contract.transition_cost_month else first
    month = first
    while month <= last:
        annual = contract.baseline_annual_cost + sum(
            (cr.baseline_adjustment for cr in adjustments
             if _month(cr.baseline_adjustment_date) <= month),
            ZERO,
        )  # fmt: skip
        baseline = _cents(annual / 12)
        amount = spend.get((contract.pk, month))
        credit = credits.get((contract.pk, month), ZERO)
        row = ValueMonth(
            month=month,
            baseline=baseline,
            spend=amount,
            credits=credit,
            net_spend=None,
            saving=None,
            target=None,
            cumulative_saving=cumulative,
            volume=volumes.get((kpi.pk, month)) if kpi is not None else None,
        )
        q_label = f"{month.year}-Q{(month.month - 1) // 3 + 1}"
        quarter = quarters.setdefault(q_label, ValuePeriod(label=q_label))
        year = years.setdefault(str(month.year), ValuePeriod(label=str(month.year)))
        if amount is None:
            quarter.missing += 1
            year.missing += 1
        else:
            row.net_spend = amount - credit
            row.saving = baseline - row.net_spend
            row.target = _cents(baseline * pct / 100)
            if month >= paid_from:
                cumulative += row.saving
            row.cumulative_saving = cumulative
            for period in (quarter, year):
                period.saving += row.saving
                period.target += row.target
                period.recorded += 1
            if row.volume:
                row.cost_per_transaction = (row.net_spend / row.volume).quantize(
                    Decimal("0.0001"), rounding=ROUND_HALF_UP
                )
            if (
                value.payback_month is None
                and contract.transition_cost > 0
                and month >= paid_from
                and cumulative >= contract.transition_cost
            ):
                value.payback_month = month
        value.months.append(row)
        month = _next(month)
    value.quarters = list(quarters.values())
    value.years = list(years.values())
    return value


def value_payload(value: ContractValue) -> dict:
    """The value as plain JSON-ready data (the API's ``value`` answer)."""

    def money(x):
        return None if x is None else str(x)

    return {
        "contract": value.contract.pk,
        "currency": value.contract.currency,
        "baseline_annual_cost": money(value.contract.baseline_annual_cost),
        "target_savings_percent": money(value.contract.target_savings_percent),
        "transition_cost": money(value.transition_cost),
        "transition_cost_month": (
            value.contract.transition_cost_month.isoformat()
            if value.contract.transition_cost_month
            else None
        ),
        "payback_month": value.payback_month.isoformat() if value.payback_month else None,
        "total_saving": money(value.total_saving),
        "total_target": money(value.total_target),
        "missing_months": [m.isoformat() for m in value.missing_months],
        "baseline_adjustments": [
            {
                "change_request": cr.pk,
                "amount": money(cr.baseline_adjustment),
                "effective": cr.baseline_adjustment_date.isoformat(),
            }
            for cr in value.adjustments
        ],
        "months": [
            {
                "month": m.month.isoformat(),
                "missing": m.missing,
                "baseline": money(m.baseline),
                "spend": money(m.spend),
                "credits": money(m.credits),
                "net_spend": money(m.net_spend),
                "saving": money(m.saving),
                "target": money(m.target),
                "cumulative_saving": money(m.cumulative_saving),
                "volume": money(m.volume),
                "cost_per_transaction": money(m.cost_per_transaction),
            }
            for m in value.months
        ],
        "quarters": [_period(p) for p in value.quarters],
        "years": [_period(p) for p in value.years],
    }


def _period(p: ValuePeriod) -> dict:
    return {
        "period": p.label,
        "saving": str(p.saving),
        "target": str(p.target),
        "recorded_months": p.recorded,
        "missing_months": p.missing,
        "on_target": p.on_target,
    }
