"""The one reader of service-credit figures: query expressions over what the engine stored.

The evaluation engine (``slas.evaluation``) is the only writer: it stores on
each Breach its uncapped credit, its share after the monthly cap (``credit``)
and its earn-back state; the at-risk amount (the cap) is a column the
database computes on the contract (``Contract.at_risk_amount``). Every page,
API response, scorecard and report that shows a credit figure reads it
through this module, so they cannot disagree with each other or with the
engine (``tests/slas/test_credit_paths.py`` checks every path against
hand-worked months).

The figures of a **credit statement** (one per contract and month the
breached periods end in; DESIGN.md section 6, ``credit-statements``):

* ``at_risk_amount`` — the contract's monthly cap;
* ``credits_uncapped`` — the credits of the breaches that carry one, before
  the cap: SLA (not KPI) breaches neither waived nor withdrawn;
* ``credits_due`` — after the cap: the sum of the engine's capped shares;
* ``credits_earned_back`` — the part of ``credits_due`` the vendor earned
  back (the same SLA met or at risk in the N periods after the breach);
* ``credits_pending_earn_back`` — the part of ``credits_due`` whose earn-back
  window is still running;
* ``net_credit`` = ``credits_due − credits_earned_back``: what the vendor owes
  for the month. A pending credit counts as owed until it is earned back
  (``slas/evaluation/rules.md``, "Credit statements").

Besides those, pages show ``credits_waived`` (what waivers gave up, before
the cap), ``breaches`` (the breaches counted: not withdrawn, SLAs only) and
``capped`` (the cap bit: uncapped credits above the at-risk amount).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce

from slas import choices
from slas.models import Breach

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)

# The figures of a statement, in the order of DESIGN.md section 6.
STATEMENT_FIELDS = (
    "contract",
    "month",
    "at_risk_amount",
    "credits_uncapped",
    "credits_due",
    "credits_earned_back",
    "credits_pending_earn_back",
    "net_credit",
)

# A breach counted on a statement: an SLA's (KPIs carry no credit), not withdrawn
# (a correction cured its period; the engine zeroed its credits).
COUNTED = Q(sla__kind=choices.Kind.SLA) & ~Q(status=choices.BreachStatus.WITHDRAWN)
# A breach whose credit is due: counted and not waived.
DUE = COUNTED & ~Q(status=choices.BreachStatus.WAIVED)
WAIVED = COUNTED & Q(status=choices.BreachStatus.WAIVED)


def _sum(column: str, condition: Q):
    return Coalesce(Sum(column, filter=condition), ZERO, output_field=MONEY)


def figures() -> dict:
    """The aggregate expressions of a statement row, over a group of breaches."""
    return {
        "breaches": Count("id", filter=COUNTED),
        "credits_uncapped": _sum("credit_uncapped", DUE),
        # The engine's capped shares: 0 for waived, withdrawn and KPI breaches.
        "credits_due": _sum("credit", DUE),
        "credits_earned_back": _sum("credit", DUE & Q(earn_back=choices.EarnBack.EARNED_BACK)),
        "credits_pending_earn_back": _sum("credit", DUE & Q(earn_back=choices.EarnBack.PENDING)),
        "credits_waived": _sum("credit_uncapped", WAIVED),
    }


def derived() -> dict:
    """The figures worked out from the aggregates: the net credit and whether the cap bit."""
    return {
        "net_credit": ExpressionWrapper(
            F("credits_due") - F("credits_earned_back"), output_field=MONEY
        ),
        "capped": ExpressionWrapper(
            Q(credits_uncapped__gt=F("at_risk_amount")), output_field=BooleanField()
        ),
    }


def statement_rows(breaches: QuerySet[Breach]) -> QuerySet:
    """One statement row per contract and month of ``breaches`` (already scoped and filtered).

    A month appears when it holds at least one counted breach (a month whose
    breaches were all withdrawn, or are all KPIs', owes nothing and has no
    statement). Values: ``contract`` (id), ``month`` (first day), the
    figures above, and ``reference``, ``vendor`` (name), ``vendor_id``,
    ``currency`` for display. One query, ordered newest month first.
    """
    return (
        breaches.filter(COUNTED)
        .values(
            contract=F("sla__contract_id"),
            month=F("credit_month"),
            reference=F("sla__contract__reference"),
            vendor=F("sla__contract__vendor__name"),
            vendor_id=F("sla__contract__vendor_id"),
            currency=F("sla__contract__currency"),
            at_risk_amount=F("sla__contract__at_risk_amount"),
        )
        .annotate(**figures())
        .annotate(**derived())
        .order_by("-month", "reference", "contract")
    )


def month_rows(breaches: QuerySet[Breach]) -> QuerySet:
    """The figures per month of some breaches (e.g. one SLA's), without the contract columns.

    Same rules as a statement: withdrawn breaches are not counted, a waived
    breach's credit is shown as waived, not as uncapped.
    """
    return (
        breaches.filter(COUNTED)
        .values(month=F("credit_month"))
        .annotate(**figures())
        .annotate(
            net_credit=ExpressionWrapper(
                F("credits_due") - F("credits_earned_back"), output_field=MONEY
            )
        )
        .order_by("-month")
    )


def due_by_currency(breaches: QuerySet[Breach]) -> list[dict]:
    """Credits due (after the cap) of some breaches, per contract currency, in one query.

    ``[{"currency": "EUR", "total": Decimal}]`` ordered by currency; a currency
    owing nothing is left out (the vendor page's "credits on record").
    """
    rows = (
        breaches.values(currency=F("sla__contract__currency"))
        .annotate(total=_sum("credit", DUE))
        .order_by("currency")
    )
    return [{"currency": r["currency"], "total": r["total"]} for r in rows if r["total"]]


def month_floor(day: dt.date | None) -> dt.date | None:
    """The first day of ``day``'s month (statements are keyed by month)."""
    return day.replace(day=1) if day is not None else None


def totals(rows) -> dict[str, Decimal]:
    """Column totals of statement rows (meaningful when they share one currency)."""
    keys = (
        "at_risk_amount",
        "credits_uncapped",
        "credits_due",
        "credits_earned_back",
        "credits_pending_earn_back",
        "net_credit",
        "credits_waived",
    )
    return {k: sum((r[k] for r in rows), ZERO) for k in keys}
