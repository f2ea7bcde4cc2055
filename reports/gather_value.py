"""Value realised in the QBR, the portfolio pack and the executive's home (issue #13).

Every figure is ``contracts.value``'s — the one reader of savings, which the
API answers as ``GET /api/v1/contracts/{id}/value/``: the months' adjusted
baseline, spend, credits applied, net spend, saving and target, and the
quarters' and years' sums. Nothing here works a saving out again; it only
picks a quarter's months (or the months to date) of each contract and adds
them up per currency. A month without a spend record stays missing: it is
listed as missing and is in no sum (``contracts.value``'s rule).

Only contracts with a business case (a baseline annual cost above zero) are
shown: against no baseline a "saving" means nothing.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from contracts.models import Contract
from contracts.value import ContractValue, contract_values
from reports import quarters

ZERO = Decimal("0.00")
SUMMED = ("spend", "credits", "net_spend", "baseline", "saving", "target")


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _pct(part: Decimal, whole: Decimal) -> str | None:
    if not whole:
        return None
    return str((part * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP))


def office_reader():
    """Whom a report reads credits as: the whole internal picture, as the office sees it.

    Reports are gathered by a task (often the quarter-end job, with no user);
    the edition, not the reader, decides what the PDF shows. An unsaved
    superuser is the admin role for ``core.permissions`` and is never stored.
    """
    from django.contrib.auth import get_user_model

    return get_user_model()(username="covenant-reports", is_superuser=True, is_active=True)


def _month_row(m) -> dict[str, Any]:
    return {
        "month": m.month.isoformat(),
        "missing": m.missing,
        "baseline": _s(m.baseline),
        "spend": _s(m.spend),
        "credits": _s(m.credits) if not m.missing else None,
        "net_spend": _s(m.net_spend),
        "saving": _s(m.saving),
        "target": _s(m.target),
    }


def _sums(months) -> dict[str, Decimal]:
    """Spend, credits, net spend, baseline, saving and target over the recorded months."""
    out = dict.fromkeys(SUMMED, ZERO)
    for m in months:
        if m.missing:
            continue
        out["spend"] += m.spend
        out["credits"] += m.credits
        out["net_spend"] += m.net_spend
        out["baseline"] += m.baseline
        out["saving"] += m.saving
        out["target"] += m.target
    return out


def _period(period, sums: dict[str, Decimal] | None = None) -> dict[str, Any]:
    """A ``contracts.value.ValuePeriod`` (its saving and target are the API's), with sums."""
    row = {
        "period": period.label if period else None,
        "saving": str(period.saving if period else ZERO),
        "target": str(period.target if period else ZERO),
        "recorded_months": period.recorded if period else 0,
        "missing_months": period.missing if period else 0,
        "on_target": period.on_target if period else False,
    }
    if sums is not None:
        row.update({k: str(sums[k]) for k in ("spend", "credits", "net_spend", "baseline")})
    return row


def quarter_entry(value: ContractValue, *, quarter: str) -> dict[str, Any] | None:
    """One contract's value in ``quarter`` and its year to date; None without a month in it."""
    start, end = quarters.bounds(quarter)
    in_quarter = [m for m in value.months if start <= m.month <= end]
    if not in_quarter:
        return None
    label = f"{start.year}-Q{quarter[-1]}"  # contracts.value's quarter label
    period = next((p for p in value.quarters if p.label == label), None)
    year = next((p for p in value.years if p.label == str(start.year)), None)
    to_date = [m for m in value.months if m.month.year == start.year and m.month <= end]
    contract = value.contract
    return {
        "contract_id": contract.pk,
        "reference": contract.reference,
        "title": contract.title,
        "currency": contract.currency,
        "baseline_annual_cost": str(contract.baseline_annual_cost),
        "target_savings_percent": str(contract.target_savings_percent),
        "months": [_month_row(m) for m in in_quarter],
        "missing_months": [m.month.isoformat() for m in in_quarter if m.missing],
        "quarter": _period(period, _sums(in_quarter)),
        "year_to_date": _period(year, _sums(to_date)),
        "baseline_adjustments": [
            {
                "amount": str(cr.baseline_adjustment),
                "effective": cr.baseline_adjustment_date.isoformat(),
            }
            for cr in value.adjustments
            if cr.baseline_adjustment_date <= end
        ],
        "transition_cost": str(value.transition_cost) if value.transition_cost else None,
        "transition_cost_month": (
            contract.transition_cost_month.isoformat() if contract.transition_cost_month else None
        ),
        "payback_month": value.payback_month.isoformat() if value.payback_month else None,
        "cumulative_saving": str(in_quarter[-1].cumulative_saving),
    }


def _totals(entries: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per currency: the quarter's sums and the year to date's saving and target."""
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    missing: dict[str, int] = defaultdict(int)
    for e in entries:
        bucket = totals[e["currency"]]
        for key in SUMMED:
            bucket[key] += Decimal(e["quarter"][key])
        bucket["ytd_saving"] += Decimal(e["year_to_date"]["saving"])
        bucket["ytd_target"] += Decimal(e["year_to_date"]["target"])
        missing[e["currency"]] += len(e["missing_months"])
    return {
        cur: {
            **{k: str(v) for k, v in t.items()},
            "savings_pct": _pct(t["saving"], t["baseline"]),
            "target_pct": _pct(t["target"], t["baseline"]),
            "missing_months": missing[cur],
        }
        for cur, t in sorted(totals.items())
    }


def report_as_of(*, quarter: str, today: date) -> date:
    """The ``today`` to read a quarter's value with: the day after it ends, or today if sooner.

    ``contracts.value`` runs to the last complete month before ``today``, so
    the quarter's months are all in and nothing after them is.
    """
    return min(quarters.bounds(quarter)[1] + timedelta(days=1), today)


def vendor_value(*, contracts: list[Contract], quarter: str, today: date) -> dict[str, Any]:
    """The value section of a vendor's QBR: per contract with a business case, and totals."""
    as_of = report_as_of(quarter=quarter, today=today)
    cased = [c for c in contracts if c.baseline_annual_cost > 0]
    values = contract_values(contracts=cased, user=office_reader(), today=as_of)
    entries = []
    for contract in cased:
        entry = quarter_entry(values[contract.pk], quarter=quarter)
        if entry is not None:
            entries.append(entry)
    return {"contracts": entries, "totals": _totals(entries)}


def to_date(*, contracts, user, today: date) -> dict[str, dict[str, Any]]:
    """Spend against baseline and savings to date against target, per currency.

    Over every recorded month of each contract with a business case, from its
    start to the last complete month before ``today`` (``contracts.value``);
    months without a spend record are counted, never summed. The values are
    read for all contracts at once (``contracts.value.contract_values``): a
    fixed number of queries whatever the number of contracts.
    """
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    missing: dict[str, int] = defaultdict(int)
    cased = [c for c in contracts if c.baseline_annual_cost > 0]
    values = contract_values(contracts=cased, user=user, today=today)
    for contract in cased:
        value = values[contract.pk]
        if not value.months:
            continue
        bucket = totals[contract.currency]
        sums = _sums(value.months)
        for key in ("spend", "credits", "net_spend", "baseline"):
            bucket[key] += sums[key]
        # The saving and its target to date are the value's own totals (the API's).
        bucket["saving"] += value.total_saving
        bucket["target"] += value.total_target
        missing[contract.currency] += len(value.missing_months)
    return {
        cur: {
            **{k: str(t[k]) for k in SUMMED},
            "savings_pct": _pct(t["saving"], t["baseline"]),
            "missing_months": missing[cur],
        }
        for cur, t in sorted(totals.items())
    }
