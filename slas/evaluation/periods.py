"""Calendar periods of DESIGN.md section 2, in Python and as SQL fragments.

"Periods are calendar periods: a day; an ISO week (Monday–Sunday); a calendar
month; a calendar quarter (Jan–Mar, …)."

The engine computes periods in SQL (``period_start_sql`` / ``period_end_sql``);
the Python functions compute the very same periods for callers that need them
outside a query (planning ``since`` windows, tests, pages). PostgreSQL's
``date_trunc('week', …)`` is the ISO week: it starts on Monday, so the week of
Monday 2025-12-29 to Sunday 2026-01-04 is one period (ISO 2026-W01).

Effective window ("a period is evaluated only if it lies within the SLA's
effective window"): a period *lies within* the window when the whole period
does — ``period_start >= effective_from`` and, when ``effective_to`` is set,
``period_end <= effective_to``. A partial period at either edge is not
evaluated: judging a part-month against a whole-month target is unfair to one
side (a ``sum`` SLA would look breached, a ``min`` one could look met), and
contracts that start an SLA mid-month normally measure from the first whole
period.
"""

from __future__ import annotations

from datetime import date, timedelta

from slas.choices import Period
from slas.evaluation.literals import DAILY, MONTHLY, WEEKLY, lit

# date_trunc unit and length of one period, per SLA period kind.
_TRUNC = {
    Period.DAILY: "day",
    Period.WEEKLY: "week",
    Period.MONTHLY: "month",
    Period.QUARTERLY: "quarter",
}


def period_start(kind: str, day: date) -> date:
    """The first day of the ``kind`` period (daily/weekly/monthly/quarterly) containing ``day``."""
    if kind == Period.DAILY:
        return day
    if kind == Period.WEEKLY:
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday
    if kind == Period.MONTHLY:
        return day.replace(day=1)
    if kind == Period.QUARTERLY:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    raise ValueError(f"Unknown period kind {kind!r}.")


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def next_period_start(kind: str, start: date) -> date:
    """The first day of the period after the one starting on ``start``."""
    if kind == Period.DAILY:
        return start + timedelta(days=1)
    if kind == Period.WEEKLY:
        return start + timedelta(days=7)
    if kind == Period.MONTHLY:
        return _add_months(start, 1)
    if kind == Period.QUARTERLY:
        return _add_months(start, 3)
    raise ValueError(f"Unknown period kind {kind!r}.")


def period_bounds(kind: str, day: date) -> tuple[date, date]:
    """(first day, last day) of the ``kind`` period containing ``day``."""
    start = period_start(kind, day)
    return start, next_period_start(kind, start) - timedelta(days=1)


def since_floor(since: date) -> date:
    """The earliest date a measurement of any period ending on/after ``since`` can have.

    Every such period starts on or after the Monday of the week holding the
    first day of ``since``'s quarter, so scanning measurements from there
    gives complete aggregates for all of them.
    """
    quarter = period_start(Period.QUARTERLY, since)
    return quarter - timedelta(days=quarter.weekday())


# --- SQL fragments -------------------------------------------------------------------
# ``kind`` is an SQL expression naming the SLA's period column (e.g. ``s.period``).


def trunc_unit_sql(kind: str) -> str:
    cases = " ".join(f"WHEN {lit(k)} THEN '{unit}'" for k, unit in _TRUNC.items())
    return f"(CASE {kind} {cases} END)"


def step_sql(kind: str) -> str:
    """The length of one period as an SQL interval."""
    return (
        f"(CASE {kind} WHEN {DAILY} THEN interval '1 day' WHEN {WEEKLY} THEN interval '7 days' "
        f"WHEN {MONTHLY} THEN interval '1 month' ELSE interval '3 months' END)"
    )


def period_start_sql(kind: str, day: str) -> str:
    """SQL for the first day of the period containing the date expression ``day``.

    The cast to ``timestamp`` (without time zone) keeps the session time zone
    out of the computation.
    """
    return f"date_trunc({trunc_unit_sql(kind)}, ({day})::timestamp)::date"


def period_end_sql(kind: str, start: str) -> str:
    """SQL for the last day of the period starting on the date expression ``start``."""
    return f"((({start})::timestamp + {step_sql(kind)})::date - 1)"


def _month_number_sql(day: str) -> str:
    return f"(12 * extract(year from ({day}))::int + extract(month from ({day}))::int)"


def period_index_sql(kind: str, start: str, day: str) -> str:
    """SQL for the index k of the period holding the date ``day``, counted from ``start``.

    ``start`` is a period start (period 0) and ``day`` a date expression;
    period k starts ``k`` steps after ``start`` (negative before it). Computed
    arithmetically, without stepping through the periods: days, whole weeks of
    days, or calendar months (and blocks of three months) between the two.
    For a ``start`` that is not on a boundary of ``kind`` (a breach kept from
    before its SLA's period kind changed) it is the k whose ``start + k steps``
    lies in the same week-long block of days, or the same calendar month or
    three-month block, as ``day``.
    """
    days = f"(({day})::date - ({start})::date)"
    months = f"({_month_number_sql(day)} - {_month_number_sql(start)})"
    return (
        f"(CASE {kind} WHEN {DAILY} THEN {days} "
        f"WHEN {WEEKLY} THEN floor({days} / 7.0)::int "
        f"WHEN {MONTHLY} THEN {months} ELSE floor({months} / 3.0)::int END)"
    )
