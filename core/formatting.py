"""How numbers read on pages: no storage padding, no exponent form, money with cents.

Decimal columns store a fixed number of places (SLA values six, money two),
so ``str(value)`` prints ``99.900000``. Pages show ``99.9`` instead; amounts
of money keep their two decimals so a column of them lines up. The same
functions back the ``formatting`` template filters (core/templatetags).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models


def plain_number(value: Decimal | int | float) -> str:
    """99.9 for 99.900000 and 120 for 120.000000 (``normalize`` alone gives 1.2E+2)."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    text = f"{number.normalize():f}"
    return "0" if text == "-0" else text


def money(value: Decimal | int | float) -> str:
    """An amount with two decimals and no thousands separator: 108000.00."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return f"{number.quantize(Decimal('0.01')):f}"


def decimals_of(value: Decimal) -> int:
    """The places ``value`` needs once trailing zeros are gone: 99.90 → 1, 120.00 → 0."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def rounded_like(value: Decimal, *, reference: Decimal, extra: int = 1) -> str:
    """``value`` to one place more than ``reference`` needs, for comparing the two.

    A projection of 87.087333 against a target of 90 reads 87.1; against a
    target of 99.95 it reads 87.087. The extra place keeps a near miss
    visible: 99.944 against 99.95 reads 99.944, not a rounded-up 99.9.
    """
    places = decimals_of(reference) + extra
    return plain_number(value.quantize(Decimal(1).scaleb(-places)))


def is_money_field(field: models.Field) -> bool:
    """Two-place decimal fields are amounts of money, except percentages (``*_percent``)."""
    return (
        isinstance(field, models.DecimalField)
        and field.decimal_places == 2
        and "percent" not in field.name
    )


def field_value(field: models.Field, value: Any) -> Any:
    """A model field's value as a detail card shows it (decimals as above; others as is)."""
    if not isinstance(value, Decimal):
        return value
    return money(value) if is_money_field(field) else plain_number(value)
