"""The contract date engine (DESIGN.md section 2, "Contract dates"): pure functions, no database.

    "The notice deadline is the term end minus the notice period; an
    automatically renewing contract not cancelled by the deadline rolls over
    by its renewal term. Reminders go out 90, 30 and 7 days before a notice
    deadline."

How the rule is read here (and tested against hand-worked dates in
``tests/contracts/test_dates.py``):

* **Term end** (``end_date``) is the contract's last day, inclusive: a term
  of 2025-01-01 to 2025-12-31 covers the whole of 2025.
* **Notice deadline** = term end − notice period in calendar days. It is the
  last day on which notice can still be given (inclusive). Zero days of notice
  make the deadline the term end itself. A contract that does not renew
  (``renewal = none``) has no notice deadline: it ends by itself, there is
  nothing to give notice against.
* **Roll-over** (``renewal = automatic`` only, i.e. tacit renewal): once the
  notice deadline has passed (``today > deadline``) and the contract is still
  active, the renewal is locked in and the term end moves forward by the
  renewal term: ``new end = add_months(end, renewal_months)``, with one
  month-end rule: a term that ends on the last day of a month ends on the last
  day of the target month (2023-02-28 + 12 → 2024-02-29, 2024-02-29 + 12 →
  2025-02-28, 2024-04-30 + 1 → 2024-05-31). Other days keep their day of
  month, clamped to the target month's length (2024-01-30 + 1 → 2024-02-29).
  Roll-overs chain term by term, so a job that did not run for a long time
  reaches the same end date as one that ran every day.
  Renewal ``by_agreement`` (express) never rolls by itself: the parties agree
  and someone records the new end date; until then the contract expires at
  its term end like a non-renewing one.
* **Next renewal date** = the day after the term end for a renewing
  contract (automatic or by agreement); none for ``renewal = none``.
* **Reminders** are due on deadline − 90, − 30 and − 7 days. A daily job that
  missed its day still sends the most urgent reminder whose day has come
  (see ``due_reminder``), and never the less urgent ones it skipped.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

AUTOMATIC = "automatic"
BY_AGREEMENT = "by_agreement"
NONE = "none"
RENEWING = (AUTOMATIC, BY_AGREEMENT)

REMINDER_DAYS: tuple[int, ...] = (90, 30, 7)


class Terms(Protocol):
    """What the engine reads from a contract (a ``Contract`` row or ``ContractTerms``)."""

    end_date: date
    renewal: str
    renewal_months: int
    notice_days: int


@dataclass(frozen=True)
class ContractTerms:
    """A contract's dates and renewal terms without a database row (tests, previews)."""

    end_date: date
    renewal: str = NONE
    renewal_months: int = 0
    notice_days: int = 0


def is_month_end(day: date) -> bool:
    """Is ``day`` the last day of its month?"""
    return day.day == calendar.monthrange(day.year, day.month)[1]


def month_end(year: int, month: int) -> date:
    """The last day of ``month`` in ``year``."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later (or earlier), clamped to that month's length.

    2024-01-31 + 1 → 2024-02-29; 2023-01-31 + 1 → 2023-02-28; 2024-02-29 + 12 → 2025-02-28.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def roll_end_date(end_date: date, months: int) -> date:
    """The term end after one roll-over of ``months``; month ends stay month ends.

    2024-12-31 + 12 → 2025-12-31; 2023-02-28 + 12 → 2024-02-29 (Feb 28 was the
    month end); 2024-06-15 + 12 → 2025-06-15.
    """
    moved = add_months(end_date, months)
    if is_month_end(end_date):
        return month_end(moved.year, moved.month)
    return moved


def notice_deadline(end_date: date, notice_days: int) -> date:
    """Term end minus the notice period in days: the last day notice can be given."""
    return end_date - timedelta(days=notice_days)


def contract_notice_deadline(terms: Terms) -> date | None:
    """The notice deadline of the current term; None when the contract does not renew."""
    if terms.renewal not in RENEWING:
        return None
    return notice_deadline(terms.end_date, terms.notice_days)


def next_renewal_date(end_date: date, renewal: str) -> date | None:
    """The day after the term end for a renewing contract; None when it does not renew."""
    if renewal not in RENEWING:
        return None
    return end_date + timedelta(days=1)


def roll_over_ends(terms: Terms, today: date) -> list[date]:
    """The successive term ends an automatic renewal reaches by ``today`` (empty: no roll-over).

    While the current term's notice deadline lies before ``today`` the term
    rolls over by ``renewal_months``. With a notice period longer than the
    renewal term one day can lock in several terms; the list holds each end.
    """
    if terms.renewal != AUTOMATIC or terms.renewal_months <= 0:
        return []
    ends = []
    end = terms.end_date
    while today > notice_deadline(end, terms.notice_days):
        end = roll_end_date(end, terms.renewal_months)
        ends.append(end)
    return ends


def current_term_end(terms: Terms, today: date) -> date:
    """The term end in force on ``today``: ``end_date`` rolled over as often as needed.

    For ``renewal = automatic``: roll the end forward by ``renewal_months`` as
    long as ``today`` is after the current term's notice deadline. Afterwards
    ``today <= notice deadline <= term end``. Other renewal kinds never move.
    """
    ends = roll_over_ends(terms, today)
    return ends[-1] if ends else terms.end_date


def is_expired(terms: Terms, today: date) -> bool:
    """Has a contract that does not roll over by itself passed its term end?"""
    return terms.renewal != AUTOMATIC and terms.end_date < today


def reminder_dates(deadline: date) -> dict[int, date]:
    """Days-before → the day that reminder is due: deadline − 90, − 30, − 7."""
    return {days: deadline - timedelta(days=days) for days in REMINDER_DAYS}


def due_reminder(deadline: date | None, today: date) -> int | None:
    """Which reminder (90, 30 or 7 days before) is due on ``today``, if any.

    The most urgent one whose day has come, as long as the deadline has not
    passed: 20 days before the deadline it is the 30-day reminder; 5 days
    before, the 7-day one; 100 days before or after the deadline, none. Run
    daily, each reminder is due first exactly on its day.
    """
    if deadline is None or today > deadline:
        return None
    for days in sorted(REMINDER_DAYS):
        if deadline - timedelta(days=days) <= today:
            return days
    return None
