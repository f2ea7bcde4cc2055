"""The relationship health rules: index per side, per dimension, the gap, the trend.

The rule, exactly:

* A side's **health index** for a quarter is the arithmetic mean of its six
  scores (communication, responsiveness, flexibility, quality, innovation,
  trust; each 1–5), computed exactly in ``Decimal`` and rounded to 2 decimal
  places **ROUND_HALF_UP**. Six integer scores make a mean in sixths:
  25/6 = 4.1666… → 4.17, 26/6 = 4.333… → 4.33, 27/6 = 4.5 → 4.50. Nothing
  is rounded twice: the mean is taken exactly, then rounded once.
* The **gap** is client − vendor: per dimension the difference of the two
  integer scores; for the index, the difference of the two rounded indexes
  (so the figures shown add up). A positive gap means the client rates the
  relationship higher than the vendor does. A side that has not answered has
  no index and there is no gap.
* The **trend** lists the quarters in order with both indexes and the gap.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from improvement.choices import DIMENSIONS

__all__ = ["DIMENSIONS", "gap", "health_index", "previous_quarters", "quarter_key"]

CENT = Decimal("0.01")


def health_index(scores: dict[str, int]) -> Decimal:
    """The mean of the six scores, rounded to 2 decimals half-up."""
    total = sum(Decimal(scores[name]) for name in DIMENSIONS)
    return (total / Decimal(len(DIMENSIONS))).quantize(CENT, rounding=ROUND_HALF_UP)


def gap(client: Decimal | int | None, vendor: Decimal | int | None) -> Decimal | int | None:
    """client − vendor, or None when either side has not answered."""
    if client is None or vendor is None:
        return None
    return client - vendor


def quarter_key(quarter: str) -> tuple[int, int]:
    """(year, quarter) of "2026Q3", for ordering."""
    return int(quarter[:4]), int(quarter[5])


def previous_quarters(quarter: str, count: int) -> list[str]:
    """The ``count`` quarters before ``quarter``, oldest first."""
    year, q = quarter_key(quarter)
    index = year * 4 + (q - 1)
    return [f"{i // 4}Q{i % 4 + 1}" for i in range(index - count, index)]
