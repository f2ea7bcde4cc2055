"""The exact rules of the risks app, each defined once and used everywhere.

* **Rating bands** (DESIGN.md section 1): on a score s = likelihood × impact,
  low s ≤ 4, medium 5–9, high 10–14, critical ≥ 15. ``rating`` is the Python
  face, ``rating_sql`` the SQL one (filters, aggregates, the heat map); both
  read the one ``BANDS`` table.
* **Residual ≤ inherent**: controls can lower a risk, never raise it.
* **Continuity** (issue #11): a tier-1 vendor is flagged unless one of its
  plans was tested in the last 12 months. "In the last 12 months" means on or
  after the same day twelve calendar months before today (clamped to the
  month's end): on 2026-12-04 a test on 2025-12-04 counts, one on 2025-12-03
  does not.
* **Reviews that come due**: a review is *overdue* when its date is before
  today and *due* when it falls today or within the next ``DUE_SOON_DAYS``
  days. After a review, the next one falls the tier's cadence later
  (``ReviewCadence``: tier 1 every 3 months, tier 2 every 6, tiers 3 and 4
  every 12, editable).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Case, CharField, F, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.lookups import LessThanOrEqual

from contracts.dates import add_months
from risks.choices import ContinuityState, Rating

# (upper bound inclusive, band), lowest first; the last band has no upper bound.
BANDS: tuple[tuple[int | None, str], ...] = (
    (4, Rating.LOW),
    (9, Rating.MEDIUM),
    (14, Rating.HIGH),
    (None, Rating.CRITICAL),
)
SCALE = range(1, 6)  # likelihood and impact, 1–5
CONTINUITY_MONTHS = 12
DUE_SOON_DAYS = 14
DEFAULT_CADENCE_MONTHS = {1: 3, 2: 6, 3: 12, 4: 12}
# Continuity states that flag a tier-1 vendor ("without a plan tested in the last 12 months").
FLAGGED_CONTINUITY = (ContinuityState.NO_PLAN, ContinuityState.NEVER_TESTED, ContinuityState.STALE)


def rating(score: int | None) -> str | None:
    """The band of ``score``: ``low`` ≤ 4, ``medium`` 5–9, ``high`` 10–14, ``critical`` ≥ 15."""
    if score is None:
        return None
    for upper, band in BANDS:
        if upper is None or score <= upper:
            return band.value
    raise AssertionError("unreachable: the last band is open-ended")


def rating_sql(score) -> Case:
    """``rating`` as a SQL expression over ``score`` (an expression), for filters and counts."""
    whens = [
        When(LessThanOrEqual(score, upper), then=Value(band.value))
        for upper, band in BANDS
        if upper is not None
    ]
    return Case(*whens, default=Value(BANDS[-1][1].value), output_field=CharField())


def score_sql(*, residual: bool) -> CombinedExpression:
    """The inherent (likelihood × impact) or residual score of a risk row, in SQL."""
    if residual:
        return F("residual_likelihood") * F("residual_impact")
    return F("likelihood") * F("impact")


def score_bounds(band: str) -> tuple[int, int]:
    """The lowest and highest score of ``band`` (critical: 15–25)."""
    low = 1
    for upper, name in BANDS:
        high = upper if upper is not None else max(SCALE) ** 2
        if name == band:
            return low, high
        low = high + 1
    raise ValueError(f"Unknown rating {band!r}")


def continuity_cutoff(today: date) -> date:
    """The earliest test date that still counts as "tested in the last 12 months"."""
    return add_months(today, -CONTINUITY_MONTHS)


def continuity_state(
    *, tier: int, plan_count: int, last_test: date | None, last_result: str | None, today: date
) -> str:
    """A vendor's continuity standing from its plans' latest test (see the module rules)."""
    if tier != 1:
        return ContinuityState.NOT_REQUIRED.value
    if not plan_count:
        return ContinuityState.NO_PLAN.value
    if last_test is None:
        return ContinuityState.NEVER_TESTED.value
    if last_test < continuity_cutoff(today):
        return ContinuityState.STALE.value
    if last_result == "fail":
        return ContinuityState.FAILED.value
    return ContinuityState.TESTED.value


def review_state(next_review: date | None, today: date) -> str | None:
    """``overdue`` (before today), ``due`` (today … today + 14 days), ``scheduled`` or None."""
    if next_review is None:
        return None
    if next_review < today:
        return "overdue"
    if next_review <= today + timedelta(days=DUE_SOON_DAYS):
        return "due"
    return "scheduled"


def due_horizon(today: date) -> date:
    """The last date a review may fall on to count as due on ``today``."""
    return today + timedelta(days=DUE_SOON_DAYS)


def next_review_after(day: date, *, months: int) -> date:
    """The review ``months`` after ``day`` (clamped to the month's end)."""
    return add_months(day, months)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> date:
    """The last day of calendar quarter ``quarter`` (1–4) of ``year``."""
    month = quarter * 3
    return add_months(date(year, month, 1), 1) - timedelta(days=1)


def quarters_back(today: date, count: int) -> list[tuple[int, int]]:
    """The ``count`` calendar quarters ending with today's, oldest first."""
    year, quarter = quarter_of(today)
    out = []
    for _ in range(count):
        out.append((year, quarter))
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return list(reversed(out))
