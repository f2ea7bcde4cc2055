"""What ``slas`` provides to the contracts app by name (``core.registry.provide``).

A contract's value (``contracts/value.py``) nets the service credits and uses
a volume KPI's results, both the SLA app's rows; contracts sits below slas and
does not import it. ``SlasConfig.ready()`` registers these readers.

The batch readers (``…_by_contract_month``, ``volume_kpis``,
``volumes_by_kpi_month``) take many contracts and read each kind of row once,
so the value of a whole portfolio costs a fixed number of queries. The
one-contract readers are kept for callers that ask about a single contract;
they answer through the batch readers, so there is one implementation.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from slas.choices import Aggregation, Kind, Period
from slas.models import SLA, Result
from slas.selectors import breach_list, credit_statements

ZERO = Decimal("0.00")


def _ids(contracts) -> list[int]:
    return [getattr(c, "pk", c) for c in contracts]


def net_credits_by_contract_month(*, contracts, user, month_from: date, month_to: date) -> dict:
    """Net credit per (contract id, month) of ``contracts`` (``slas.credits``), as ``user`` may see.

    One query: the credit statements of all the contracts, scoped to ``user``.
    """
    ids = _ids(contracts)
    if not ids:
        return {}
    credits: dict[tuple[int, date], Decimal] = defaultdict(lambda: ZERO)
    rows = credit_statements(
        user=user,
        breaches=breach_list(user=user).filter(sla__contract_id__in=ids),
        month_from=month_from,
        month_to=month_to,
    )
    for row in rows:
        credits[(row["contract"], row["month"])] += row["net_credit"] or ZERO
    return dict(credits)


def net_credits_by_month(*, contract, user, month_from: date, month_to: date) -> dict:
    """The contract's net credit per month (``slas.credits``), as ``user`` may see them."""
    pk = getattr(contract, "pk", contract)
    both = net_credits_by_contract_month(
        contracts=[pk], user=user, month_from=month_from, month_to=month_to
    )
    return {month: credit for (_, month), credit in both.items()}


def volume_kpis(*, contracts) -> dict[int, SLA]:
    """Each contract's volume KPI (its first monthly summed KPI), by contract id; one query.

    Contracts without one are absent.
    """
    ids = _ids(contracts)
    if not ids:
        return {}
    kpis: dict[int, SLA] = {}
    for sla in SLA.objects.filter(
        contract_id__in=ids, kind=Kind.KPI, period=Period.MONTHLY, aggregation=Aggregation.SUM
    ).order_by("contract_id", "id"):
        kpis.setdefault(sla.contract_id, sla)
    return kpis


def volume_kpi(*, contract):
    """The contract's volume KPI: its first monthly summed KPI, or None."""
    pk = getattr(contract, "pk", contract)
    return volume_kpis(contracts=[pk]).get(pk)


def volumes_by_kpi_month(*, kpis, month_from: date, month_to: date) -> dict:
    """The volume KPIs' actual per (KPI id, month: first day of the period); one query."""
    ids = _ids(kpis)
    if not ids:
        return {}
    return {
        (sla_id, start): actual
        for sla_id, start, actual in Result.objects.filter(
            sla_id__in=ids, period_start__gte=month_from, period_start__lte=month_to
        ).values_list("sla_id", "period_start", "actual")
    }


def volumes_by_month(*, kpi, month_from: date, month_to: date) -> dict:
    """The volume KPI's actual per month (first day of the period)."""
    both = volumes_by_kpi_month(kpis=[kpi], month_from=month_from, month_to=month_to)
    return {month: actual for (_, month), actual in both.items()}
