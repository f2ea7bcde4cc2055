"""What ``slas`` provides to the contracts app by name (``core.registry.provide``).

A contract's value (``contracts/value.py``) nets the service credits and uses
a volume KPI's results, both the SLA app's rows; contracts sits below slas and
does not import it. ``SlasConfig.ready()`` registers these readers.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from slas.choices import Aggregation, Kind, Period
from slas.models import SLA, Result
from slas.selectors import credit_statements

ZERO = Decimal("0.00")


def net_credits_by_month(*, contract, user, month_from: date, month_to: date) -> dict:
    """The contract's net credit per month (``slas.credits``), as ``user`` may see them."""
    credits: dict[date, Decimal] = defaultdict(lambda: ZERO)
    rows = credit_statements(user=user, contract=contract, month_from=month_from, month_to=month_to)
    for row in rows:
        credits[row["month"]] += row["net_credit"] or ZERO
    return dict(credits)


def volume_kpi(*, contract):
    """The contract's volume KPI: its first monthly summed KPI, or None."""
    return (
        SLA.objects.filter(
            contract=contract, kind=Kind.KPI, period=Period.MONTHLY, aggregation=Aggregation.SUM
        )
        .order_by("id")
        .first()
    )


def volumes_by_month(*, kpi, month_from: date, month_to: date) -> dict:
    """The volume KPI's actual per month (first day of the period)."""
    return {
        r.period_start: r.actual
        for r in Result.objects.filter(
            sla=kpi, period_start__gte=month_from, period_start__lte=month_to
        )
    }
