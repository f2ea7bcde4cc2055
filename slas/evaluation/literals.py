"""The enum literals of the engine's SQL, built from ``slas.choices``.

The statements compare and write status, severity, kind, aggregation and
period values as SQL string literals. Spelling them by hand let a typo
(``'withdrawnn'``) compile and silently match nothing; built from the
choices, a renamed or removed value is an ``AttributeError`` at import, and
``tests/slas/test_sql_literals.py`` fails when any quoted literal left in the
rendered SQL is not a valid choice (or one of the few non-enum literals it
lists: date_trunc units, intervals).
"""

from __future__ import annotations

import re

from django.db import models

from slas.choices import (
    Aggregation,
    BreachStatus,
    Direction,
    EarnBack,
    Kind,
    Period,
    ResultStatus,
    Severity,
)

_PLAIN = re.compile(r"^[a-z_]+$")


def lit(choice: models.Choices) -> str:
    """The quoted SQL literal of a choice: ``lit(ResultStatus.MET)`` -> ``'met'``."""
    value = str(choice.value)
    if not _PLAIN.match(value):  # pragma: no cover - a quote would end the literal
        raise ValueError(f"{value!r} cannot be written as a plain SQL literal")
    return f"'{value}'"


def lits(*choices: models.Choices) -> str:
    """A parenthesised SQL list of choices: ``('waived', 'withdrawn')``."""
    return "(" + ", ".join(lit(c) for c in choices) + ")"


HIGHER = lit(Direction.HIGHER_IS_BETTER)
SLA_KIND = lit(Kind.SLA)

MET = lit(ResultStatus.MET)
AT_RISK = lit(ResultStatus.AT_RISK)
BREACHED = lit(ResultStatus.BREACHED)

MAJOR = lit(Severity.MAJOR)
CRITICAL = lit(Severity.CRITICAL)

OPEN = lit(BreachStatus.OPEN)
WAIVED = lit(BreachStatus.WAIVED)
WITHDRAWN = lit(BreachStatus.WITHDRAWN)
NOT_DUE = lits(BreachStatus.WAIVED, BreachStatus.WITHDRAWN)

EB_NOT_APPLICABLE = lit(EarnBack.NOT_APPLICABLE)
EB_PENDING = lit(EarnBack.PENDING)
EB_EARNED_BACK = lit(EarnBack.EARNED_BACK)
EB_NOT_EARNED = lit(EarnBack.NOT_EARNED)

MEAN = lit(Aggregation.MEAN)
SUM = lit(Aggregation.SUM)
MIN = lit(Aggregation.MIN)
MAX = lit(Aggregation.MAX)
LAST = lit(Aggregation.LAST)

DAILY = lit(Period.DAILY)
WEEKLY = lit(Period.WEEKLY)
MONTHLY = lit(Period.MONTHLY)
QUARTERLY = lit(Period.QUARTERLY)
